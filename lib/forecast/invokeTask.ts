import type { TaskReport } from "../runReport/types.js";
import type { PlannedTask } from "../workflow/plan.js";
import type { InvocationRecord } from "./lambdaService.js";
import type { ModelContext } from "./model.js";
import type { SimulatedOutcome } from "./scheduleDag.js";
import { sdkRetryQuotaOf } from "./sdkRetry.js";
import { functionOfTask, outputBytesOf, taskWork } from "./taskBodies.js";

/** The task invoker's throttle pacing (adapters/LambdaTaskInvoker.ts), in simulated time. */
const FIRST_THROTTLE_BACKOFF_MS = 50;
const MAX_THROTTLE_BACKOFF_MS = 1000;

/**
 * An invoking orchestrator's invokes, as adapters/LambdaTaskInvoker.ts makes them: a refused
 * invoke (429) waits for one of this orchestrator's own invocations to end, or backs off with
 * jitter when none is in flight, and tries again; a task that failed is invoked again while its
 * retries allow.
 */
export class SimulatedTaskInvoker {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly context: ModelContext) {}

  invoke(task: PlannedTask, bytesIn: number, done: (outcome: SimulatedOutcome) => void): void {
    const { lambda, ownFunctions } = this.context;
    const fn = functionOfTask(task, ownFunctions);
    const bytesOut = outputBytesOf(task, ownFunctions);
    const { environment } = this.context.orchestrator;
    const sdkRetries = sdkRetryQuotaOf(environment);
    let invokeRetries = 0;
    const attemptAt = (attempt: number, throttles: number) => {
      this.inFlight += 1;
      // One SDK call: the SDK's own retries of a throttled invoke happen inside it.
      const send = (retries: number) =>
        lambda.invoke(
          environment,
          fn,
          { bytesIn, bytesOut: () => bytesOut },
          taskWork(lambda, task, attempt, ownFunctions, fn.memoryMb),
          (record) => {
            if (record.throttled) {
              const delay = sdkRetries.retryAfterThrottle(retries, () =>
                this.context.simulation.uniform(),
              );
              if (delay !== undefined) {
                invokeRetries += 1;
                this.context.simulation.after(delay, () => send(retries + 1));
                return;
              }
            } else sdkRetries.succeeded(retries);
            ended(record);
          },
        );
      const ended = (record: InvocationRecord) => {
        this.inFlight -= 1;
        if (!record.throttled) this.waiting.shift()?.();
        if (record.throttled) {
          invokeRetries += 1;
          this.afterThrottle(throttles, () => attemptAt(attempt, throttles + 1));
          return;
        }
        if (record.failed && attempt < task.retries) {
          attemptAt(attempt + 1, 0);
          return;
        }
        done(outcomeOf(record, attempt + 1, invokeRetries, bytesOut));
      };
      send(0);
    };
    attemptAt(0, 0);
  }

  /**
   * A refused invoke waits for one of this orchestrator's own invocations to end, or, with none in
   * flight, backs off (50 ms doubling to 1 s, equal jitter). The real invoker also wakes a waiter
   * after 3 s in case the freed unit went elsewhere; in the simulation a freed unit always wakes
   * the longest waiter, so that fallback is left out (it only re-queues the waiter).
   */
  private afterThrottle(attempt: number, retry: () => void): void {
    const { simulation } = this.context;
    if (this.inFlight > 0) {
      this.waiting.push(retry);
      return;
    }
    const ceiling = Math.min(MAX_THROTTLE_BACKOFF_MS, FIRST_THROTTLE_BACKOFF_MS * 2 ** attempt);
    simulation.after((0.5 + simulation.uniform() / 2) * ceiling, retry);
  }
}

/** A task's report fields from its last invocation. */
export function outcomeOf(
  record: InvocationRecord,
  attempts: number,
  invokeRetries: number,
  bytesOut: number,
): SimulatedOutcome {
  const fields: Partial<TaskReport> = {
    invokedAt: record.invokedAt,
    returnedAt: record.returnedAt,
    ...(record.startedAt === undefined ? {} : { startedAt: record.startedAt }),
    ...(record.endedAt === undefined ? {} : { endedAt: record.endedAt }),
    coldStart: record.coldStart,
    ...(record.billing ? { billing: record.billing } : {}),
    attempts,
    ...(invokeRetries > 0 ? { invokeRetries } : {}),
  };
  if (!record.failed) return { status: "succeeded", fields, bytesOut };
  return {
    status: "failed",
    fields,
    bytesOut: 0,
    error: record.crashed
      ? { type: "Runtime.ExitError", message: "the task's environment exited" }
      : { type: "Error", message: "the task failed" },
  };
}
