import * as z from "zod/mini";
import { describeError, PayloadTooLargeError } from "../errors.js";
import { measureFromTimestamps } from "../ownFunctions/measurement.js";
import { isOwnFunctionTask } from "../ownFunctions/ownFunctions.js";
import { byteLength, STEP_FUNCTIONS_PAYLOAD_LIMIT } from "../payloadLimits.js";
import type { StateMachineExecution, StateMachineRunner } from "../ports.js";
import { buildRunReport } from "../runReport/buildRunReport.js";
import { plannedTaskReport } from "../runReport/plannedTaskReport.js";
import type { RunReport, TaskReport } from "../runReport/types.js";
import {
  buildStateMachine,
  type ExecutionInput,
  type StateMachineForm,
} from "../stepfunctions/buildStateMachine.js";
import { TASK_FAILED_ERROR, withTaskFailures } from "../stepfunctions/withTaskFailures.js";
import type { TaskFunctionName } from "../tasks/catalog.js";
import { lambdaErrorPayloadSchema, taskResultSchema } from "../tasks/schema.js";
import type { PlannedTask, RunPlan } from "../workflow/plan.js";
import { describeOutput } from "./describeOutput.js";
import type { RunContext } from "./types.js";

export interface StepFunctionsContext extends RunContext {
  stateMachines: StateMachineRunner;
  functionArnOf: (fn: TaskFunctionName) => string;
  form?: StateMachineForm;
}

/**
 * Which task failed and how, from a failed execution's error (`TaskFailed:<state key>`, the key
 * mapped back to its task id by `taskIdOf`) and cause.
 */
function describeFailure(
  execution: StateMachineExecution,
  taskIdOf: ReadonlyMap<string, string>,
): NonNullable<RunReport["error"]> {
  const error = execution.error ?? "States.Failed";
  const taskId = error.startsWith(TASK_FAILED_ERROR)
    ? taskIdOf.get(error.slice(TASK_FAILED_ERROR.length))
    : undefined;
  let type = taskId ? "Error" : error;
  let message = execution.cause ?? `the execution ended ${execution.status}`;
  try {
    // A Lambda task's cause is its error payload: { errorType, errorMessage, trace }.
    const cause = lambdaErrorPayloadSchema.safeParse(JSON.parse(execution.cause ?? ""));
    if (cause.success) {
      type = cause.data.errorType ?? type;
      message = cause.data.errorMessage ?? message;
    }
  } catch {
    // Not JSON: the cause is the message.
  }
  return { ...(taskId ? { taskId } : {}), type, message };
}

/** A generated machine's output (buildStateMachine.ts): every task's result by state key. */
const executionOutputSchema = z.object({
  results: z.optional(z.record(z.string(), z.unknown())),
});

/** An own function's result as its Task and Pass states leave it (buildStateMachine.ts). */
const ownFunctionResultSchema = z.object({
  output: z.unknown(),
  startedAt: z.string(),
  endedAt: z.object({ at: z.string() }),
  /** With retries: the Task state's RetryCount when it succeeded. */
  retryCount: z.optional(z.int()),
});

function taskReport(
  task: PlannedTask,
  results: Record<string, unknown>,
  failure: RunReport["error"],
): TaskReport {
  const base = plannedTaskReport(task);
  if (failure?.taskId === task.id) {
    return { ...base, status: "failed", error: { type: failure.type, message: failure.message } };
  }
  // What Step Functions passed the task: its deps' outputs, as the other strategies send them.
  const inputs = Object.fromEntries(
    task.deps.map((dep) => [dep, (results[dep] as { output?: unknown } | undefined)?.output]),
  );
  if (isOwnFunctionTask(task)) {
    const answered = ownFunctionResultSchema.safeParse(results[task.id]);
    if (!answered.success) return base;
    const { output, startedAt, endedAt, retryCount } = answered.data;
    return {
      ...base,
      ...(retryCount === undefined ? {} : { attempts: retryCount + 1 }),
      ...(task.configuration
        ? measureFromTimestamps(task.configuration, Date.parse(startedAt), Date.parse(endedAt.at))
        : {}),
      bytesIn: byteLength(JSON.stringify(inputs)),
      ...describeOutput(output),
      status: "succeeded",
    };
  }
  const parsed = taskResultSchema.safeParse(results[task.id]);
  if (!parsed.success) return base;
  const { output, ...measured } = parsed.data;
  return {
    ...base,
    ...measured,
    bytesIn: byteLength(JSON.stringify(inputs)),
    ...describeOutput(output),
    status: "succeeded",
  };
}

