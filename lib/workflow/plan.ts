import type { StrategyName } from "../report/types.js";
import { DEFAULT_TASK_DURATION_MS } from "../tasks/catalog.js";
import { taskLevels, topologicalOrder } from "./dag.js";
import type { TaskKind, TaskNode, Workflow } from "./types.js";

export interface PlannedTask extends TaskNode {
  durationMs: number;
  kind: TaskKind;
  level: number;
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
    durationMs: Math.round((task.durationMs ?? DEFAULT_TASK_DURATION_MS) * options.scale),
    kind: task.kind ?? "io",
    level: levels.get(task.id) ?? 0,
  }));
  return { ...options, tasks };
}
