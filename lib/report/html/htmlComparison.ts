/** The HTML report's header, verdict and comparison table, and the own functions' table. */

import { CONFIDENCE_LEVEL, type MedianInterval } from "../../stats/confidence.js";
import { BASELINE_STRATEGY } from "../../strategies/names.js";
import { measuredWhere } from "../buildReportDocument.js";
import type { Comparison, StrategyComparison, StrategyMargin } from "../compareRuns.js";
import type { ReportDocument } from "../document.js";
import { OWN_FUNCTION_COLUMNS, summarizeOwnFunctions } from "../sections/ownFunctionsSummary.js";
import { standingsTable } from "../text/describeRecommendation.js";
import { formatCoverage, formatRange } from "../text/formatInterval.js";
import { formatNumber, formatUsd } from "../text/formatNumber.js";
import { plainMs, swatch, usd, usd2 } from "./htmlShared.js";
import { colourOf, escapeHtml } from "./svg.js";

/* ------------------------------------------------------------------ header and table */

export function renderHeader(document: ReportDocument): string {
  const { settings, environment } = document;
  const warmup = settings.warmup > 0 ? ` + ${settings.warmup} warm-up` : "";
  const facts = [
    `generated <time datetime="${escapeHtml(document.generatedAt)}">${escapeHtml(document.generatedAt)}</time>`,
    escapeHtml(environment.description),
    `<code>${escapeHtml(environment.apiUrl)}</code>`,
  ];
  const setup = [
    `scale ${escapeHtml(String(settings.scale))}`,
    `${formatNumber(settings.runs)} runs per strategy${warmup}`,
    `kind ${escapeHtml(settings.kind ?? "as in workflow")}`,
    `${formatNumber(settings.extraLogs)} extra logs`,
    `${formatNumber(settings.tasks)} tasks`,
    `strategies: ${settings.strategies.map((strategy) => escapeHtml(strategy)).join(", ")}`,
  ];
  const line = (items: string[]): string =>
    `<p class="meta">${items.map((item) => `<span>${item}</span>`).join("")}</p>`;
  return `<header>
<h1>Lambda orchestration strategies compared</h1>
${line(facts)}
${line(setup)}
</header>
${renderLatencyProfile(document)}<ul class="verdict" id="verdict">${document.verdict.map((sentence) => `<li>${escapeHtml(sentence)}</li>`).join("")}</ul>`;
}

/** Emulated AWS latency must never pass for a measurement on AWS: said above the verdict. */
function renderLatencyProfile(document: ReportDocument): string {
  const profile = document.environment.latencyProfile;
  if (!profile) return "";
  const emulated = profile.name !== "local";
  return `<p class="latency-profile${emulated ? " emulated" : ""}" id="latency-profile">${escapeHtml(profile.description)}</p>
`;
}

interface Column {
  title: string;
  cell: (entry: StrategyComparison) => string;
}

function runsCell(entry: StrategyComparison): string {
  const failed =
    entry.failed > 0
      ? `<span class="status-failed">${formatNumber(entry.failed)} failed</span>`
      : "0 failed";
  return `${formatNumber(entry.runs)}<small class="nowrap">${formatNumber(entry.warmRuns)} warm · ${formatNumber(entry.coldRuns)} cold</small><small class="nowrap">${failed}</small>`;
}

function speedupCell(entry: StrategyComparison): string {
  if (!(entry.speedup > 0) || !Number.isFinite(entry.speedup)) return "n/a";
  const basis =
    entry.speedupBasis === "baseline" ? `vs ${BASELINE_STRATEGY}` : "vs summed task time";
  return `${entry.speedup.toFixed(2)}×<small>${basis}</small>`;
}

function statusCell(entry: StrategyComparison): string {
  const status =
    entry.failed === 0
      ? `<span class="status-ok">ok</span>`
      : `<span class="status-failed">${formatNumber(entry.failed)} failed</span>`;
  const basis: Record<StrategyComparison["basis"], string> = {
    warm: "",
    cold: "<small>stats from runs with cold starts</small>",
    failed: "<small>no run succeeded: stats from failed runs</small>",
  };
  return `${status}${basis[entry.basis]}`;
}

/**
 * The badge of a claim: solid when the verdict names the strategy, dashed with a "?" when it has
 * the lowest median but is not told apart from the runner-up (`margin`), none otherwise.
 */
