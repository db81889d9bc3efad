import { describeError, PayloadTooLargeError } from "../errors.js";
import type { StrategyModel } from "../forecast/model.js";
import { functionOfTask, outputBytesOf, taskWork } from "../forecast/taskBodies.js";
import { isOwnFunctionTask } from "../ownFunctions/ownFunctions.js";
import { STEP_FUNCTIONS_PAYLOAD_LIMIT } from "../payloadLimits.js";
import { buildRunReport } from "../runReport/buildRunReport.js";
import { plannedTaskReport } from "../runReport/plannedTaskReport.js";
import type { TaskReport } from "../runReport/types.js";
import { type AslBranch, type AslState, THROTTLE_RETRY } from "../stepfunctions/asl.js";
import { buildStateMachine } from "../stepfunctions/buildStateMachine.js";
import { DEFAULT_OUTPUT_BYTES } from "../tasks/catalog.js";
import { payloadRefusal } from "./stepfunctions.js";

/** Express workflows run at most 5 minutes (Step Functions quotas). */
export const EXPRESS_MAX_DURATION_MS = 5 * 60_000;

/**
 * stepfunctions on the simulated platform: the state machine the strategy really builds
 * (buildStateMachine: its series-parallel form, false edges included) is interpreted state by
 * state. Every transition costs a transition latency (and the local stack's CPU); a Task state
 * dispatches its Lambda (Step Functions invokes it: no orchestrator hop), and its Retry paces a
 * throttled invoke (1, 2, 4, 8 s, full jitter) and, with retries, a failed task (1 s apart); a
 * Parallel state runs its branches side by side. A failed task fails the execution at once.
 */
