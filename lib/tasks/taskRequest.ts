import type { BuiltInTask, RunPlan } from "../workflow/plan.js";
import type { TaskRequest } from "./types.js";

/**
 * The request a task function receives for one planned task, its deps' outputs as `inputs`: the
 * same whichever strategy sends it (Step Functions builds its own from state keys).
 */
export function taskRequestFor(
  plan: RunPlan,
  task: BuiltInTask,
  inputs: Record<string, unknown>,
  attempt = 0,
): TaskRequest {
  return {
    runId: plan.runId,
    taskId: task.id,
    fn: task.fn,
    durationMs: task.durationMs,
    kind: task.kind,
    inputs,
    ...(task.outputBytes === undefined ? {} : { outputBytes: task.outputBytes }),
    ...(task.fail ? { fail: task.fail } : {}),
    ...(task.fault ? { fault: task.fault, attempt } : attempt > 0 ? { attempt } : {}),
    // For a transport whose platform retries (the queue's worker asks SQS to redeliver).
    ...(task.retries > 0 ? { retries: task.retries } : {}),
  };
}
