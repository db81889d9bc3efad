import { measuredWhere } from "../buildReportDocument.js";
import type { ReportDocument } from "../document.js";
import { forecastComparable } from "../markdown/renderMarkdown.js";
import { renderOwnFunctionsTable, summarizeOwnFunctions } from "../sections/ownFunctionsSummary.js";
import { renderForecastTable } from "../sections/renderForecast.js";
import { describeRecommendation, standingsTable } from "../text/describeRecommendation.js";
import { wrapBullets, wrapText } from "../text/wrapText.js";
import { plainTable } from "./plainTable.js";
import { renderGantt } from "./renderGantt.js";
import { renderTable } from "./renderTable.js";

/** The measured alternatives against the latency target, when one was given. */
function standingsLines(document: ReportDocument): string[] {
  const table = document.recommendation
    ? standingsTable(document.recommendation, measuredWhere(document.environment))
    : undefined;
  return table ? [...wrapText(table.title), ...plainTable(table.header, table.cells), ""] : [];
}

/**
 * What `compare` prints, answer first: the verdict as short bullets (the recommendation, the
 * fastest, the cheapest, the trade-off, how sure), then the table with the columns a decision
 * needs (`wide`: every column), the alternatives against the latency target, the forecast on
 * AWS, the own functions, the strategies not applicable; then, apart, a Gantt chart of each
 * strategy's median run. Every line of `summary` fits a terminal's 100 columns with the default
 * columns (the Gantt charts are as wide as their time axis).
 *
 * @example
 * const { summary, gantts } = renderTerminal(document);
 * console.log(`${summary}\n`);
 * for (const gantt of gantts) console.log(`${gantt}\n`);
 */
export function renderTerminal(
  document: ReportDocument,
  { wide = false }: { wide?: boolean } = {},
): { summary: string; gantts: string[] } {
  const heading = document.environment.latencyProfile?.description;
  const ownFunctions = renderOwnFunctionsTable(summarizeOwnFunctions(document));
  const summary = [
    ...wrapBullets(document.verdict),
    "",
    renderTable(document.comparison, { ...(heading ? { heading } : {}), wide }),
    "",
    ...standingsLines(document),
    ...(document.forecast
      ? [renderForecastTable(document.forecast, forecastComparable(document)), ""]
      : []),
    ...(ownFunctions === ""
      ? []
      : ["your functions (median run of each strategy):", ownFunctions, ""]),
    ...(document.notApplicable ?? []).flatMap(({ strategy, reason }) =>
      wrapText(`${strategy}: not applicable: ${reason}`, { rest: "  " }),
    ),
  ];
  const gantts = document.comparison.strategies.flatMap((entry) => {
    const median = document.runs.find((run) => run.runId === entry.medianRunId);
    return median ? [renderGantt(median)] : [];
  });
  return { summary: summary.join("\n").trimEnd(), gantts };
}

/** The recommendation alone, for a command that ran nothing (--forecast-only). */
export function renderRecommendation(document: ReportDocument): string[] {
  return document.recommendation
    ? wrapBullets(
        describeRecommendation(document.recommendation, measuredWhere(document.environment)),
      )
    : [];
}
