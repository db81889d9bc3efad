import type { StrategyName } from "../strategies/names.js";
import { DEFAULT_TASK_DURATION_MS, type TaskFunctionName } from "../tasks/catalog.js";
import { taskLevels, topologicalOrder } from "./dag.js";
import type { TaskKind, TaskNode, Workflow } from "./types.js";

export interface PlannedTask extends TaskNode {
  durationMs: number;
  kind: TaskKind;
  level: number;
  /** Its own, or the workflow's: attempts after the first when it fails. */
  retries: number;
}

/** A planned task that runs one of the built-in task functions. */
export type BuiltInTask = PlannedTask & { fn: TaskFunctionName };

/** The task as a built-in one: every task without an own `function` names a built-in `fn`. */
export function asBuiltInTask(task: PlannedTask): BuiltInTask {
  if (task.fn === undefined) throw new Error(`task '${task.id}' names no built-in task function`);
  return task as BuiltInTask;
}

/** A validated workflow with defaults applied and durations scaled, ready to execute. */
export interface RunPlan {
  runId: string;
  strategy: StrategyName;
  scale: number;
  workflow: Workflow;
  /** How the stepfunctions strategy shapes the DAG (other strategies ignore it). */
  stateMachineForm?: "seriesParallel" | "levels";
  /** In topological order (stable: declaration order among ready tasks). */
  tasks: PlannedTask[];
}

export function planRun(options: {
  runId: string;
  strategy: StrategyName;
  workflow: Workflow;
  scale: number;
  stateMachineForm?: "seriesParallel" | "levels";
}): RunPlan {
  const levels = taskLevels(options.workflow);
  const tasks = topologicalOrder(options.workflow).map((task) => ({
    ...task,
    // An own function's time is its own: nothing is planned, and scale does not stretch it.
    durationMs:
      task.function === undefined
        ? Math.round((task.durationMs ?? DEFAULT_TASK_DURATION_MS) * options.scale)
        : 0,
    kind: task.kind ?? "io",
    level: levels.get(task.id) ?? 0,
    retries: task.retries ?? options.workflow.retries ?? 0,
  }));
  return { ...options, tasks };
}
