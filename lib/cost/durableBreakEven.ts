import type { RunUsage } from "../runReport/types.js";
import type { Architecture } from "../tasks/types.js";
import { lambdaGbSecondsUsd, priceDurable } from "./priceRun.js";
import { LAMBDA_USD_PER_REQUEST } from "./prices.js";

/**
 * The critical path (ms) beyond which a workflow costs less as a durable execution than under a
 * fanout orchestrator of the same memory and architecture, modelled from one durable run's usage.
 *
 * Both pay the same task Lambdas and the same API request. A fanout orchestrator pays one request
 * and GB-s for its whole wait, at least the critical path; the durable orchestrator pays a request
 * and GB-s per replay, plus its operations and the data they write and keep. What durable pays
 * does not grow with the tasks' durations (the same operations carry the same data), what fanout
 * pays does: they cross where fanout's wait costs durable's own charges less fanout's request.
 * Fanout's own overhead beyond the critical path is left out, which makes this an upper bound.
 *
 * @example
 * // 7 operations, 4 short replays at 1 GB arm64: durable wins past a critical path of ~4.3 s.
 * durableBreakEvenMs(usage, { memoryMb: 1024, architecture: "arm64" });
 */
export function durableBreakEvenMs(
  usage: RunUsage,
  orchestrator: { memoryMb: number; architecture: Architecture },
): number | undefined {
  if (!usage.durable) return undefined;
  const replays = usage.lambda.filter((invocation) => invocation.role === "orchestrator");
  const replaysUsd = replays.reduce(
    (sum, replay) =>
      sum + LAMBDA_USD_PER_REQUEST + lambdaGbSecondsUsd(replay.billedMs + replay.initMs, replay),
    0,
  );
  const durableOwnUsd = replaysUsd + priceDurable(usage.durable);
  const fanoutUsdPerMs = lambdaGbSecondsUsd(1, orchestrator);
  return Math.max((durableOwnUsd - LAMBDA_USD_PER_REQUEST) / fanoutUsdPerMs, 0);
}
