import type { ReportForecast } from "../forecast/forecastSummary.js";
import type { LatencyProfileName } from "../latency/profiles.js";
import type { NotApplicable } from "../ownFunctions/applicability.js";
import type { RunReport } from "../runReport/types.js";
import type { StrategyName } from "../strategies/names.js";
import type { Comparison } from "./compareRuns.js";
import type { FaultSweep } from "./faultSweep.js";
import type { Recommendation } from "./recommendation.js";
import type { ScaleSweep } from "./scaleSweep.js";
import type { RoundsRecord } from "./stoppingRule.js";

/** One point of a payload sweep: a strategy moving `bytes` from queryData to processData. */
export interface PayloadPoint {
  strategy: StrategyName;
  /** queryData's outputBytes for this point. */
  bytes: number;
  status: "succeeded" | "failed";
  /** Median over the point's runs. */
  wallMs: number;
  overheadMs: number;
  /** Why the point failed (e.g. a platform payload limit), when it did. */
  error?: string;
}

/** What `npm run bench:payload` measured: overhead as the data between two tasks grows. */
export interface PayloadSweep {
  sizes: number[];
  points: PayloadPoint[];
  /** Per strategy: extra overhead per MB moved, from the smallest to the largest size that ran. */
  overheadPerMbMs: Partial<Record<StrategyName, number>>;
}

/**
 * The source of truth of a comparison, written as report.json; report.md and report.html are
 * rendered from it alone.
 */
export interface ReportDocument {
  generatedAt: string;
  /** Where the runs ran and what their figures stand for (local stack or AWS). */
  environment: {
    apiUrl: string;
    /** One line for a reader, e.g. "LocalStack 4.14.0 in host mode, ...". */
    description: string;
    /**
     * Local stack only: the latency profile the runs had. `aws` figures are emulated AWS
     * latencies on this machine, never measurements on AWS; `description` says so.
     */
    latencyProfile?: { name: LatencyProfileName; description: string };
    /**
     * The platform the runs measured, as parameter sets name it: `aws` for an API on AWS,
     * `local` for the local stack. The forecast shows measured / forecast when they match.
     */
    platform?: string;
  };
  settings: {
    scale: number;
    runs: number;
    warmup: number;
    kind?: "io" | "cpu";
    extraLogs: number;
    strategies: StrategyName[];
    tasks: number;
  };
  comparison: Comparison;
  /**
   * A few short sentences, shown as bullets: the recommendation, the fastest, the cheapest, the
   * trade-off between them, how sure (the rounds and why they stopped).
   */
  verdict: string[];
  /**
   * The pick against the latency target given (--slo), or the balanced pick of cost against
   * time without one; measured, and forecast when the report carries a forecast.
   */
  recommendation?: Recommendation;
  /** How many rounds the runs took and why they stopped (--runs N, or the stopping rule). */
  rounds?: RoundsRecord;
  /** How the cost figures were modelled: region, tiers, what is left out. */
  pricingNote: string;
  /** Every run, warm-up runs included (marked `warmup: true`). */
  runs: RunReport[];
  /** Strategies that cannot run this workflow at all (inline and an own function or a task fault), and why. */
  notApplicable?: NotApplicable[];
  payloadSweep?: PayloadSweep;
  /** An `npm run bench:scale` result compare was given (--scale-sweep): a separate measurement. */
  scaleSweep?: ScaleSweep;
  /** An `npm run bench:faults` result compare was given (--fault-sweep): a separate measurement. */
  faultSweep?: FaultSweep;
  /**
   * What the workflow would do on AWS (or on another calibrated platform): modelled by
   * lib/forecast from the named parameter set, never a measurement.
   */
  forecast?: ReportForecast;
}
