import type { ReportForecast, StrategyForecast } from "../../forecast/forecastSummary.js";
import type { Comparison } from "../compareRuns.js";
import { escapeHtml } from "../html/svg.js";
import { markdownTable } from "../markdown/markdownTable.js";
import { plainTable } from "../terminal/plainTable.js";
import { formatNumber, formatUsd } from "../text/formatNumber.js";

/** A rate for people: 10,000 a day is 0.12 a second, not "0". */
const perSecond = (value: number): string =>
  value >= 10 ? formatNumber(value) : String(Number(value.toPrecision(2)));

const msOrDash = (value: number | undefined) =>
  value === undefined ? "—" : formatNumber(Math.round(value));

/**
 * What the forecast is, in one line: modelled from a named parameter set, never a measurement,
 * and how many of the set's figures are assumptions.
 */
export function describeForecast(forecast: ReportForecast): string {
  const { parameterSet } = forecast;
  const assumed = parameterSet.assumptions.length;
  return (
    `forecast (modelled, not measured): parameter set ${parameterSet.name} of ${parameterSet.date}` +
    (assumed > 0 ? `, ${assumed} of its figures assumptions` : "")
  );
}

/**
 * The forecast's rows, each renderer's column titles over them: strategy, wall p50 and p95, cost
 * per 1M runs, and measured / forecast where a strategy was measured on the set's own platform
 * (the column only when one was).
 */
function tableOf(
  forecast: ReportForecast,
  measured: Comparison | undefined,
  titles: readonly [string, string, string, string, string],
): { header: string[]; cells: string[][] } {
  const rows = forecast.strategies.map((entry: StrategyForecast) => {
    const here = measured?.strategies.find((candidate) => candidate.strategy === entry.strategy);
    const p50 = entry.wallMs?.p50;
    return {
      cells: [
        entry.strategy,
        entry.error ? `stops: ${entry.error.split(":")[0]}` : msOrDash(p50),
        msOrDash(entry.wallMs?.p95),
        entry.costPerMillionRunsUsd === undefined ? "—" : formatUsd(entry.costPerMillionRunsUsd),
      ],
      ratio: here && p50 ? `${(here.wallMs.median / p50).toFixed(2)}` : undefined,
    };
  });
  const withRatio = rows.some((row) => row.ratio !== undefined);
  return {
    header: withRatio ? [...titles] : titles.slice(0, 4),
    cells: rows.map((row) => (withRatio ? [...row.cells, row.ratio ?? "—"] : row.cells)),
  };
}

/**
 * The forecast as a terminal table (under 80 columns). With `measured` (runs on the platform the
 * parameter set stands for, e.g. --url on AWS with the aws set) a column gives measured / forecast.
 */
export function renderForecastTable(forecast: ReportForecast, measured?: Comparison): string {
  const { header, cells } = tableOf(forecast, measured, [
    "strategy",
    "wall p50",
    "wall p95",
    "cost / 1M runs",
    "measured/forecast",
  ]);
  const rate = forecast.rate
    ? [
        "",
        `at ${perSecond(forecast.rate.perSecond)} runs/s (${formatNumber(Math.round(forecast.rate.runsPerMonth))} a month):`,
        ...forecast.rate.strategies.map(
          (entry) =>
            `  ${entry.strategy.padEnd(13)} p95 ${msOrDash(entry.wallP95Ms).padStart(7)} ms, ${Math.round(entry.coldRunShare * 100)} % of runs cold, ${entry.monthlyUsd === undefined ? "—" : formatUsd(entry.monthlyUsd)} a month`,
        ),
      ]
    : [];
  // The description on two lines: a terminal's 80 columns.
  const [what, set] = describeForecast(forecast).split(": ");
  return [`${what}:`, `  ${set}`, ...plainTable(header, cells), ...rate].join("\n");
}

/** The forecast's section of report.md: the table, the rate, the assumptions it rests on. */
export function renderForecastMarkdown(forecast: ReportForecast, measured?: Comparison): string[] {
  const { header, cells } = tableOf(forecast, measured, [
    "strategy",
    "wall p50 (ms)",
    "wall p95 (ms)",
    "cost per 1M runs",
    "measured / forecast",
  ]);
  return [
    "## Forecast on AWS",
    "",
    `${describeForecast(forecast)}. ${forecast.parameterSet.description}. Wall is the orchestrator's view, as in the measured table; ${forecast.strategies[0]?.runs ?? 0} simulated runs per strategy after a warm-up (seed ${forecast.seed}).`,
    "",
    ...markdownTable(header, cells, { right: [1, 2, 3, 4] }),
    "",
    ...(forecast.rate
      ? [
          `At ${perSecond(forecast.rate.perSecond)} runs a second (${formatNumber(Math.round(forecast.rate.runsPerMonth))} a month, ${forecast.rate.runs} simulated arrivals sharing one platform):`,
          "",
          ...markdownTable(
            [
              "strategy",
              "wall p50 (ms)",
              "wall p95 (ms)",
              "runs with a cold start",
              "cost a month",
            ],
            forecast.rate.strategies.map((entry) => [
              entry.strategy,
              msOrDash(entry.wallP50Ms),
              msOrDash(entry.wallP95Ms),
              `${Math.round(entry.coldRunShare * 100)} %`,
              entry.monthlyUsd === undefined ? "—" : formatUsd(entry.monthlyUsd),
            ]),
            { right: [1, 2, 3, 4] },
          ),
          "",
        ]
      : []),
    ...(forecast.parameterSet.assumptions.length > 0
      ? [
          `Figures of the set that are assumptions (no published measurement): ${forecast.parameterSet.assumptions.join(", ")}.`,
          "",
        ]
      : []),
    ...(forecast.decisionMap
      ? [
          "### Where each strategy wins (forecast)",
          "",
          ...forecast.decisionMap.regions.map((region) => `- ${region}`),
          "",
        ]
      : []),
  ];
}

/** The forecast's table in report.html (the decision map is its own section). */
export function renderForecastHtml(forecast: ReportForecast, measured?: Comparison): string {
  const { header, cells } = tableOf(forecast, measured, [
    "strategy",
    "wall p50",
    "wall p95",
    "cost / 1M runs",
    "measured / forecast",
  ]);
  return `<section id="forecast">
<h2>Forecast on AWS</h2>
<p class="note"><strong>${escapeHtml(describeForecast(forecast))}</strong>. ${escapeHtml(forecast.parameterSet.description)}.</p>
<table>
<thead><tr>${header.map((title) => `<th>${escapeHtml(title)}</th>`).join("")}</tr></thead>
<tbody>
${cells
  .map(
    ([strategy, ...figures]) =>
      `<tr><td class="text">${escapeHtml(strategy ?? "")}</td>${figures.map((figure) => `<td>${escapeHtml(figure)}</td>`).join("")}</tr>`,
  )
  .join("\n")}
</tbody>
</table>
${
  forecast.parameterSet.assumptions.length > 0
    ? `<p class="note">Assumptions in the set: ${escapeHtml(forecast.parameterSet.assumptions.join(", "))}.</p>`
    : ""
}
</section>`;
}
