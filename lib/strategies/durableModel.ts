import { durableLimitRefusal, RUN_RECORD_OPERATIONS } from "../durable/limits.js";
import { describeError } from "../errors.js";
import type { Handler } from "../forecast/lambdaService.js";
import type { StrategyModel } from "../forecast/model.js";
import { functionOfTask, outputBytesOf, taskWork } from "../forecast/taskBodies.js";
import { isOwnFunctionTask } from "../ownFunctions/ownFunctions.js";
import { buildRunReport } from "../runReport/buildRunReport.js";
import { plannedTaskReport } from "../runReport/plannedTaskReport.js";
import type { DurableReport, TaskReport } from "../runReport/types.js";
import { dependentsOf } from "../workflow/dag.js";
import type { PlannedTask } from "../workflow/plan.js";

/** The template's retention of a durable execution's data (serverless.yml, durableRetentionDays). */
export const DURABLE_RETENTION_DAYS = 1;

/**
 * durable on the simulated platform, as lib/strategies/durable.ts runs on the service: each replay
 * is an invocation of the orchestrator that replays its history (a fixed time plus a time per
 * operation), starts an invoke (a child context and an invoke operation, checkpointed) for every
 * task whose deps' results it has, and suspends; the service invokes each task; a result that
 * arrives while no replay runs starts one after the resume latency, one that arrives during a
 * replay is seen by the next (results that arrive together share a replay). The replay that has
 * every result reads the history in a last step and ends the run. Operations: the execution, the
 * run's timer, a child context and an invoke per attempt for each task, the last step.
 */
