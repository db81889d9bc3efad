/** Step Functions: a single task, a chain of 5, and two side by side. */
import type { Figure } from "../../lib/forecast/figure.js";
import { STRATEGY } from "../../lib/strategies/names.js";
import { chainWorkflow, wideWorkflow } from "../../lib/workflow/shapes.js";
import { overheadOf, shift } from "./fit.js";
import type { Probe } from "./probe.js";

export async function probeStepFunctions(
  probe: Probe,
  measuredHops: { invokeResponse: Figure; callerCpuPerRequestMs: number },
) {
  const { invokeResponse, callerCpuPerRequestMs } = measuredHops;
  probe.log("Step Functions ...");
  const sfnOne = await probe.measured(STRATEGY.stepfunctions, chainWorkflow(1, 50));
  const sfnChain = await probe.measured(STRATEGY.stepfunctions, chainWorkflow(5, 50));
  const sfnPair = await probe.measured(STRATEGY.stepfunctions, wideWorkflow(2, 50));
  const taskReturn = shift(
    invokeResponse,
    0,
    "taken as Lambda's answer path (the same in LocalStack)",
  );
  const gaps = sfnChain.flatMap((report) =>
    report.tasks
      .slice(1)
      .map((task, index) => (task.startedAt as number) - (report.tasks[index]?.endedAt as number)),
  );
  const taskDispatch = shift(
    probe.figureOf(gaps, "a task's end -> the next task's start (chain of 5)"),
    taskReturn.p50Ms,
    "less the answer's way back",
  );
  const transition = probe.figureOf(
    [Math.max(0.1, (overheadOf(sfnPair) - overheadOf(sfnOne)) / 2)],
    "half the overhead two tasks in a Parallel state add over one task",
  );
  const startExecution = shift(
    probe.figureOf(
      sfnOne.map((r) => (r.tasks[0]?.startedAt as number) - r.startedAt),
      "run start -> the first task's start (one task)",
    ),
    taskDispatch.p50Ms + transition.p50Ms + callerCpuPerRequestMs,
    "less a dispatch and a transition",
  );
  const endExecution = shift(
    probe.figureOf(
      sfnOne.map((r) => r.endedAt - (r.tasks[0]?.endedAt as number)),
      "the last task's end -> the run's end (one task)",
    ),
    taskReturn.p50Ms + transition.p50Ms,
    "less the answer's way back and a transition",
  );

  return { startExecution, taskDispatch, taskReturn, transition, endExecution };
}
