import { describeError, TaskFailedError } from "../errors.js";
import { functionEvent } from "../ownFunctions/functionEvent.js";
import { isOwnFunctionTask, NotApplicableError } from "../ownFunctions/ownFunctions.js";
import { byteLength } from "../payloadLimits.js";
import type { Clock, FunctionInvoker, InvocationOutcome, TaskInvoker } from "../ports.js";
import { buildRunReport } from "../runReport/buildRunReport.js";
import { plannedTaskReport } from "../runReport/plannedTaskReport.js";
import type { RunReport, TaskReport } from "../runReport/types.js";
import { taskRequestFor } from "../tasks/taskRequest.js";
import { asBuiltInTask, type PlannedTask, type RunPlan } from "../workflow/plan.js";
import { describeOutput } from "./describeOutput.js";

/** Enough ids to recognise the pattern; a 1,000-task run's full list belongs in the task reports. */
const LISTED_UNFINISHED = 10;

export function describeUnfinished(unfinished: PlannedTask[]): string {
  const listed = unfinished
    .slice(0, LISTED_UNFINISHED)
    .map((task) => task.id)
    .join(", ");
  const more = unfinished.length - LISTED_UNFINISHED;
  return `${unfinished.length} unfinished: ${listed}${more > 0 ? ` and ${more} more` : ""}`;
}

export interface ExecutorOptions {
  invoker: TaskInvoker;
  /** Invokes the user's own functions; a strategy without one cannot run them. */
  functions?: FunctionInvoker;
  clock: Clock;
  /** 1 runs tasks one at a time (sequential); Infinity starts every ready task at once. */
  maxConcurrency: number;
  /** Give up after this long: unfinished tasks are reported as timed out, never a hang. */
  budgetMs: number;
  /**
   * Whether a failed task is invoked again, up to its `retries` (the invoking orchestrators);
   * false when the transport's platform retries it itself (the queue: SQS redelivers).
   */
  reinvokeFailed?: boolean;
  /** Told as each task ends, after its report is complete. */
  onTaskEnded?: (taskId: string) => void;
}

/**
 * The one scheduling loop every strategy shares: starts each task once its deps have succeeded,
 * at most `maxConcurrency` at a time, passes deps' outputs as inputs, and records both views of
 * every task. After the first failure it starts nothing new and lets running tasks finish.
 */
export async function executeWorkflow(plan: RunPlan, options: ExecutorOptions): Promise<RunReport> {
  const { invoker, functions, clock, maxConcurrency, budgetMs } = options;
  const reports = new Map(plan.tasks.map((task) => [task.id, plannedTaskReport(task)]));
  const outputs = new Map<string, unknown>();
  const running = new Map<string, Promise<void>>();
  const waiting = [...plan.tasks];
  const abort = new AbortController();
  let runError: RunReport["error"];
  // Set once the report is built: a late answer from an abandoned task must not change it.
  let closed = false;

  const invokeOnce = (
    task: PlannedTask,
    inputs: Record<string, unknown>,
    attempt: number,
  ): Promise<InvocationOutcome> => {
    if (!isOwnFunctionTask(task)) {
      const request = taskRequestFor(plan, asBuiltInTask(task), inputs, attempt);
      return invoker.invoke(request, abort.signal);
    }
    if (!functions || !task.configuration) {
      const reason = functions ? "its configuration was not looked up" : "no function invoker";
      return Promise.reject(
        new NotApplicableError(`tasks.${task.id}`, `${plan.strategy} cannot invoke it: ${reason}`),
      );
    }
    const call = {
      taskId: task.id,
      function: task.function,
      configuration: task.configuration,
      event: functionEvent(task, inputs),
      ...(task.retries > 0 ? { retries: task.retries } : {}),
    };
    return functions.invokeFunction(call, abort.signal);
  };

  /**
   * One attempt, then as many more as the task's retries allow while it fails as a task (its
   * body threw, its Lambda returned an error or timed out); a refusal before the invoke (a
   * payload over a limit) or the run's end is not retried. `attempts` counts them on the report.
   */
  const invokeTask = async (
    task: PlannedTask,
    inputs: Record<string, unknown>,
    report: TaskReport,
  ): Promise<InvocationOutcome> => {
    const retries = options.reinvokeFailed === false ? 0 : task.retries;
    for (let attempt = 0; ; attempt += 1) {
      // On the report at once, so a failure says how many it took; a transport whose platform
      // retries (the queue) reports its own count in the outcome, which replaces this one.
      report.attempts = attempt + 1;
      try {
        return await invokeOnce(task, inputs, attempt);
      } catch (error) {
        if (!(error instanceof TaskFailedError) || attempt >= retries || abort.signal.aborted) {
          throw error;
        }
      }
    }
  };

  const start = (task: PlannedTask): void => {
    const report = reports.get(task.id) as TaskReport;
    const inputs = Object.fromEntries(task.deps.map((dep) => [dep, outputs.get(dep)]));
    report.bytesIn = byteLength(JSON.stringify(inputs));
    report.invokedAt = clock.now();
    const invocation = invokeTask(task, inputs, report).then(
      (outcome) => {
        if (closed) return;
        const returnedAt = clock.now();
        const { output, ...measured } = outcome;
        Object.assign(report, measured, describeOutput(output), {
          status: "succeeded",
          returnedAt,
        });
        outputs.set(task.id, output);
        options.onTaskEnded?.(task.id);
      },
      (error: unknown) => {
        if (closed) return;
        report.status = "failed";
        report.returnedAt = clock.now();
        report.error = describeError(error);
        if (error instanceof TaskFailedError && error.billing) report.billing = error.billing;
        runError ??= { taskId: task.id, ...report.error };
        options.onTaskEnded?.(task.id);
      },
    );
    running.set(
      task.id,
      invocation.finally(() => running.delete(task.id)),
    );
  };

  const startedAt = clock.now();
  const budgetExpired = clock.sleep(budgetMs, abort.signal).then(
    () => "budget" as const,
    () => "finished" as const,
  );

  while (true) {
    if (!runError) {
      for (let index = 0; index < waiting.length && running.size < maxConcurrency; ) {
        const task = waiting[index] as PlannedTask;
        if (task.deps.every((dep) => outputs.has(dep))) {
          waiting.splice(index, 1);
          start(task);
        } else index += 1;
      }
    }
    if (running.size === 0) break;
    const winner = await Promise.race([...running.values(), budgetExpired]);
    if (winner === "budget") {
      abort.abort();
      for (const id of running.keys()) {
        const report = reports.get(id) as TaskReport;
        report.status = "timedOut";
        report.error = { type: "Timeout", message: `did not finish within ${budgetMs} ms` };
      }
      const unfinished = plan.tasks.filter((task) => reports.get(task.id)?.status !== "succeeded");
      runError ??= {
        type: "Timeout",
        message: `run exceeded its ${budgetMs} ms budget; ${describeUnfinished(unfinished)}`,
      };
      break;
    }
  }
  const endedAt = clock.now();
  closed = true;
  // Also cancels the budget timer and any invocation still listening.
  abort.abort();
  return buildRunReport({
    plan,
    tasks: plan.tasks.map((task) => reports.get(task.id) as TaskReport),
    startedAt,
    endedAt,
    ...(runError ? { error: runError } : {}),
  });
}
