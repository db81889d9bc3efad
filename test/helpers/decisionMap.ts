import { AWS_PARAMETERS } from "../../lib/forecast/awsParameters.js";
import { type DecisionMap, decisionMap } from "../../lib/forecast/decisionMap.js";
import { STRATEGY_REGISTRY } from "../../lib/strategies/registry.js";

/** The sweep takes seconds: every test in a file shares the one map. */
let cached: DecisionMap | undefined;

/**
 * A real decision map of every strategy on the AWS parameter set, over a 3 x 3 grid (10 ms, 1 s,
 * 1 min tasks; 1, 100, 10,000 wide). A copy each call, so that a test may change its own.
 */
export function aDecisionMap(): DecisionMap {
  cached ??= decisionMap(STRATEGY_REGISTRY, AWS_PARAMETERS, {
    durations: [10, 1000, 60_000],
    widths: [1, 100, 10_000],
  });
  return structuredClone(cached);
}
