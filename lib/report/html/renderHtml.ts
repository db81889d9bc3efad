import type { ReportDocument } from "../document.js";
import { forecastComparable } from "../markdown/renderMarkdown.js";
import { renderForecastHtml } from "../sections/renderForecast.js";
import { renderWhenTasksFailHtml } from "../sections/whenTasksFail.js";
import {
  renderComparison,
  renderHeader,
  renderNotApplicable,
  renderOwnFunctions,
  renderStandings,
} from "./htmlComparison.js";
import { renderCostBreakdown } from "./htmlCostChart.js";
import { CSS } from "./htmlCss.js";
import { renderDecisionMapSection } from "./htmlDecisionMap.js";
import { renderGantts } from "./htmlGantt.js";
import { renderPayloadSweep } from "./htmlPayloadChart.js";
import { renderScaleSweep } from "./renderScaleChart.js";
import { renderWallIntervals } from "./renderWallIntervals.js";
import { escapeHtml } from "./svg.js";

/**
 * Renders a report document as one self-contained HTML5 page: the verdict (bullets), the
 * alternatives against the latency target when one was given, the comparison table,
 * the median walls with their intervals as error bars, the cost breakdown, a Gantt chart of each strategy's median run and, when the document holds
 * one, the payload sweep's chart.
 *
 * Everything is inline (CSS and SVG, no script, font, image or stylesheet from elsewhere), so the
 * file can be mailed, attached to a CI run or opened offline, and it prints. Every text that
 * came from a run (task ids, error messages, URLs) is HTML-escaped.
 *
 * @example
 * const html = renderHtml(document);
 * await writeFile("reports/report.html", html);
 */
export function renderHtml(document: ReportDocument): string {
  const title = `Strategy comparison · ${document.generatedAt}`;
  const sections = [
    renderHeader(document),
    renderStandings(document),
    renderComparison(document),
    renderWallIntervals(document.comparison),
    document.forecast ? renderForecastHtml(document.forecast, forecastComparable(document)) : "",
    document.forecast?.decisionMap ? renderDecisionMapSection(document.forecast.decisionMap) : "",
    renderNotApplicable(document),
    renderOwnFunctions(document),
    renderCostBreakdown(document),
    renderGantts(document),
    renderWhenTasksFailHtml(document),
    document.payloadSweep ? renderPayloadSweep(document.payloadSweep) : "",
    document.scaleSweep ? renderScaleSweep(document.scaleSweep) : "",
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${sections.filter((section) => section !== "").join("\n")}
</main>
</body>
</html>
`;
}