/**
 * Refuses, before anything starts, a workflow whose data cannot fit Step Functions' 256 KB:
 * the execution input (each task's values) and the state, where every result accumulates.
 */
export function payloadRefusal(
  plan: RunPlan,
  input: ExecutionInput,
): PayloadTooLargeError | undefined {
  const inputBytes = byteLength(JSON.stringify(input));
  if (inputBytes > STEP_FUNCTIONS_PAYLOAD_LIMIT.bytes) {
    return new PayloadTooLargeError(
      "the execution input (the tasks' ids and values)",
      inputBytes,
      STEP_FUNCTIONS_PAYLOAD_LIMIT,
    );
  }
  const dataBytes = plan.tasks.reduce((sum, task) => sum + (task.outputBytes ?? 0), 0);
  if (dataBytes > STEP_FUNCTIONS_PAYLOAD_LIMIT.bytes) {
    return new PayloadTooLargeError(
      "the data this workflow's tasks return",
      dataBytes,
      STEP_FUNCTIONS_PAYLOAD_LIMIT,
    );
  }
  return undefined;
}

/**
 * The managed scheduler: the DAG becomes a state machine (Parallel states in series-parallel
 * form) that Step Functions runs, calling each task Lambda itself: an Express workflow unless the
 * context asks for Standard (`stateMachineType`), which the report says with what it billed. The report is
 * built from the tasks' own spans, which every task returns and the execution's output collects;
 * Step Functions does its own scheduling, so this strategy does not use the shared loop.
 *
 * The state machine is the workflow's shape (one per shape, whatever the task ids): the run's
 * ids and values go in the execution input, and results and the failed task come back under
 * state keys, which the report maps back to task ids.
 *
 * A failed execution returns no output: the failed task is named by its error
 * (`TaskFailed:<state key>`), and the tasks' spans of that run are unknown, so they are reported
 * skipped.
 */
export async function runStepFunctions(
  plan: RunPlan,
  context: StepFunctionsContext,
): Promise<RunReport> {
  const machine = buildStateMachine(plan, {
    functionArnOf: context.functionArnOf,
    form: plan.stateMachineForm ?? context.form ?? "seriesParallel",
  });
  const definition = withTaskFailures(machine.definition);
  const type = context.stateMachineType ?? "express";
  const stateMachine = {
    form: machine.form,
    type,
    addedEdges: machine.addedEdges,
    structuralDelayMs: machine.structuralDelayMs,
  };
  const refused = payloadRefusal(plan, machine.input);
  if (refused) {
    const now = context.clock.now();
    return {
      ...buildRunReport({
        plan,
        tasks: plan.tasks.map(plannedTaskReport),
        startedAt: now,
        endedAt: now,
        error: describeError(refused),
      }),
      stateMachine,
    };
  }
  const abort = new AbortController();
  const startedAt = context.clock.now();
  const deadline = context.clock.sleep(context.budgetMs, abort.signal).then(
    () => abort.abort(),
    () => {},
  );
  let execution: StateMachineExecution;
  try {
    execution = await context.stateMachines.run(definition, machine.input, abort.signal, { type });
  } catch (error) {
    if (!abort.signal.aborted) throw error;
    // Given up on: what a Standard execution made so far is unknown (its cost is then a lower bound).
    execution = {
      type,
      status: "TIMED_OUT",
      error: "Timeout",
      cause: `run exceeded its ${context.budgetMs} ms budget`,
    };
  } finally {
    abort.abort();
    await deadline;
  }
  const endedAt = context.clock.now();
  const taskIdOf = new Map([...machine.stateKeys].map(([id, key]) => [key, id]));
  const failure =
    execution.status === "SUCCEEDED" ? undefined : describeFailure(execution, taskIdOf);
  const byKey = executionOutputSchema.safeParse(execution.output).data?.results ?? {};
  const results = Object.fromEntries(
    [...machine.stateKeys].map(([id, key]) => [id, byKey[key]] as const),
  );
  const report = buildRunReport({
    plan,
    tasks: plan.tasks.map((task) => taskReport(task, results, failure)),
    startedAt,
    endedAt,
    ...(failure ? { error: failure } : {}),
  });
  return {
    ...report,
    stateMachine: {
      ...stateMachine,
      ...(execution.billing ? { billing: execution.billing } : {}),
      ...(execution.transitions === undefined ? {} : { transitions: execution.transitions }),
    },
  };
}
