import { z } from "zod";
import { LATENCY_PROFILES } from "../latency/profiles.js";
import { STRATEGIES, type StrategyName } from "../strategies/names.js";

/** One point of the scale sweep: a strategy running N tasks side by side or in a chain. */
export const scalePointSchema = z.object({
  profile: z.enum(LATENCY_PROFILES),
  shape: z.enum(["independent", "chain"]),
  n: z.number(),
  strategy: z.enum(STRATEGIES as [StrategyName, ...StrategyName[]]),
  /** `skipped`: the planned run does not fit the run budget (`note` says so). */
  status: z.enum(["succeeded", "failed", "skipped"]),
  runs: z.number(),
  failed: z.number(),
  /** Medians over the point's measured runs that succeeded. */
  wallMs: z.number().optional(),
  overheadMs: z.number().optional(),
  /** Invoke attempts throttled (429) and retried, summed over the run (median run). */
  invokeRetries: z.number().optional(),
  /**
   * Where the local stack's CPU went over the measured runs, per run (ms): LocalStack's own
   * process (its gateway, services and the executor's Python side), and each Node process it
   * runs (a function's thread host by function name). Host mode only.
   */
  cpuPerRunMs: z
    .object({
      total: z.number(),
      localStack: z.number(),
      node: z.record(z.string(), z.number()),
    })
    .optional(),
  note: z.string().optional(),
});
export type ScalePoint = z.infer<typeof scalePointSchema>;

/** What `npm run bench:scale` measured (bench/results/scale-*.json): overhead as a workflow grows. */
export const scaleSweepSchema = z.object({
  generatedAt: z.string(),
  /** Each task's planned duration. */
  taskMs: z.number(),
  runsPerPoint: z.number(),
  /** What ran where, including the local Lambda concurrency that bounds the wide runs. */
  environment: z.string(),
  profiles: z.array(z.object({ name: z.enum(LATENCY_PROFILES), description: z.string() })),
  points: z.array(scalePointSchema),
});
export type ScaleSweep = z.infer<typeof scaleSweepSchema>;
