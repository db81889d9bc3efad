import { formatNumber } from "../lib/report/text/formatNumber.js";
import type { RunMode } from "../lib/runs/record.js";
import { SYNCHRONOUS_RUN_BUDGET_MS } from "../lib/runs/runLimits.js";
import { STRATEGY, type StrategyName } from "../lib/strategies/names.js";
import { criticalPath } from "../lib/workflow/dag.js";
import { planRun } from "../lib/workflow/plan.js";
import type { Workflow } from "../lib/workflow/types.js";

/**
 * The least time a run of `workflow` at `scale` takes under `strategy`, from its planned task
 * durations alone (no overhead, no retries, an own function's time unknown: 0): the critical path,
 * or for sequential, which runs one task at a time, the sum of the durations.
 */
export function plannedRunMs(strategy: StrategyName, workflow: Workflow, scale: number): number {
  const { tasks } = planRun({ runId: "planned", strategy, workflow, scale });
  if (strategy === STRATEGY.sequential) {
    return tasks.reduce((sum, task) => sum + task.durationMs, 0);
  }
  const durations = new Map(tasks.map((task) => [task.id, task.durationMs]));
  return criticalPath(workflow, (task) => durations.get(task.id) ?? 0).lengthMs;
}

export interface RunModeDecision {
  mode: RunMode;
  /** Why the run is asynchronous: one line for the user (none when it is synchronous). */
  reason?: string;
}

/**
 * Synchronous, unless asked for (`--async`) or unless the plan cannot finish within the
 * synchronous request's budget (API Gateway's 29 s less the orchestrator's margin): then
 * asynchronous, saying why.
 *
 * @example
 * chooseRunMode({ strategy: STRATEGY.fanout, workflow, scale: 20, forceAsync: false });
 * // { mode: "async", reason: "fanout at scale 20: its critical path is 40,000 ms, ..." }
 */
export function chooseRunMode(options: {
  strategy: StrategyName;
  workflow: Workflow;
  scale: number;
  forceAsync: boolean;
  budgetMs?: number;
}): RunModeDecision {
  const { strategy, workflow, scale, forceAsync, budgetMs = SYNCHRONOUS_RUN_BUDGET_MS } = options;
  if (forceAsync) return { mode: "async", reason: "asked for with --async" };
  const plannedMs = plannedRunMs(strategy, workflow, scale);
  if (plannedMs <= budgetMs) return { mode: "sync" };
  const what =
    strategy === STRATEGY.sequential ? "its tasks one after another take" : "its critical path is";
  return {
    mode: "async",
    reason:
      `${strategy} at scale ${scale}: ${what} ${formatNumber(plannedMs)} ms, longer than the ` +
      `${formatNumber(budgetMs)} ms a synchronous request can wait: running it asynchronously`,
  };
}

export interface RunModes {
  modeOf(strategy: StrategyName, scale: number): RunMode;
  /** What to tell the user: --async once, or each switch to asynchronous with its reason. */
  lines: string[];
}

/**
 * The mode of every strategy at every scale a comparison runs it at (warm-up and measured).
 *
 * @example
 * const modes = runModesFor({ strategies, workflow, scales: [0.01, 20], forceAsync: false });
 * modes.modeOf(STRATEGY.fanout, 20); // "async"
 */
export function runModesFor(options: {
  strategies: readonly StrategyName[];
  workflow: Workflow;
  scales: readonly number[];
  forceAsync: boolean;
}): RunModes {
  const { strategies, workflow, scales, forceAsync } = options;
  const modes = new Map<string, RunMode>();
  const key = (strategy: StrategyName, scale: number) => `${strategy}@${scale}`;
  const lines = forceAsync ? ["every run asynchronous (--async): the CLI polls each one"] : [];
  for (const strategy of strategies) {
    for (const scale of new Set(scales)) {
      const decision = chooseRunMode({ strategy, workflow, scale, forceAsync });
      modes.set(key(strategy, scale), decision.mode);
      if (decision.reason && !forceAsync) lines.push(decision.reason);
    }
  }
  return {
    modeOf: (strategy, scale) =>
      modes.get(key(strategy, scale)) ??
      chooseRunMode({ strategy, workflow, scale, forceAsync }).mode,
    lines,
  };
}