function badge(
  kind: "fastest" | "cheapest",
  entry: StrategyComparison,
  leader: Comparison["fastest"],
  margin: StrategyMargin | undefined,
): string {
  if (leader !== entry.strategy) return "";
  const what = kind === "fastest" ? "lowest median wall" : "lowest median cost per run";
  if (!margin || margin.leader !== entry.strategy || margin.toldApart) {
    return `<span class="badge ${kind}" title="${what}">${kind}</span>`;
  }
  const why = margin.interval
    ? `not told apart from ${margin.other} in these runs (95 % interval of the difference includes 0)`
    : `one run: no interval to tell it from ${margin.other}`;
  return `<span class="badge tentative" title="${escapeHtml(`${what}, but ${why}`)}">${kind}?</span>`;
}

function strategyCell(entry: StrategyComparison, document: ReportDocument): string {
  const { comparison } = document;
  const badges = [
    badge("fastest", entry, comparison.fastest, comparison.margins?.fastest),
    badge("cheapest", entry, comparison.cheapest, comparison.margins?.cheapest),
  ].join("");
  return `<span class="nowrap">${swatch(colourOf(entry.strategy))}<strong>${escapeHtml(entry.strategy)}</strong></span>${badges}`;
}

/** A median's interval in a table cell; "—" without one, its coverage below it when under 95 %. */
function intervalCell(
  interval: MedianInterval | undefined,
  format: (value: number) => string,
): string {
  if (!interval) return `<span title="one run: no interval">—</span>`;
  const range = formatRange(interval.low, interval.high, format);
  return interval.coverage < CONFIDENCE_LEVEL
    ? `${range}<small title="${escapeHtml(`min–max of too few runs for 95 %: it covers the median with only ${formatCoverage(interval.coverage)}`)}">${formatCoverage(interval.coverage)} only</small>`
    : range;
}

const COLUMNS: Column[] = [
  { title: "runs", cell: runsCell },
  { title: "wall p50 ms", cell: (entry) => plainMs(entry.wallMs.median) },
  { title: "wall p95 ms", cell: (entry) => plainMs(entry.wallMs.p95) },
  {
    title: "wall 95 % CI ms",
    cell: (entry) => intervalCell(entry.intervals.wallMs, formatNumber),
  },
  { title: "critical path p50 ms", cell: (entry) => plainMs(entry.criticalPathMs.median) },
  { title: "overhead p50 ms", cell: (entry) => plainMs(entry.overheadMs.median) },
  { title: "overhead / level p50 ms", cell: (entry) => plainMs(entry.overheadPerLevelMs.median) },
  { title: "speedup", cell: speedupCell },
  {
    title: "parallelism",
    cell: (entry) =>
      Number.isFinite(entry.parallelism) ? `${entry.parallelism.toFixed(2)}×` : "n/a",
  },
  {
    title: "efficiency",
    cell: (entry) =>
      Number.isFinite(entry.efficiency) ? `${Math.round(entry.efficiency * 100)} %` : "n/a",
  },
  {
    title: "cost / run p50",
    cell: (entry) => (entry.costUsd ? usd(entry.costUsd.median) : "no cost data"),
  },
  {
    title: "cost / run 95 % CI",
    cell: (entry) => (entry.costUsd ? intervalCell(entry.intervals.costUsd, formatUsd) : "n/a"),
  },
  {
    title: "cost / 1M runs",
    cell: (entry) =>
      entry.costPerMillionRunsUsd === undefined ? "n/a" : usd2(entry.costPerMillionRunsUsd),
  },
  { title: "status", cell: statusCell },
];

