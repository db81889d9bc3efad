import { criticalPath } from "../workflow/dag.js";
import type { RunPlan } from "../workflow/plan.js";
import type { RunReport, TaskReport } from "./types.js";

/** The measured duration of a task: its own span when it reported one, else what was seen. */
function measuredDuration(task: TaskReport): number {
  if (task.startedAt !== undefined && task.endedAt !== undefined) {
    return task.endedAt - task.startedAt;
  }
  if (task.invokedAt !== undefined && task.returnedAt !== undefined) {
    return task.returnedAt - task.invokedAt;
  }
  return 0;
}

/** Derives wall time, critical path and overhead from the per-task records of one run. */
export function buildRunReport(options: {
  plan: RunPlan;
  tasks: TaskReport[];
  startedAt: number;
  endedAt: number;
  error?: RunReport["error"];
}): RunReport {
  const { plan, tasks, startedAt, endedAt, error } = options;
  const byId = new Map(tasks.map((task) => [task.id, task]));
  const path = criticalPath(plan.workflow, (node) => {
    const task = byId.get(node.id);
    return task ? measuredDuration(task) : 0;
  });
  const levelsOnPath = new Set(path.taskIds.map((id) => byId.get(id)?.level ?? 0)).size;
  const wallMs = endedAt - startedAt;
  return {
    runId: plan.runId,
    strategy: plan.strategy,
    status: error ? "failed" : "succeeded",
    ...(error ? { error } : {}),
    scale: plan.scale,
    startedAt,
    endedAt,
    wallMs,
    criticalPathMs: path.lengthMs,
    criticalPath: path.taskIds,
    overheadMs: wallMs - path.lengthMs,
    levels: Math.max(levelsOnPath, 1),
    coldStarts: tasks.filter((task) => task.coldStart).length,
    tasks,
  };
}
