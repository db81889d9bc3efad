import { durableBreakEvenMs } from "../cost/durableBreakEven.js";
import { fromStoredSummary, summarizeHistory, toStoredSummary } from "../durable/history.js";
import { durableLimitRefusal, RUN_RECORD_ENDING_OPERATIONS } from "../durable/limits.js";
import { describeError } from "../errors.js";
import { functionEvent } from "../ownFunctions/functionEvent.js";
import { measureFromTimestamps } from "../ownFunctions/measurement.js";
import { isOwnFunctionTask } from "../ownFunctions/ownFunctions.js";
import { byteLength } from "../payloadLimits.js";
import type { DurableScheduler } from "../ports.js";
import { buildRunReport } from "../runReport/buildRunReport.js";
import { plannedTaskReport } from "../runReport/plannedTaskReport.js";
import type { DurableReport, RunReport, TaskReport } from "../runReport/types.js";
import { taskResultSchema } from "../tasks/schema.js";
import { taskRequestFor } from "../tasks/taskRequest.js";
import type { TaskResult } from "../tasks/types.js";
import { asBuiltInTask, type PlannedTask, type RunPlan } from "../workflow/plan.js";
import { describeOutput } from "./describeOutput.js";
import { describeUnfinished } from "./executeWorkflow.js";
import type { DurableTransport, ReportFinisher, RunContext } from "./types.js";

export type DurableContext = RunContext & DurableTransport;

/** How one task's child context ended; checkpointed, so a replay gets the same answer. */
type TaskOutcome =
  // An own function's result is its output alone.
  | { status: "succeeded"; result: TaskResult | { output: unknown }; attempts: number }
  | { status: "failed"; error: { type: string; message: string }; attempts: number }
  | { status: "skipped" };

/** Operation names: readable in the execution's history, unique per task (and attempt). */
export const childContextName = (task: PlannedTask) => `task ${task.id}`;
export const invokeName = (task: PlannedTask, attempt = 0) =>
  attempt === 0 ? `invoke ${task.id}` : `invoke ${task.id} #${attempt + 1}`;

/** One checkpointed invoke of a task: its own function with its event, or a built-in task. */
async function invokeAttempt(
  plan: RunPlan,
  context: DurableContext,
  child: DurableScheduler,
  task: PlannedTask,
  inputs: Record<string, unknown>,
  attempt: number,
): Promise<TaskResult | { output: unknown }> {
  const name = invokeName(task, attempt);
  if (isOwnFunctionTask(task)) {
    // The function's own answer is the output: its span comes from the history.
    const output = await child.invoke<unknown>(
      name,
      task.configuration?.arn ?? task.function,
      functionEvent(task, inputs),
    );
    return { output: output ?? null };
  }
  const builtIn = asBuiltInTask(task);
  return child.invoke<TaskResult>(
    name,
    context.functionNameOf(builtIn.fn),
    taskRequestFor(plan, builtIn, inputs, attempt),
  );
}

/**
 * Schedules the DAG inside the durable execution: one child context per task, every one created
 * up front in the plan's topological order (operation ids come from call order, which must be the
 * same in every replay), each awaiting its deps' contexts and then invoking its task function,
 * so a task starts as soon as its deps are done (the fanout policy). A failed invoke is caught
 * inside its context: the run fails naming it, its dependents are skipped, and independent tasks
 * still run and are reported.
 */
