/**
 * Lambda's own hops: INIT of each kind of function and a cold start's wait beyond it, and the
 * invoke hop each way, warm, with nothing else running.
 */
import { AWS_PARAMETERS } from "../../lib/forecast/awsParameters.js";
import type { Figure } from "../../lib/forecast/figure.js";
import type { TaskReport } from "../../lib/runReport/types.js";
import { STRATEGY } from "../../lib/strategies/names.js";
import { chainWorkflow, wideWorkflow } from "../../lib/workflow/shapes.js";
import { span, tasksOf, warm } from "./fit.js";
import type { Probe } from "./probe.js";

export async function probeLambda(probe: Probe) {
  // --- INIT and a cold start's wait. One new environment at a time (each run one task wider
  // than the last, the others warm) gives a cold start with nothing else starting; a burst of runs
  // at once makes new orchestrators; a wide queue run makes new workers.
  probe.log("cold starts ...");
  const lone: TaskReport[] = [];
  for (let width = 1; width <= 8; width += 1) {
    const tasks = tasksOf([
      await probe.run(STRATEGY.fanout, wideWorkflow(width, 50, "processData")),
    ]);
    lone.push(...tasks.filter((task) => task.coldStart));
  }
  const burstTasks = tasksOf([await probe.run(STRATEGY.fanout, wideWorkflow(24, 50))]).filter(
    (task) => task.coldStart,
  );
  const coldTasks = lone.length > 0 ? lone : burstTasks;
  const burst = await Promise.all(
    Array.from({ length: 6 }, () => probe.run(STRATEGY.sequential, chainWorkflow(1, 10))),
  );
  const coldOrchestrators = burst.filter((report) => report.orchestrator?.coldStart);
  const coldWorkers = tasksOf([await probe.run(STRATEGY.queue, wideWorkflow(12, 50))]).filter(
    (task) => task.coldStart,
  );

  // --- The invoke hop, each way, warm, nothing else running.
  probe.log("invoke hop ...");
  const sequentialChain = tasksOf(
    await probe.measured(STRATEGY.sequential, chainWorkflow(6, 50)),
  ).filter(warm);
  const invokeRequest = probe.figureOf(
    sequentialChain.map((t) => span(t, "invokedAt", "startedAt")),
    "Invoke sent -> handler started (sequential, chain of 6 x 50 ms)",
  );
  const invokeResponse = probe.figureOf(
    sequentialChain.map((t) => span(t, "endedAt", "returnedAt")),
    "handler ended -> answer received (same runs)",
  );
  const initOf = (tasks: TaskReport[], what: string, fallback: Figure) =>
    tasks.length > 0
      ? probe.figureOf(
          tasks.map((t) => t.billing?.initMs ?? 0),
          what,
        )
      : {
          ...fallback,
          source: `${fallback.source} (no cold start was seen: kept from the aws set)`,
        };
  const initTask = initOf(
    coldTasks,
    "INIT of a task function (billed INIT of a lone cold start)",
    AWS_PARAMETERS.lambda.init.task,
  );
  const coldPlacement =
    coldTasks.length > 0
      ? probe.figureOf(
          coldTasks.map(
            (t) =>
              span(t, "invokedAt", "startedAt") - (t.billing?.initMs ?? 0) - invokeRequest.p50Ms,
          ),
          "a lone cold task's Invoke -> handler start, less its INIT and the warm hop",
        )
      : AWS_PARAMETERS.lambda.coldPlacement;
  const initOrchestrator =
    coldOrchestrators.length > 0
      ? probe.figureOf(
          coldOrchestrators.map((r) => r.orchestrator?.initMs ?? 0),
          "INIT of an orchestrator (6 runs at once)",
        )
      : {
          ...AWS_PARAMETERS.lambda.init.orchestrator,
          source: `${AWS_PARAMETERS.lambda.init.orchestrator.source} (no cold orchestrator seen)`,
        };
  const initWorker = initOf(
    coldWorkers,
    "INIT of the queue worker (12-wide queue run, cold workers)",
    AWS_PARAMETERS.lambda.init.worker,
  );

  return { invokeRequest, invokeResponse, initTask, coldPlacement, initOrchestrator, initWorker };
}
