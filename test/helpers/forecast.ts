import { type ForecastRun, forecastRuns } from "../../lib/forecast/forecastRuns.js";
import type { PlatformParameters } from "../../lib/forecast/parameters.js";
import type { OwnFunctionFacts } from "../../lib/forecast/taskBodies.js";
import type { TaskReport } from "../../lib/runReport/types.js";
import type { StrategyName } from "../../lib/strategies/names.js";
import { strategyNamed } from "../../lib/strategies/registry.js";
import { planRun, type RunPlan } from "../../lib/workflow/plan.js";
import type { TaskNode, Workflow } from "../../lib/workflow/types.js";
import { type FixedSetting, fixedPlatform } from "./forecastParameters.js";

/** A built-in writeLog task of `durationMs` (scale 1), `io` unless said. */
export const taskOf = (
  id: string,
  deps: string[],
  durationMs: number,
  extra: Partial<TaskNode> = {},
): TaskNode => ({ id, fn: "writeLog", deps, durationMs, kind: "io", ...extra });

/** `count` independent tasks of `durationMs` each: t0, t1, ... */
export const independentTasks = (count: number, durationMs: number): TaskNode[] =>
  Array.from({ length: count }, (_, index) => taskOf(`t${index}`, [], durationMs));

export const planOf = (
  strategy: StrategyName,
  workflow: Workflow,
  stateMachineForm?: RunPlan["stateMachineForm"],
): RunPlan =>
  planRun({
    runId: "forecast-test",
    strategy,
    workflow,
    scale: 1,
    ...(stateMachineForm ? { stateMachineForm } : {}),
  });

export interface ForecastOptions {
  runs?: number;
  budgetMs?: number;
  ownFunctions?: ReadonlyMap<string, OwnFunctionFacts>;
  /** The stepfunctions strategy's form of the DAG (the plan's). */
  stateMachineForm?: RunPlan["stateMachineForm"];
  /** The stepfunctions strategy's workflow type (Express unless said). */
  stateMachineType?: "express" | "standard";
}

/**
 * `runs` (default 1) measured runs of `workflow` under `strategy`'s registered model on
 * `parameters`: seed 1, every figure at its median, no warm-up run.
 */
export function forecast(
  strategy: StrategyName,
  workflow: Workflow,
  parameters: PlatformParameters,
  options: ForecastOptions = {},
): ForecastRun[] {
  const { runs = 1, stateMachineForm, ...settings } = options;
  return forecastRuns(
    planOf(strategy, workflow, stateMachineForm),
    strategy,
    strategyNamed(strategy).model,
    { parameters, seed: 1, mode: "median", warmup: 0, ...settings },
    runs,
  );
}

/** The one run of {@link forecast}. */
export function forecastOne(
  strategy: StrategyName,
  workflow: Workflow,
  parameters: PlatformParameters,
  options: Omit<ForecastOptions, "runs"> = {},
): ForecastRun {
  const [run] = forecast(strategy, workflow, parameters, options);
  if (!run) throw new Error(`no forecast run of ${strategy}`);
  return run;
}

/** A task's report by id, which must be there. */
export function taskIn(run: ForecastRun, id: string): TaskReport {
  const found = run.report.tasks.find((task) => task.id === id);
  if (!found) throw new Error(`no task ${id} in the report`);
  return found;
}

/** How many of `spans` run at `at` (started at or before it, not yet ended). */
export function runningAt(
  spans: ReadonlyArray<{ startedAt?: number; endedAt?: number }>,
  at: number,
): number {
  return spans.filter(
    (span) =>
      span.startedAt !== undefined && span.startedAt <= at && (span.endedAt ?? Infinity) > at,
  ).length;
}

/** The most of `spans` that ever run at once. */
export function peakConcurrency(
  spans: ReadonlyArray<{ startedAt?: number; endedAt?: number }>,
): number {
  const edges = spans.flatMap((span) =>
    span.startedAt === undefined
      ? []
      : [
          { at: span.startedAt, change: 1 },
          { at: span.endedAt ?? Infinity, change: -1 },
        ],
  );
  // Ends before starts at the same instant: a worker that ends hands its slot to the next.
  edges.sort((a, b) => a.at - b.at || a.change - b.change);
  let running = 0;
  let peak = 0;
  for (const edge of edges) {
    running += edge.change;
    peak = Math.max(peak, running);
  }
  return peak;
}

/** a -> b, a returning 128 KiB (an eighth of a MB): a payload for the per-MB figures. */
export const EIGHTH_OF_A_MB_CHAIN: Workflow = {
  tasks: [taskOf("a", [], 100, { outputBytes: 131_072 }), taskOf("b", ["a"], 100)],
};

/**
 * How much a per-MB `setting` at `msPerMb` adds to the forecast overhead of `workflow` under
 * `strategy`, on a platform that is otherwise the zero-latency fixed one.
 */
export function overheadGrowthWith(
  strategy: StrategyName,
  workflow: Workflow,
  setting: FixedSetting,
  msPerMb: number,
): number {
  const overheadAt = (value: number) =>
    forecastOne(strategy, workflow, fixedPlatform({ [setting]: value })).report.overheadMs;
  return overheadAt(msPerMb) - overheadAt(0);
}