export const durableModel: StrategyModel = (plan, context, done) => {
  const { simulation, lambda, ownFunctions, functions } = context;
  const parameters = lambda.parameters.durable;
  const startedAt = simulation.now;
  const reports = new Map(plan.tasks.map((task) => [task.id, plannedTaskReport(task)]));
  const dependents = dependentsOf(plan.tasks);
  /** Results the service holds, not yet seen by a replay; and those every replay sees. */
  let arrived: Array<{ task: PlannedTask; failed: boolean; retry: boolean }> = [];
  const succeeded = new Set<string>();
  const settled = new Set<string>();
  const attempts = new Map<string, number>();
  const toStart: PlannedTask[] = plan.tasks.filter((task) => task.deps.length === 0);
  const replays: DurableReport["replays"] = [];
  // The execution, the run's timer and the steps that keep its record.
  let operations = 2 + RUN_RECORD_OPERATIONS;
  let bytesCheckpointed = 0;
  let replayRunning = false;
  let replayScheduled = false;
  let ended = false;
  let runError: { taskId?: string; type: string; message: string } | undefined;

  const refused = durableLimitRefusal(plan);
  if (refused) {
    simulation.after(0, () => {
      context.endOrchestratorInvocation();
      done({
        report: buildRunReport({
          plan,
          tasks: plan.tasks.map(plannedTaskReport),
          startedAt,
          endedAt: startedAt,
          error: describeError(refused),
        }),
        sqsRequests: { counted: 0, estimated: 0 },
        orchestratorWaits: false,
      });
    });
    return;
  }

  /** The service's wait before sending a refused invoke again, after `throttles` refusals. */
  const throttleBackoffMs = (throttles: number) => {
    const { firstMs, maxMs } = parameters.throttleRetry;
    return Math.min(firstMs.value * 2 ** throttles, maxMs.value) * (1 + simulation.uniform());
  };
  let replayThrottles = 0;

  /** A checkpoint of `count` operations recording `bytes` of payload. */
  const checkpoint = (count: number, then: () => void, bytes = 0) => {
    const cost = (lambda.parameters.stack?.durableOperationCpuMs.value ?? 0) * count;
    const wait = () =>
      simulation.after(
        simulation.draw(parameters.checkpoint) +
          (bytes / 1_048_576) * parameters.checkpointMsPerMb.value,
        then,
      );
    if (lambda.durableService && cost > 0) lambda.durableService.admit(cost, wait);
    else wait();
  };

  /** What a task is invoked with: its dependencies' results. */
  const bytesInOf = (task: PlannedTask) =>
    task.deps.reduce((sum, dep) => sum + (reports.get(dep)?.bytesOut ?? 0), 0);

  const invokeTask = (task: PlannedTask) => {
    const attempt = attempts.get(task.id) ?? 0;
    attempts.set(task.id, attempt + 1);
    const fn = functionOfTask(task, ownFunctions);
    const bytesOut = outputBytesOf(task, ownFunctions);
    const bytesIn = bytesInOf(task);
    bytesCheckpointed += bytesIn;
    const report = reports.get(task.id) as TaskReport;
    report.invokedAt = simulation.now;
    let throttles = 0;
    const dispatch = () =>
      lambda.runHandler(
        fn,
        taskWork(lambda, task, attempt, ownFunctions, fn.memoryMb),
        (record) => {
          if (record.throttled) {
            simulation.after(throttleBackoffMs(throttles++), dispatch);
            return;
          }
          const failed = record.failed;
          const retry = failed && attempt < task.retries;
          Object.assign(report, {
            ...(record.startedAt === undefined ? {} : { startedAt: record.startedAt }),
            ...(record.endedAt === undefined ? {} : { endedAt: record.endedAt }),
            coldStart: record.coldStart,
            ...(record.billing ? { billing: record.billing } : {}),
            attempts: attempt + 1,
            bytesIn,
          });
          // The service records the result: a checkpoint of its own, then a replay.
          checkpoint(
            1,
            () => {
              report.returnedAt = simulation.now;
              // The service records no REPORT line of an own function: its span is the invoke
              // operation's, from the checkpoint that starts it to the one that records its result.
              if (isOwnFunctionTask(task)) {
                report.startedAt = report.invokedAt ?? report.startedAt;
                report.endedAt = simulation.now;
              }
              if (!failed) {
                report.bytesOut = bytesOut;
                bytesCheckpointed += bytesOut;
              }
              arrived.push({ task, failed, retry });
              resume();
            },
            failed ? 0 : bytesOut,
          );
        },
      );
    simulation.after(
      simulation.draw(parameters.invokeDispatch) + lambda.transferMs(bytesIn),
      dispatch,
    );
  };

  const resume = () => {
    if (ended || replayRunning || replayScheduled) return;
    replayScheduled = true;
    simulation.after(simulation.draw(parameters.resume), () =>
      lambda.runHandler(
        functions.orchestrator,
        (handler, finish) => replay(handler, finish),
        (record) => {
          if (record.throttled) {
            replayScheduled = false;
            simulation.after(throttleBackoffMs(replayThrottles++), resume);
          } else replayThrottles = 0;
        },
      ),
    );
  };

  /**
   * One replay: sees the results that arrived before it, starts what they make ready. The first
   * writes the run's record (accepted, started) before anything else.
   */
  const replay = (handler: Handler, finishInvocation: () => void, first = false) => {
    replayScheduled = false;
    replayRunning = true;
    const seen = arrived;
    arrived = [];
    const recordMs =
      first && parameters.runRecordStart ? simulation.draw(parameters.runRecordStart) : 0;
    const replayMs =
      recordMs +
      simulation.draw(parameters.replayBase) +
      parameters.replayPerOperationMs.value * operations;
    simulation.after(replayMs, () => {
      for (const { task, failed, retry } of seen) {
        if (retry) {
          toStart.push(task);
          continue;
        }
        settled.add(task.id);
        const report = reports.get(task.id) as TaskReport;
        if (failed) {
          report.status = "failed";
          report.error = { type: "Error", message: "the task failed" };
          runError ??= { taskId: task.id, ...report.error };
          skipDependents(task);
          continue;
        }
        report.status = "succeeded";
        succeeded.add(task.id);
        for (const dependent of dependents.get(task.id) ?? []) {
          if (dependent.deps.every((dep) => succeeded.has(dep))) toStart.push(dependent);
        }
      }
      const timedOut = simulation.now - startedAt > context.budgetMs;
      if (settled.size === plan.tasks.length || timedOut) {
        end(handler, finishInvocation, timedOut);
        return;
      }
      const starting = toStart.splice(0);
      const fresh = starting.filter((task) => !attempts.has(task.id)).length;
      operations += fresh + starting.length; // a child context for a new task, an invoke per attempt
      // The SDK waits a little for more progress before it suspends: billed, and results that
      // arrive meanwhile wait for the next replay.
      const suspend = () =>
        simulation.after(simulation.draw(parameters.suspendDelay), () => {
          replays.push(replayOf(handler.startedAt));
          replayRunning = false;
          finishInvocation();
          if (arrived.length > 0) resume();
        });
      if (starting.length === 0) {
        suspend();
        return;
      }
      // The invokes' checkpoint records each one's payload: its dependencies' results.
      const payloadBytes = starting.reduce((sum, task) => sum + bytesInOf(task), 0);
      checkpoint(
        starting.length,
        () => {
          for (const task of starting) invokeTask(task);
          suspend();
        },
        payloadBytes,
      );
    });
  };

  const skipDependents = (task: PlannedTask) => {
    for (const dependent of dependents.get(task.id) ?? []) {
      if (settled.has(dependent.id)) continue;
      settled.add(dependent.id);
      skipDependents(dependent);
    }
  };

  const replayOf = (replayStartedAt: number) => ({
    startedAt: replayStartedAt,
    endedAt: simulation.now,
    billedMs: Math.ceil(simulation.now - replayStartedAt),
  });

  const end = (handler: Handler, finishInvocation: () => void, timedOut: boolean) => {
    ended = true;
    const lastReplayMs =
      parameters.lastReplay && parameters.lastReplay.p50Ms > 0
        ? simulation.draw(parameters.lastReplay)
        : 0;
    if (lastReplayMs > 0)
      simulation.after(lastReplayMs, () => endRun(handler, finishInvocation, timedOut));
    else endRun(handler, finishInvocation, timedOut);
  };

  /** The run's end, stamped by the replay that ends it; then its last step reads the history. */
  const endRun = (handler: Handler, finishInvocation: () => void, timedOut: boolean) => {
    const endedAt = simulation.now;
    operations += 1; // the step that reads the history
    checkpoint(1, () => {
      replays.push(replayOf(handler.startedAt));
      replayRunning = false;
      for (const report of reports.values()) {
        if (timedOut && report.status === "skipped" && report.invokedAt !== undefined) {
          report.status = "timedOut";
          report.error = {
            type: "Timeout",
            message: `did not finish within ${context.budgetMs} ms`,
          };
        }
      }
      const error = timedOut
        ? { type: "Timeout", message: `run exceeded its ${context.budgetMs} ms budget` }
        : runError;
      const report = buildRunReport({
        plan,
        tasks: plan.tasks.map((task) => reports.get(task.id) as TaskReport),
        startedAt,
        endedAt,
        ...(error ? { error } : {}),
      });
      const replaysMs = replays.reduce((sum, r) => sum + (r.endedAt - r.startedAt), 0);
      finishInvocation();
      done({
        report: {
          ...report,
          durable: {
            executionArn: `forecast:${plan.runId}`,
            replays,
            operations,
            bytesCheckpointed,
            suspendedMs: Math.max(report.wallMs - replaysMs, 0),
            retentionDays: DURABLE_RETENTION_DAYS,
          },
        },
        sqsRequests: { counted: 0, estimated: 0 },
        orchestratorWaits: false,
      });
    });
  };

  // The first replay is the orchestrator's own invocation: it starts the execution.
  simulation.after(simulation.draw(parameters.startExecution), () =>
    replay(context.orchestrator, context.endOrchestratorInvocation, true),
  );
};
