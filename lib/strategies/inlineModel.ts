import type { StrategyModel } from "../forecast/model.js";
import { scheduleDag } from "../forecast/scheduleDag.js";
import { outputBytesOf } from "../forecast/taskBodies.js";
import { buildRunReport } from "../runReport/buildRunReport.js";

/**
 * inline on the simulated platform: every task body runs in the orchestrator's own process, so
 * there is no hop; an `io` task waits on a timer whose callback needs the process's one thread;
 * a `cpu` task holds that thread for its planned time (Node runs one thing at a time), so `cpu`
 * tasks run one after another, at whatever CPU the environment has. A task that fails is run
 * again in-process while its retries allow.
 */
export const inlineModel: StrategyModel = (plan, context, done) => {
  const { simulation, orchestrator, lambda, ownFunctions } = context;
  const thread = orchestrator.environment.thread;
  scheduleDag(
    simulation,
    plan,
    {
      maxConcurrency: Number.POSITIVE_INFINITY,
      budgetMs: context.budgetMs,
      start: (task, _bytesIn, finish) => {
        const invokedAt = simulation.now;
        const attempts = task.fail ? task.retries + 1 : 1;
        const bodyMs = task.durationMs * attempts;
        const end = (startedAt: number) => {
          const endedAt = simulation.now;
          finish({
            status: task.fail ? "failed" : "succeeded",
            fields: {
              invokedAt,
              startedAt,
              endedAt,
              returnedAt: endedAt,
              coldStart: false,
              attempts,
            },
            bytesOut: outputBytesOf(task, ownFunctions),
            ...(task.fail ? { error: { type: "Error", message: task.fail } } : {}),
          });
        };
        if (task.kind === "cpu") {
          let startedAt = simulation.now;
          let stop = () => {};
          thread.hold(
            bodyMs,
            () => {
              stop();
              end(startedAt);
            },
            () => {
              startedAt = simulation.now;
              stop = lambda.cpu.startBurn();
            },
          );
          return;
        }
        const startedAt = simulation.now;
        simulation.after(bodyMs, () => thread.whenFree(() => end(startedAt)));
      },
    },
    (schedule) =>
      done({
        report: buildRunReport({ plan, ...schedule }),
        sqsRequests: { counted: 0, estimated: 0 },
        orchestratorWaits: true,
      }),
  );
};
