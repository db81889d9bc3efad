/** Step Functions: a single task, a chain of 5, and a ladder of 5 Parallel states of 2 tasks. */
import type { Figure } from "../../lib/forecast/figure.js";
import { STRATEGY } from "../../lib/strategies/names.js";
import { chainWorkflow } from "../../lib/workflow/shapes.js";
import type { Workflow } from "../../lib/workflow/types.js";
import { overheadOf, shift } from "./fit.js";
import type { Probe } from "./probe.js";

/** Levels of the ladder: as many as the chain's tasks, so the two differ by the Parallel states. */
const LADDER_LEVELS = 5;

/** `levels` Parallel states of 2 tasks of 50 ms, each level after both tasks of the one before. */
function ladderWorkflow(levels: number): Workflow {
  return {
    tasks: Array.from({ length: levels }, (_, level) =>
      ["a", "b"].map((side) => ({
        id: `l${level}${side}`,
        fn: "writeLog" as const,
        deps: level === 0 ? [] : [`l${level - 1}a`, `l${level - 1}b`],
        durationMs: 50,
      })),
    ).flat(),
  };
}

export async function probeStepFunctions(
  probe: Probe,
  measuredHops: { invokeResponse: Figure; callerCpuPerRequestMs: number },
) {
  const { invokeResponse, callerCpuPerRequestMs } = measuredHops;
  probe.log("Step Functions ...");
  const sfnOne = await probe.measured(STRATEGY.stepfunctions, chainWorkflow(1, 50));
  const sfnChain = await probe.measured(STRATEGY.stepfunctions, chainWorkflow(5, 50));
  const sfnLadder = await probe.measured(STRATEGY.stepfunctions, ladderWorkflow(LADDER_LEVELS));
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
  // A Parallel state is two transitions (in and out): the first estimate of one is what a ladder
  // of them adds over the chain of as many tasks, per transition; calibratePlatform then fits it
  // by the model on the ladder (the estimate also holds the second branch's own work). Two tasks
  // against one, the earlier probe, rests on two medians a few ms apart: it gave 4.5 to 17.5 ms
  // on three starts of the same stack.
  const ladderOverheadMs = overheadOf(sfnLadder);
  const transitionEstimateMs = Math.max(
    0.1,
    (ladderOverheadMs - overheadOf(sfnChain)) / (2 * LADDER_LEVELS),
  );
  const runStart = probe.figureOf(
    sfnOne.map((r) => (r.tasks[0]?.startedAt as number) - r.startedAt),
    "run start -> the first task's start (one task)",
  );
  const runEnd = probe.figureOf(
    sfnOne.map((r) => r.endedAt - (r.tasks[0]?.endedAt as number)),
    "the last task's end -> the run's end (one task)",
  );
  /** The figures that rest on a transition's time, for a given one. */
  const withTransition = (transitionMs: number, why: string) => {
    const transition = {
      ...probe.figureOf([transitionMs], why),
      source: `${probe.measuredOn}: ${why}`,
    };
    return {
      transition,
      startExecution: shift(
        runStart,
        taskDispatch.p50Ms + transitionMs + callerCpuPerRequestMs,
        "less a dispatch and a transition",
      ),
      endExecution: shift(
        runEnd,
        taskReturn.p50Ms + transitionMs,
        "less the answer's way back and a transition",
      ),
    };
  };
  return {
    taskDispatch,
    taskReturn,
    ladder: { workflow: ladderWorkflow(LADDER_LEVELS), overheadMs: ladderOverheadMs },
    transitionEstimateMs,
    withTransition,
  };
}
