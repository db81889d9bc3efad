import { STRATEGY, type StrategyName } from "../lib/strategies/names.js";
import { chainWorkflow } from "../lib/workflow/shapes.js";
import type { Workflow } from "../lib/workflow/types.js";

/**
 * A published measurement of a whole workflow on AWS that the `aws` parameter set does not use:
 * what the forecast is checked against. `measure` says which span of a run the figure is.
 */
export interface PublishedMeasurement {
  id: string;
  workflow: Workflow;
  strategy: StrategyName;
  stateMachineType?: "express" | "standard";
  /** Warm runs, or a burst of cold ones. */
  cold: boolean;
  /** `taskSpan`: first task's start -> last task's end; `wall`: the run's wall. */
  measure: "taskSpan" | "wall";
  /** The published median (ms). */
  medianMs: number;
  what: string;
  source: string;
}

const SEBS_FLOW =
  "SeBS-Flow (Schmid et al., EuroSys 2025) raw data, github.com/spcl/sebs-flow-artifact, medians computed from its CSVs with its own analysis scripts (not a figure printed in the paper): Step Functions Standard, Lambda tasks by ARN, us-east-1, Python, 256 MB";

/** A generator task, then `n` tasks side by side (SeBS-Flow's Map over the generator's items). */
const fanOutOf = (n: number, ms: number): Workflow => ({
  tasks: [
    { id: "generate", fn: "queryData", deps: [], durationMs: 5 },
    ...Array.from({ length: n }, (_, index) => ({
      id: `sleep${index}`,
      fn: "writeLog" as const,
      deps: ["generate"],
      durationMs: ms,
    })),
  ],
});

/**
 * The table of published AWS measurements the forecast is compared with (bench:forecast prints
 * the ratios). Only whole-workflow figures from sources the `aws` set does not draw from.
 */
export const PUBLISHED_AWS_MEASUREMENTS: readonly PublishedMeasurement[] = [
  {
    id: "sebs-chain-2022",
    // The 2022 run's workflow is a generator and 9 steps: 10 tasks (the CSV's rows per request).
    workflow: chainWorkflow(10, 1),
    strategy: STRATEGY.stepfunctions,
    stateMachineType: "standard",
    cold: false,
    measure: "taskSpan",
    medianMs: 905,
    what: "a chain of 10 no-op tasks (a generator and 9 steps), 30 workflows at once, warm, 32 B payload: first task's start -> last task's end, median 905 ms (2022-07, 256 MB; 9 gaps of 100 ms median)",
    source: `${SEBS_FLOW}; perf-cost/620.func-invo/aws_2e5/2022/warm_256.csv`,
  },
  {
    id: "sebs-chain-2024",
    // The 2024 run's workflow is a generator and 8 steps: 9 tasks.
    workflow: chainWorkflow(9, 1),
    strategy: STRATEGY.stepfunctions,
    stateMachineType: "standard",
    cold: false,
    measure: "taskSpan",
    medianMs: 1352,
    what: "a chain of 9 no-op tasks (a generator and 8 steps), 30 workflows at once, warm, 32 B payload: first task's start -> last task's end, median 1,352 ms (2024-05, 256 MB; 8 gaps of 160 ms median)",
    source: `${SEBS_FLOW}; perf-cost/620.func-invo/aws_2e5/warm_256.csv`,
  },
  {
    id: "sebs-parallel-2-warm",
    workflow: fanOutOf(2, 1000),
    strategy: STRATEGY.stepfunctions,
    stateMachineType: "standard",
    cold: false,
    measure: "taskSpan",
    medianMs: 1180,
    what: "a generator, then 2 tasks of 1 s side by side, warm: makespan median 1.18 s (2023-11)",
    source: `${SEBS_FLOW}; 630.parallel-sleep`,
  },
  {
    id: "sebs-parallel-16-warm",
    workflow: fanOutOf(16, 1000),
    strategy: STRATEGY.stepfunctions,
    stateMachineType: "standard",
    cold: false,
    measure: "taskSpan",
    medianMs: 1310,
    what: "a generator, then 16 tasks of 1 s side by side, warm: makespan median 1.31 s (2023-11)",
    source: `${SEBS_FLOW}; 630.parallel-sleep`,
  },
  {
    id: "sebs-parallel-16-burst",
    workflow: fanOutOf(16, 1000),
    strategy: STRATEGY.stepfunctions,
    stateMachineType: "standard",
    cold: true,
    measure: "taskSpan",
    medianMs: 1630,
    what: "the same, 30 workflows started at once, cold: makespan median 1.63 s (2023-11)",
    source: `${SEBS_FLOW}; 630.parallel-sleep`,
  },
  {
    id: "sebs-parallel-16-10s-warm",
    workflow: fanOutOf(16, 10_000),
    strategy: STRATEGY.stepfunctions,
    stateMachineType: "standard",
    cold: false,
    measure: "taskSpan",
    medianMs: 10_290,
    what: "a generator, then 16 tasks of 10 s side by side, warm: makespan median 10.29 s (2023-11)",
    source: `${SEBS_FLOW}; 630.parallel-sleep`,
  },
];
