import { PRICING_NOTE } from "../cost/prices.js";
import type { ReportForecast } from "../forecast/forecastSummary.js";
import { compareRuns } from "./compareRuns.js";
import { describeVerdict } from "./describeVerdict.js";
import type { PayloadSweep, ReportDocument, ScaleSweep } from "./document.js";
import type { FaultSweep } from "./faultSweep.js";
import type { RunReport } from "./types.js";

/**
 * Assembles report.json from the runs of one comparison: the comparison, its verdict and the
 * pricing note are derived here, once, so the Markdown and HTML renderings agree with the JSON.
 *
 * @example
 * // The compare CLI without its flags: runs against an API, then the three reports.
 * const runs = [];
 * for (const strategy of STRATEGIES) {
 *   for (let round = 0; round < 5; round += 1) {
 *     runs.push(await runStrategy(apiUrl, strategy, { workflow, scale: 0.1 }, { apiKey }));
 *   }
 * }
 * const document = buildReportDocument({ generatedAt: new Date().toISOString(), environment, settings, runs });
 * console.log(document.verdict);
 * writeFileSync("report.html", renderHtml(document));
 */
export function buildReportDocument(input: {
  generatedAt: string;
  environment: ReportDocument["environment"];
  settings: ReportDocument["settings"];
  runs: RunReport[];
  notApplicable?: ReportDocument["notApplicable"];
  payloadSweep?: PayloadSweep;
  scaleSweep?: ScaleSweep;
  faultSweep?: FaultSweep;
  forecast?: ReportForecast;
}): ReportDocument {
  const comparison = compareRuns(input.runs);
  return {
    generatedAt: input.generatedAt,
    environment: input.environment,
    settings: input.settings,
    comparison,
    verdict: describeVerdict(comparison),
    pricingNote: PRICING_NOTE,
    runs: input.runs,
    ...(input.notApplicable?.length ? { notApplicable: input.notApplicable } : {}),
    ...(input.payloadSweep ? { payloadSweep: input.payloadSweep } : {}),
    ...(input.scaleSweep ? { scaleSweep: input.scaleSweep } : {}),
    ...(input.faultSweep ? { faultSweep: input.faultSweep } : {}),
    ...(input.forecast ? { forecast: input.forecast } : {}),
  };
}