async function scheduleTasks(
  plan: RunPlan,
  context: DurableContext,
): Promise<Map<string, TaskOutcome | undefined>> {
  // The run's timer comes first, so that its operation id is the same in every replay.
  const budget = context.scheduler.wait(
    "run budget",
    Math.max(Math.ceil(context.runBudgetMs / 1000), 1),
  );
  const outcomes = new Map<string, Promise<TaskOutcome>>();
  const settled = new Map<string, TaskOutcome>();
  for (const task of plan.tasks) {
    const deps = task.deps.map((dep) => outcomes.get(dep) as Promise<TaskOutcome>);
    const outcome = context.scheduler.runInChildContext(
      childContextName(task),
      async (child): Promise<TaskOutcome> => {
        const depOutcomes = await Promise.all(deps);
        const inputs: Record<string, unknown> = {};
        for (const [index, dep] of task.deps.entries()) {
          const depOutcome = depOutcomes[index] as TaskOutcome;
          if (depOutcome.status !== "succeeded") return { status: "skipped" };
          inputs[dep] = depOutcome.result.output;
        }
        // Each attempt is an invoke operation of its own, named by its number: a replay makes the
        // same calls in the same order, so the checkpoints answer the attempts already made.
        for (let attempt = 0; ; attempt += 1) {
          try {
            const result = await invokeAttempt(plan, context, child, task, inputs, attempt);
            return { status: "succeeded", result, attempts: attempt + 1 };
          } catch (error) {
            if (attempt >= task.retries) {
              return { status: "failed", error: describeError(error), attempts: attempt + 1 };
            }
          }
        }
      },
    );
    outcomes.set(task.id, outcome);
    void outcome.then((value) => {
      settled.set(task.id, value);
      if (value.status !== "skipped") context.onTaskEnded?.(task.id);
    });
  }
  // Whichever comes first: every task's outcome, or the budget (tasks still running are left to
  // finish on their own; the service cannot cancel an invoke, and the run answers now).
  await Promise.race([Promise.all(outcomes.values()), budget]);
  // Outcomes replayed from their checkpoints resolve in the same turn as the timer: let them
  // land before reading which tasks finished.
  await context.clock.sleep(0);
  return new Map(plan.tasks.map((task) => [task.id, settled.get(task.id)]));
}

/** The first failed task; or, when the budget ran out first, the tasks it left unfinished. */
function runErrorOf(
  plan: RunPlan,
  tasks: TaskReport[],
  budgetMs: number,
): { error?: NonNullable<RunReport["error"]> } {
  const failed = tasks.find((task) => task.status === "failed");
  if (failed?.error) return { error: { taskId: failed.id, ...failed.error } };
  if (!tasks.some((task) => task.status === "timedOut")) return {};
  const unfinished = plan.tasks.filter((_, index) => tasks[index]?.status !== "succeeded");
  return {
    error: {
      type: "Timeout",
      message: `run exceeded its ${budgetMs} ms budget; ${describeUnfinished(unfinished)}`,
    },
  };
}

/**
 * Lambda durable functions: the orchestrator is a durable execution that checkpoints each task's
 * invoke and is suspended, not billed, while the task runs; the service replays it when a result
 * arrives. The report takes both views of each task (the service's invoke operation from the
 * execution's history, the task's own span) and the replays with their billed time.
 */
