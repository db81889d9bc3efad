import { measuredWhere } from "../buildReportDocument.js";
import type { ReportDocument } from "../document.js";
import { renderOwnFunctionsTable, summarizeOwnFunctions } from "../sections/ownFunctionsSummary.js";
import { renderForecastMarkdown } from "../sections/renderForecast.js";
import { renderWhenTasksFailMarkdown } from "../sections/whenTasksFail.js";
import { renderGantt } from "../terminal/renderGantt.js";
import { renderIntervalTable, renderTable } from "../terminal/renderTable.js";
import { standingsTable } from "../text/describeRecommendation.js";
import { markdownTable } from "./markdownTable.js";

function ownFunctionsSection(document: ReportDocument): string[] {
  const table = renderOwnFunctionsTable(summarizeOwnFunctions(document));
  return table === ""
    ? []
    : [
        "## Your functions (median run of each strategy)",
        "",
        "Memory and architecture are each function's own configuration; billed ms, peak memory and INIT come from Lambda's REPORT line where this service invoked the function, and from the invoking service's own timestamps under Step Functions and durable (an upper bound: the span includes the invoke).",
        "",
        table,
        "",
      ];
}

/** The measured alternatives against the latency target (--slo), when one was given. */
function standingsSection(document: ReportDocument): string[] {
  const table = document.recommendation
    ? standingsTable(document.recommendation, measuredWhere(document.environment))
    : undefined;
  if (!table) return [];
  const right = table.header.map((_, index) => index).filter((index) => index > 0);
  return [table.title, "", ...markdownTable(table.header, table.cells, { right }), ""];
}

/** The intervals the verdict's confidence rests on, per strategy and figure. */
function intervalsSection(document: ReportDocument): string[] {
  if (document.comparison.strategies.length === 0) return [];
  return [
    "## How sure (95 % intervals of the medians)",
    "",
    "Where each median lies with 95 % confidence: exact order-statistic intervals over the same runs as the table (— with one run: no interval; † min–max of 5 runs or fewer, which covers less, as the coverage column says). " +
      "The verdict names a winner only when a seeded bootstrap's 95 % interval of the difference to the runner-up excludes zero.",
    "",
    renderIntervalTable(document.comparison),
    "",
  ];
}

/** The measured comparison, when the runs ran where the forecast's parameter set stands for. */
export function forecastComparable(document: ReportDocument) {
  return document.forecast && document.environment.platform === document.forecast.parameterSet.name
    ? document.comparison
    : undefined;
}

/**
 * report.md: where the runs ran, the comparison table with its verdict (as sure as the runs
 * allow), the intervals of the medians, and a text Gantt of each strategy's median run —
 * readable as plain text and rendered by GitHub.
 *
 * @example
 * writeFileSync("report.md", renderMarkdown(document));
 */
export function renderMarkdown(document: ReportDocument): string {
  const { settings, environment } = document;
  const gantts = document.comparison.strategies.flatMap((entry) => {
    const run = document.runs.find((candidate) => candidate.runId === entry.medianRunId);
    return run
      ? [`### ${entry.strategy} (median run)`, "", "```text", renderGantt(run), "```", ""]
      : [];
  });
  return [
    "# Strategy comparison",
    "",
    `Generated ${document.generatedAt} against ${environment.apiUrl} — ${environment.description}.`,
    `Workflow of ${settings.tasks} task(s)${settings.kind ? `, every task ${settings.kind}` : ""}; ` +
      `scale ${settings.scale}; ${settings.runs} measured run(s) per strategy after ${settings.warmup} warm-up run(s).`,
    "",
    "**Verdict:**",
    "",
    ...document.verdict.map((sentence) => `- ${sentence}`),
    "",
    ...standingsSection(document),
    renderTable(document.comparison, {
      ...(environment.latencyProfile ? { heading: environment.latencyProfile.description } : {}),
      wide: true,
    }),
    "",
    ...(document.notApplicable ?? []).map(
      ({ strategy, reason }) => `- **${strategy}: not applicable** — ${reason}.`,
    ),
    ...(document.notApplicable?.length ? [""] : []),
    ...intervalsSection(document),
    ...(document.forecast
      ? renderForecastMarkdown(document.forecast, forecastComparable(document))
      : []),
    ...ownFunctionsSection(document),
    `_${document.pricingNote}_`,
    "",
    ...renderWhenTasksFailMarkdown(document),
    "## Gantt charts",
    "",
    ...gantts,
  ].join("\n");
}
