import type { PlannedTask } from "../workflow/plan.js";
import type { TaskReport } from "./types.js";

/** A task's report before anything ran: what was planned, and `skipped` until it runs. */
export function plannedTaskReport(task: PlannedTask): TaskReport {
  return {
    id: task.id,
    ...(task.fn === undefined ? {} : { fn: task.fn }),
    ...(task.function === undefined ? {} : { function: task.function }),
    deps: task.deps,
    kind: task.kind,
    durationMs: task.durationMs,
    level: task.level,
    status: "skipped",
  };
}