export async function runDurable(plan: RunPlan, context: DurableContext): Promise<RunReport> {
  const refused = durableLimitRefusal(plan);
  if (refused) {
    const now = context.clock.now();
    return buildRunReport({
      plan,
      tasks: plan.tasks.map(plannedTaskReport),
      startedAt: now,
      endedAt: now,
      error: describeError(refused),
    });
  }
  const outcomes = await scheduleTasks(plan, context);
  // Past this point nothing is checkpointed: only the replay that finishes the run gets here.
  const endedAt = context.clock.now();
  // A step, not a plain await: once every task is answered only the budget timer is left, and
  // the SDK would suspend this replay mid-read (20 ms after the last operation settled) and
  // sleep until the timer fires. Its checkpoint is the summary, a few bytes per task.
  const history = fromStoredSummary(
    await context.scheduler.step("read history", async () =>
      toStoredSummary(summarizeHistory(await context.history.read(context.executionArn))),
    ),
  );
  const outputs = new Map<string, unknown>();
  const tasks = plan.tasks.map((task): TaskReport => {
    const base = plannedTaskReport(task);
    const outcome = outcomes.get(task.id);
    // The last attempt's invoke: the one whose answer stands.
    const attempts = outcome && outcome.status !== "skipped" ? outcome.attempts : 1;
    const invoke = history.invokes.get(invokeName(task, attempts - 1));
    const seen = {
      ...(invoke?.startedAt === undefined ? {} : { invokedAt: invoke.startedAt }),
      ...(invoke?.endedAt === undefined ? {} : { returnedAt: invoke.endedAt }),
      ...(outcome && outcome.status !== "skipped" ? { attempts } : {}),
    };
    if (outcome === undefined) {
      // Unfinished when the budget ran out: started if its deps had all succeeded, else waiting.
      const started = task.deps.every((dep) => outcomes.get(dep)?.status === "succeeded");
      const error = { type: "Timeout", message: `did not finish within ${context.runBudgetMs} ms` };
      return started ? { ...base, ...seen, status: "timedOut", error } : base;
    }
    if (outcome.status === "skipped") return base;
    // The SDK's InvokeError keeps the task's message but not its error type: the history has both.
    if (outcome.status === "failed") {
      return { ...base, ...seen, status: "failed", error: invoke?.error ?? outcome.error };
    }
    // An own function answers with its output alone, measured from the invoke's times; a
    // built-in task answers with its output and its own span and billing.
    let output: unknown;
    let measured: Partial<TaskReport>;
    if (isOwnFunctionTask(task)) {
      output = outcome.result.output;
      measured =
        task.configuration && invoke?.startedAt !== undefined && invoke.endedAt !== undefined
          ? measureFromTimestamps(task.configuration, invoke.startedAt, invoke.endedAt)
          : {};
    } else {
      const parsed = taskResultSchema.safeParse(outcome.result);
      if (!parsed.success) {
        return {
          ...base,
          ...seen,
          status: "failed",
          error: { type: "InvalidTaskResult", message: parsed.error.message },
        };
      }
      ({ output, ...measured } = parsed.data);
    }
    outputs.set(task.id, output);
    const inputs = Object.fromEntries(task.deps.map((dep) => [dep, outputs.get(dep)]));
    return {
      ...base,
      ...seen,
      ...measured,
      bytesIn: byteLength(JSON.stringify(inputs)),
      ...describeOutput(output),
      status: "succeeded",
    };
  });
  const startedAt = history.startedAt ?? context.invocationStartedAt;
  const report = buildRunReport({
    plan,
    tasks,
    startedAt,
    endedAt,
    ...runErrorOf(plan, tasks, context.runBudgetMs),
  });
  const replays = [...history.invocations, { startedAt: context.invocationStartedAt, endedAt }].map(
    (replay) => ({ ...replay, billedMs: Math.ceil(replay.endedAt - replay.startedAt) }),
  );
  const replaysMs = replays.reduce((sum, replay) => sum + (replay.endedAt - replay.startedAt), 0);
  const durable: DurableReport = {
    executionArn: context.executionArn,
    replays,
    // The history was read inside a step: count it too, and the record's ending after it.
    operations: history.operations + 1 + RUN_RECORD_ENDING_OPERATIONS,
    bytesCheckpointed: history.bytesCheckpointed,
    suspendedMs: Math.max(report.wallMs - replaysMs, 0),
    retentionDays: context.retentionDays,
  };
  return { ...report, durable };
}

/**
 * Finishes a durable run's report once the orchestrator's invocation is priced: the replay that
 * answers is billed to that point, past the run's own end, and the break-even critical path
 * against fanout follows from the priced usage.
 */
export const finishDurableReport: ReportFinisher = (report, { usage, orchestrator }) => {
  if (!report.durable) return report;
  const durable: DurableReport = {
    ...report.durable,
    replays: report.durable.replays.map((replay, index, all) =>
      index === all.length - 1 ? { ...replay, billedMs: orchestrator.billedMs } : replay,
    ),
    breakEvenCriticalPathMs: durableBreakEvenMs(usage, orchestrator) ?? 0,
  };
  return { ...report, durable };
};
