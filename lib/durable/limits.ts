import { LimitExceededError, PayloadTooLargeError } from "../errors.js";
import { DURABLE_CHECKPOINT_PAYLOAD_LIMIT } from "../payloadLimits.js";
import type { RunPlan } from "../workflow/plan.js";

/**
 * 3,000 operations in one durable execution. The sources conflict: AWS's quotas as several third
 * parties transcribe them, and a cloud test that checkpointed exactly 3,000 sequential steps with
 * each official SDK (github.com/aws/aws-durable-execution-sdk-python issue 710, 2026-09-09), say
 * 3,000; AWS's durable execution SDK for Rust (LIMITS.md, docs.rs durable-execution-sdk, read
 * 2026-12-02) says 25,000 in a history. Where sources conflict the project enforces the lower.
 */
export const DURABLE_OPERATIONS_LIMIT = { name: "durable operations per execution", count: 3000 };

/**
 * The steps that keep the run's record after its history is read: its ending
 * (functions/http/createRunHandler.ts), checkpointed so that the SDK does not suspend the
 * invocation while it is written.
 */
export const RUN_RECORD_ENDING_OPERATIONS = 1;

/**
 * The steps that keep the run's record (functions/http/createRunHandler.ts): accepting the run (or,
 * for an asynchronous one, claiming it) and marking it started, each checkpointed so that a
 * replay does not decide them again, and its ending.
 */
export const RUN_RECORD_OPERATIONS = 2 + RUN_RECORD_ENDING_OPERATIONS;

/**
 * The execution itself, the run's budget timer, the run record's steps, a child context and an
 * invoke for each task (one more invoke per retry, at most), and the step that reads the history
 * at the end (lib/strategies/durable.ts).
 */
export function durableOperationsOf(plan: RunPlan): number {
  return 3 + RUN_RECORD_OPERATIONS + plan.tasks.reduce((sum, task) => sum + 2 + task.retries, 0);
}

/**
 * Refuses, before any operation is checkpointed, a run the service would stop part way: more
 * operations than one execution may hold, or a task whose request (its deps' outputs) or result
 * would not fit a checkpoint.
 */
export function durableLimitRefusal(plan: RunPlan): Error | undefined {
  const operations = durableOperationsOf(plan);
  if (operations > DURABLE_OPERATIONS_LIMIT.count) {
    return new LimitExceededError(
      `the operations this workflow needs (6 + 2 per task + 1 per retry)`,
      operations,
      DURABLE_OPERATIONS_LIMIT,
    );
  }
  const outputBytes = new Map(plan.tasks.map((task) => [task.id, task.outputBytes ?? 0]));
  for (const task of plan.tasks) {
    const own = outputBytes.get(task.id) ?? 0;
    if (own > DURABLE_CHECKPOINT_PAYLOAD_LIMIT.bytes) {
      return new PayloadTooLargeError(
        `task '${task.id}''s planned output`,
        own,
        DURABLE_CHECKPOINT_PAYLOAD_LIMIT,
      );
    }
    const inputs = task.deps.reduce((sum, dep) => sum + (outputBytes.get(dep) ?? 0), 0);
    if (inputs > DURABLE_CHECKPOINT_PAYLOAD_LIMIT.bytes) {
      return new PayloadTooLargeError(
        `task '${task.id}''s inputs (its deps' planned outputs)`,
        inputs,
        DURABLE_CHECKPOINT_PAYLOAD_LIMIT,
      );
    }
  }
  return undefined;
}