export function renderComparison(document: ReportDocument): string {
  const head = `<tr><th scope="col">strategy</th>${COLUMNS.map((column) => `<th scope="col">${column.title}</th>`).join("")}</tr>`;
  const rows = document.comparison.strategies.map(
    (entry) =>
      `<tr data-strategy="${escapeHtml(entry.strategy)}"><th scope="row">${strategyCell(entry, document)}</th>${COLUMNS.map(
        (column) =>
          `<td${column.title === "status" ? ` class="text"` : ""}>${column.cell(entry)}</td>`,
      ).join("")}</tr>`,
  );
  const empty =
    rows.length === 0
      ? `<tr><td class="text" colspan="${COLUMNS.length + 1}">no runs to compare</td></tr>`
      : "";
  return `<section id="comparison-section">
<h2>Comparison</h2>
<table id="comparison">
<thead>${head}</thead>
<tbody>${rows.join("\n")}${empty}</tbody>
</table>
<p class="note">p50 = median, p95 = 95th percentile, over warm succeeded runs (runs with cold starts, or failed runs, only when there is nothing better).
Critical path = the DAG's longest path by the tasks' own durations; overhead = wall − critical path, paid once per DAG level.
95 % CI = where the median lies with 95 % confidence (exact, from order statistics); with 5 runs or fewer it is min–max and covers less, as stated; — = one run, no interval.
Speedup = baseline median wall ÷ this strategy's median wall. Parallelism = summed task time ÷ wall. Efficiency = critical path ÷ wall.</p>
<p class="note pricing-note"><strong>Cost model:</strong> ${escapeHtml(document.pricingNote)}</p>
</section>`;
}

/** The measured alternatives against the latency target (--slo), when one was given. */
export function renderStandings(document: ReportDocument): string {
  const table = document.recommendation
    ? standingsTable(document.recommendation, measuredWhere(document.environment))
    : undefined;
  if (!table) return "";
  const [strategyTitle, ...titles] = table.header;
  const rows = table.cells.map(
    ([strategy, ...cells]) =>
      `<tr data-strategy="${escapeHtml(strategy ?? "")}"><th scope="row">${escapeHtml(strategy ?? "")}</th>${cells.map((cell) => `<td>${escapeHtml(cell)}</td>`).join("")}</tr>`,
  );
  return `<section id="against-target">
<h2>Against the target</h2>
<p class="note">${escapeHtml(table.title)}</p>
<table id="standings"><thead><tr><th scope="col">${escapeHtml(strategyTitle ?? "")}</th>${titles.map((title) => `<th scope="col">${escapeHtml(title)}</th>`).join("")}</tr></thead>
<tbody>${rows.join("\n")}</tbody></table>
</section>`;
}

/** Strategies that could not run this workflow at all: said, never silently left out. */
export function renderNotApplicable(document: ReportDocument): string {
  const entries = document.notApplicable ?? [];
  if (entries.length === 0) return "";
  const items = entries.map(
    ({ strategy, reason }) =>
      `<li data-strategy="${escapeHtml(strategy)}"><strong>${escapeHtml(strategy)}</strong>: not applicable: ${escapeHtml(reason)}</li>`,
  );
  return `<section id="not-applicable"><ul>${items.join("")}</ul></section>`;
}

/** The user's own functions as each median run billed them (lib/report/sections/ownFunctionsSummary.ts). */
export function renderOwnFunctions(document: ReportDocument): string {
  const rows = summarizeOwnFunctions(document);
  if (rows.length === 0) return "";
  const head = OWN_FUNCTION_COLUMNS.map((title) => `<th scope="col">${title}</th>`).join("");
  const body = rows.map(
    (row) =>
      `<tr data-function="${escapeHtml(row.function)}" data-strategy="${escapeHtml(row.strategy)}"><th scope="row">${escapeHtml(row.function)}</th><td class="text">${escapeHtml(row.strategy)}</td><td>${formatNumber(row.invocations)}</td><td>${row.memoryMb === undefined ? "?" : `${formatNumber(row.memoryMb)} MB ${escapeHtml(row.architecture ?? "")}`}</td><td>${formatNumber(Math.round(row.billedMs))}</td><td>${row.maxMemoryUsedMb === undefined ? "—" : `${formatNumber(row.maxMemoryUsedMb)} MB`}</td><td>${formatNumber(Math.round(row.initMs))}</td><td class="text">${escapeHtml(row.source)}</td></tr>`,
  );
  return `<section id="own-functions">
<h2>Your functions (median run of each strategy)</h2>
<table id="own-functions-table"><thead><tr>${head}</tr></thead><tbody>${body.join("\n")}</tbody></table>
<p class="note">Memory and architecture: each function's own configuration. Billed ms, peak memory and INIT: Lambda's REPORT line where this service invoked the function; under Step Functions and durable, the invoking service's own timestamps (an upper bound: the span includes the invoke; no INIT or peak memory known).</p>
</section>`;
}
