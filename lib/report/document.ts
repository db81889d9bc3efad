import type { NotApplicable } from "../functions/applicability.js";
import type { LatencyProfileName } from "../latency/profiles.js";
import type { Comparison } from "./compareRuns.js";
import type { FaultSweep } from "./faultSweep.js";
import type { RunReport, StrategyName } from "./types.js";

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

/** One point of the scale sweep: a strategy running N tasks side by side or in a chain. */
export interface ScalePoint {
  profile: LatencyProfileName;
  shape: "independent" | "chain";
  n: number;
  strategy: StrategyName;
  /** `skipped`: the planned run does not fit the run budget (`note` says so). */
  status: "succeeded" | "failed" | "skipped";
  runs: number;
  failed: number;
  /** Medians over the point's measured runs that succeeded. */
  wallMs?: number;
  overheadMs?: number;
  /** Invoke attempts throttled (429) and retried, summed over the run (median run). */
  invokeRetries?: number;
  /**
   * Where the local stack's CPU went over the measured runs, per run (ms): LocalStack's own
   * process (its gateway, services and the executor's Python side), and each Node process it
   * runs (a function's thread host by function name). Host mode only.
   */
  cpuPerRunMs?: { total: number; localStack: number; node: Record<string, number> };
  note?: string;
}

/** What `npm run bench:scale` measured: overhead as a workflow grows wider or longer. */
export interface ScaleSweep {
  generatedAt: string;
  /** Each task's planned duration. */
  taskMs: number;
  runsPerPoint: number;
  /** What ran where, including the local Lambda concurrency that bounds the wide runs. */
  environment: string;
  profiles: Array<{ name: LatencyProfileName; description: string }>;
  points: ScalePoint[];
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
  /** One or two sentences: the fastest, the cheapest, and the trade-off between them. */
  verdict: string;
  /** How the cost figures were modelled: region, tiers, what is left out. */
  pricingNote: string;
  /** Every run, warm-up runs included (marked `warmup: true`). */
  runs: RunReport[];
  /** Strategies that cannot run this workflow at all (inline and an own function), and why. */
  notApplicable?: NotApplicable[];
  payloadSweep?: PayloadSweep;
  /** The latest `npm run bench:scale` result, when one exists: a separate measurement. */
  scaleSweep?: ScaleSweep;
  /** The latest `npm run bench:faults` result, when one exists: a separate measurement. */
  faultSweep?: FaultSweep;
}
