import { InvalidInputError } from "../errors.js";
import { DURABLE_STRATEGY, type StrategyName } from "../strategies/names.js";
import { criticalPath } from "../workflow/dag.js";
import type { PlannedTask, RunPlan } from "../workflow/plan.js";
import type { RunMode } from "./record.js";

/**
 * A synchronous run answers inside API Gateway's 29 s integration timeout: its orchestrator gives
 * up 1.5 s before it, so that a late run still answers with its report.
 */
export const SYNCHRONOUS_RUN_BUDGET_MS = 27_500;

/** Kept back from an asynchronous orchestrator's 15 minutes to write the run's record. */
const ASYNC_RECORD_MARGIN_MS = 15_000;
/** Lambda's longest invocation: the orchestrators' timeout (serverless.yml) for async runs. */
export const LAMBDA_TIMEOUT_MS = 15 * 60_000;

/** A task function's timeout (serverless.yml) less what the task needs besides its own work. */
export const LONGEST_TASK: RunLimit = {
  ms: LAMBDA_TIMEOUT_MS - 5_000,
  limit: "a task function's 15-minute timeout (Lambda's longest)",
};

export interface RunLimit {
  ms: number;
  /** The limit, named as the refusal and the docs say it. */
  limit: string;
}

/**
 * The longest a run may take, by mode and strategy. Synchronous: the request's budget, for every
 * strategy. Asynchronous: a Lambda orchestrator's own 15 minutes (sequential, fanout, queue,
 * inline, and stepfunctions, whose orchestrator waits on the Standard execution it started); the
 * durable execution's timeout that the template's DurableConfig sets.
 */
export function runLimit(
  strategy: StrategyName,
  mode: RunMode,
  settings: { durableExecutionTimeoutMs?: number } = {},
): RunLimit {
  if (mode === "sync") {
    return {
      ms: SYNCHRONOUS_RUN_BUDGET_MS,
      limit:
        "a synchronous request's 27.5 s (API Gateway's 29 s); run it asynchronously (Prefer: respond-async)",
    };
  }
  if (strategy === DURABLE_STRATEGY && settings.durableExecutionTimeoutMs) {
    return {
      ms: settings.durableExecutionTimeoutMs - ASYNC_RECORD_MARGIN_MS,
      limit: `the durable execution's timeout of ${Math.round(settings.durableExecutionTimeoutMs / 60_000)} minutes (DurableConfig)`,
    };
  }
  return {
    ms: LAMBDA_TIMEOUT_MS - ASYNC_RECORD_MARGIN_MS,
    limit: "the orchestrator Lambda's 15-minute timeout",
  };
}

/**
 * Refuses up front (400 naming `workflow`) a plan whose critical path alone is past the run's
 * limit, or a task longer than the longest one its transport can run: such a run could only end
 * timed out.
 */
export function assertPlanFits(
  plan: RunPlan,
  limit: RunLimit,
  longestTask: RunLimit = LONGEST_TASK,
): void {
  const durations = new Map(plan.tasks.map((task) => [task.id, task.durationMs]));
  const path = criticalPath(
    { ...plan.workflow, tasks: plan.tasks },
    (task) => durations.get(task.id) ?? 0,
  );
  if (path.lengthMs > limit.ms) {
    throw new InvalidInputError(
      "workflow",
      `its critical path (${path.taskIds.length} tasks, ${formatSeconds(path.lengthMs)}) is longer than ${plan.strategy}'s longest run here, ${formatSeconds(limit.ms)}: ${limit.limit}`,
    );
  }
  const longest = plan.tasks.reduce<PlannedTask | undefined>(
    (found, task) => (found && found.durationMs >= task.durationMs ? found : task),
    undefined,
  );
  if (longest && longest.durationMs > longestTask.ms) {
    throw new InvalidInputError(
      `workflow.tasks.${longest.id}.durationMs`,
      `${formatSeconds(longest.durationMs)} is longer than a task can run under ${plan.strategy}: ${longestTask.limit}`,
    );
  }
}

const formatSeconds = (ms: number) => `${Number((ms / 1000).toFixed(1))} s`;
