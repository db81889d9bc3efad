import { PRICING_NOTE } from "../cost/prices.js";
import type { ReportForecast } from "../forecast/forecastSummary.js";
import type { RunReport } from "../runReport/types.js";
import { compareRuns } from "./compareRuns.js";
import type { PayloadSweep, ReportDocument } from "./document.js";
import type { FaultSweep } from "./faultSweep.js";
import { type LatencyTarget, recommend } from "./recommendation.js";
import type { ScaleSweep } from "./scaleSweep.js";
import type { RoundsRecord } from "./stoppingRule.js";
import { describeRecommendation } from "./text/describeRecommendation.js";
import { describeVerdict } from "./text/describeVerdict.js";

/** Where the runs' figures come from, as the verdict says it: every figure says what it is. */
export function measuredWhere(environment: ReportDocument["environment"]): string {
  if (environment.platform === "aws") return "measured on AWS";
  if (environment.platform === "local") return "measured locally";
  return "measured";
}

/**
 * Assembles report.json from the runs of one comparison: the comparison, the recommendation (the
 * cheapest strategy meeting `target`, or the balanced pick), the verdict and the pricing note are
 * derived here, once, so the terminal, Markdown and HTML renderings agree with the JSON.
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
 * console.log(document.verdict.join("\n"));
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
  /** The latency target (--slo): the recommendation is the cheapest strategy meeting it. */
  target?: LatencyTarget;
  /** Runs per second (--rate): the recommendation's costs a month. */
  ratePerSecond?: number;
  /** The balanced pick's weight of cost against time (0.5 unless given). */
  costWeight?: number;
  rounds?: RoundsRecord;
}): ReportDocument {
  const comparison = compareRuns(input.runs);
  const recommendation = recommend({
    comparison,
    runs: input.runs,
    ...(input.target ? { target: input.target } : {}),
    ...(input.ratePerSecond === undefined ? {} : { ratePerSecond: input.ratePerSecond }),
    ...(input.costWeight === undefined ? {} : { costWeight: input.costWeight }),
    ...(input.forecast ? { forecast: input.forecast } : {}),
  });
  return {
    generatedAt: input.generatedAt,
    environment: input.environment,
    settings: input.settings,
    comparison,
    verdict: [
      ...describeRecommendation(recommendation, measuredWhere(input.environment)),
      ...describeVerdict(comparison, input.rounds ? { rounds: input.rounds } : {}),
    ],
    recommendation,
    ...(input.rounds ? { rounds: input.rounds } : {}),
    pricingNote: PRICING_NOTE,
    runs: input.runs,
    ...(input.notApplicable?.length ? { notApplicable: input.notApplicable } : {}),
    ...(input.payloadSweep ? { payloadSweep: input.payloadSweep } : {}),
    ...(input.scaleSweep ? { scaleSweep: input.scaleSweep } : {}),
    ...(input.faultSweep ? { faultSweep: input.faultSweep } : {}),
    ...(input.forecast ? { forecast: input.forecast } : {}),
  };
}