export const stepFunctionsModel: StrategyModel = (plan, context, done) => {
  const { simulation, lambda, orchestrator, ownFunctions } = context;
  const parameters = lambda.parameters.stepFunctions;
  // The tasks' data alone over Step Functions' 256 KB: refused before the machine is built
  // (a 10,000-wide machine takes seconds to build), as the real strategy refuses it.
  const dataBytes = plan.tasks.reduce(
    (sum, task) => sum + (task.outputBytes ?? DEFAULT_OUTPUT_BYTES),
    0,
  );
  if (dataBytes > STEP_FUNCTIONS_PAYLOAD_LIMIT.bytes) {
    const refused = new PayloadTooLargeError(
      "the data this workflow's tasks return",
      dataBytes,
      STEP_FUNCTIONS_PAYLOAD_LIMIT,
    );
    const at = simulation.now;
    simulation.after(0, () =>
      done({
        report: buildRunReport({
          plan,
          tasks: plan.tasks.map(plannedTaskReport),
          startedAt: at,
          endedAt: at,
          error: describeError(refused),
        }),
        sqsRequests: { counted: 0, estimated: 0 },
        orchestratorWaits: true,
      }),
    );
    return;
  }
  const machine = buildStateMachine(plan, {
    functionArnOf: (fn) => fn,
    form: plan.stateMachineForm ?? "seriesParallel",
  });
  const standard = context.stateMachineType === "standard";
  const stateMachine = {
    form: machine.form,
    type: context.stateMachineType,
    addedEdges: machine.addedEdges,
    structuralDelayMs: machine.structuralDelayMs,
  };
  // Standard bills a state transition for every state entered and every retry (the adapter
  // counts them so from the execution's history, adapters/SfnStateMachineRunner.ts).
  let transitions = 0;
  const taskByKey = new Map(
    plan.tasks.map((task) => [machine.stateKeys.get(task.id) as string, task]),
  );
  const reports = new Map(plan.tasks.map((task) => [task.id, plannedTaskReport(task)]));
  const bytesOf = new Map<string, number>();
  const startedAt = simulation.now;
  let ended = false;
  let failure: { taskId: string; type: string; message: string } | undefined;

  let cancelBudget = () => {};
  /** `givenUp`: the budget ran out, and the run, as the real one, knows no transitions. */
  const finish = (
    error?: NonNullable<Parameters<typeof buildRunReport>[0]["error"]>,
    givenUp = false,
  ) => {
    if (ended) return;
    ended = true;
    cancelBudget();
    done({
      report: {
        ...buildRunReport({
          plan,
          tasks: plan.tasks.map((task) => reports.get(task.id) as TaskReport),
          startedAt,
          endedAt: simulation.now,
          ...(error ? { error } : {}),
        }),
        stateMachine: { ...stateMachine, ...(standard && !givenUp ? { transitions } : {}) },
      },
      sqsRequests: { counted: 0, estimated: 0 },
      orchestratorWaits: true,
    });
  };

  const refused = payloadRefusal(plan, machine.input);
  if (refused) {
    simulation.after(0, () => finish(describeError(refused)));
    return;
  }
  const budgetMs = standard
    ? context.budgetMs
    : Math.min(context.budgetMs, EXPRESS_MAX_DURATION_MS);
  const taskDispatch = standard ? parameters.standardTaskDispatch : parameters.taskDispatch;
  cancelBudget = simulation.after(budgetMs, () =>
    finish({ type: "Timeout", message: `run exceeded its ${budgetMs} ms budget` }, true),
  );

  // Every state passes the whole state on: the execution input and the results so far.
  let stateBytes = JSON.stringify(machine.input).length;
  /** A Task's Lambda payload, one way: its transfer, and its handling per MB. */
  const payloadMs = (bytes: number) =>
    lambda.transferMs(bytes) + (bytes / 1_048_576) * parameters.payloadMsPerMb.value;
  const transition = (then: () => void) => {
    lambda.stackRequest("stateTransitionCpuMs", () =>
      simulation.after(
        simulation.draw(parameters.transition) + lambda.transferMs(stateBytes),
        then,
      ),
    );
  };

  const runTask = (key: string, then: () => void) => {
    const task = taskByKey.get(key);
    if (!task) {
      transition(then);
      return;
    }
    const fn = functionOfTask(task, ownFunctions);
    const bytesIn = task.deps.reduce((sum, dep) => sum + (bytesOf.get(dep) ?? 0), 0);
    const bytesOut = outputBytesOf(task, ownFunctions);
    const report = reports.get(task.id) as TaskReport;
    // Step Functions records no REPORT line of an own function: its span is the Task state's
    // entry to the entry of the Pass state after it (buildStateMachine.ts), hops and all.
    const enteredAt = simulation.now;
    const attemptAt = (attempt: number, throttles: number) => {
      if (attempt > 0 || throttles > 0) transitions += 1;
      lambda.runHandler(
        fn,
        taskWork(lambda, task, attempt, ownFunctions, fn.memoryMb),
        (record) => {
          if (record.throttled && throttles < THROTTLE_RETRY.MaxAttempts) {
            const ceiling =
              THROTTLE_RETRY.IntervalSeconds * 1000 * THROTTLE_RETRY.BackoffRate ** throttles;
            simulation.after(simulation.uniform() * ceiling, () =>
              attemptAt(attempt, throttles + 1),
            );
            return;
          }
          const failed = record.failed || record.throttled;
          if (failed && attempt < task.retries) {
            simulation.after(parameters.retryIntervalMs.value, () => attemptAt(attempt + 1, 0));
            return;
          }
          simulation.after(
            simulation.draw(parameters.taskReturn) + payloadMs(failed ? 0 : bytesOut),
            () => {
              Object.assign(report, taskFields(record, attempt + 1), {
                status: failed ? "failed" : "succeeded",
                bytesIn,
                ...(failed ? {} : { bytesOut }),
                ...(isOwnFunctionTask(task)
                  ? { startedAt: enteredAt, endedAt: simulation.now }
                  : {}),
              });
              if (failed) {
                const error = record.throttled
                  ? {
                      type: "Lambda.TooManyRequestsException",
                      message: `throttled past the Task state's ${THROTTLE_RETRY.MaxAttempts} retries: the account's Lambda concurrency`,
                    }
                  : record.crashed
                    ? { type: "Runtime.ExitError", message: "the task's environment exited" }
                    : { type: "Error", message: "the task failed" };
                report.error = error;
                failure ??= { taskId: task.id, ...error };
                // The Task state's Catch enters its Fail state (withTaskFailures.ts).
                transitions += 1;
                finish(failure);
                return;
              }
              bytesOf.set(task.id, bytesOut);
              stateBytes += bytesOut;
              then();
            },
          );
        },
        (proceed) =>
          lambda.stackRequest("invokeCpuMs", () =>
            simulation.after(simulation.draw(taskDispatch) + payloadMs(bytesIn), proceed),
          ),
      );
    };
    attemptAt(0, 0);
  };

  const runBranch = (branch: AslBranch, then: () => void) => {
    const step = (name: string) => {
      if (ended) return;
      transitions += 1;
      const state = branch.States[name] as AslState;
      const next = () => ("Next" in state ? step(state.Next) : then());
      // Entering a Task state costs the stack a state's work before the invoke's own (the
      // calibrated per-task cost in a Parallel state is an invoke and two states: the branch and
      // its Task); only a queue behind other requests adds to the measured latencies.
      if (state.Type === "Task")
        lambda.stackRequest("stateTransitionCpuMs", () => runTask(name, next));
      else if (state.Type === "Parallel") {
        let left = state.Branches.length;
        transition(() => {
          for (const inner of state.Branches) {
            // A branch's start is a state's work on the stack too.
            lambda.stackRequest("stateTransitionCpuMs", () =>
              runBranch(inner, () => {
                left -= 1;
                if (left === 0) transition(next);
              }),
            );
          }
        });
      } else transition(next);
    };
    step(branch.StartAt);
  };

  orchestrator.environment.thread.serve(lambda.callerCpuMs(), () =>
    lambda.stackRequest("stateTransitionCpuMs", () =>
      simulation.after(simulation.draw(parameters.startExecution), () =>
        runBranch(machine.definition, () =>
          simulation.after(simulation.draw(parameters.endExecution), () => finish()),
        ),
      ),
    ),
  );
};

function taskFields(
  record: {
    startedAt?: number;
    endedAt?: number;
    coldStart: boolean;
    billing?: TaskReport["billing"];
  },
  attempts: number,
): Partial<TaskReport> {
  return {
    ...(record.startedAt === undefined ? {} : { startedAt: record.startedAt }),
    ...(record.endedAt === undefined ? {} : { endedAt: record.endedAt }),
    coldStart: record.coldStart,
    ...(record.billing ? { billing: record.billing } : {}),
    attempts,
  };
}
