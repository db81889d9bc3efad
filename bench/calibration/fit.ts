/**
 * bench:calibrate's arithmetic, apart from its probes: slopes, shifts of a figure, and the fits
 * that ask the model itself which value of a figure no probe isolates reproduces a measurement.
 */
import type { Figure } from "../../lib/forecast/figure.js";
import { forecastRuns } from "../../lib/forecast/forecastRuns.js";
import type { PlatformParameters } from "../../lib/forecast/parameters.js";
import type { RunReport, TaskReport } from "../../lib/runReport/types.js";
import { summarize } from "../../lib/stats/stats.js";
import type { StrategyName } from "../../lib/strategies/names.js";
import { strategyNamed } from "../../lib/strategies/registry.js";
import { planRun } from "../../lib/workflow/plan.js";
import type { Workflow } from "../../lib/workflow/types.js";

/** The least-squares slope of y over x (0 with fewer than two distinct x). */
export function leastSquaresSlope(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, { x }) => sum + x, 0) / n;
  const meanY = points.reduce((sum, { y }) => sum + y, 0) / n;
  const sxx = points.reduce((sum, { x }) => sum + (x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, { x, y }) => sum + (x - meanX) * (y - meanY), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The payload of the per-MB probes: under Step Functions' 256 KB, half the suite's 200 KB. */
export const PAYLOAD_PROBE_BYTES = 100_000;

/** Median overheads of a chain of 2 whose first task returns 256 bytes, and PAYLOAD_PROBE_BYTES. */
export interface PayloadGrowth {
  smallOverheadMs: number;
  largeOverheadMs: number;
}

export const describeGrowth = (growth: PayloadGrowth) =>
  `${Math.round(growth.smallOverheadMs)} -> ${Math.round(growth.largeOverheadMs)} ms of overhead`;

/** The model's median overhead for `workflow` under `strategy` on `parameters` (25 runs, seed 1). */
export function forecastOverhead(
  strategy: StrategyName,
  workflow: Workflow,
  parameters: PlatformParameters,
): number {
  const plan = planRun({ runId: "calibrate", strategy, workflow, scale: 1 });
  const simulated = forecastRuns(
    plan,
    strategy,
    strategyNamed(strategy).model,
    { parameters, seed: 1 },
    25,
  ).filter((run) => run.report.status === "succeeded");
  return simulated.length === 0
    ? Number.POSITIVE_INFINITY
    : summarize(simulated.map((run) => run.report.overheadMs)).median;
}

/**
 * For a figure no probe isolates: the candidate whose forecasts of the measured shapes are
 * nearest their measured median overheads (least squares of the log ratios).
 */
export function fitFigure(
  shapes: Array<{ strategy: StrategyName; workflow: Workflow; overheadMs: number }>,
  candidates: number[],
  parametersWith: (value: number) => PlatformParameters,
): number {
  return nearestCandidate(candidates, (value) =>
    shapes.reduce((sum, { strategy, workflow, overheadMs }) => {
      const predicted = forecastOverhead(strategy, workflow, parametersWith(value));
      return sum + Math.log(Math.max(predicted, 1) / Math.max(overheadMs, 1)) ** 2;
    }, 0),
  );
}

/**
 * A per-MB figure: the candidate whose forecast grows the chain's overhead from 256 bytes to
 * PAYLOAD_PROBE_BYTES as much as the measurement grew (the model's own transfer counted).
 */
export function fitGrowth(
  strategy: StrategyName,
  growth: PayloadGrowth,
  candidates: number[],
  parametersWith: (value: number) => PlatformParameters,
): number {
  const measuredGrowth = growth.largeOverheadMs - growth.smallOverheadMs;
  return nearestCandidate(candidates, (value) => {
    const parameters = parametersWith(value);
    const predictedGrowth =
      forecastOverhead(strategy, payloadChain(PAYLOAD_PROBE_BYTES), parameters) -
      forecastOverhead(strategy, payloadChain(256), parameters);
    return Math.abs(predictedGrowth - measuredGrowth);
  });
}

/** The candidate of least error, the first of equals. */
export function nearestCandidate(candidates: number[], errorOf: (value: number) => number): number {
  let best = { value: candidates[0] ?? 0, error: Number.POSITIVE_INFINITY };
  for (const value of candidates) {
    const error = errorOf(value);
    if (error < best.error) best = { value, error };
  }
  return best.value;
}

/** A chain of 2 tasks of 20 ms whose first returns `bytes`. */
export const payloadChain = (bytes: number): Workflow => ({
  tasks: [
    { id: "q", fn: "queryData", deps: [], durationMs: 20, outputBytes: bytes },
    { id: "p", fn: "processData", deps: ["q"], durationMs: 20 },
  ],
});

export const round = (ms: number) => Math.round(ms * 100) / 100;

/** `figure` less `byMs` (never below 0.1 ms), its source saying why. */
export const shift = (figure: Figure, byMs: number, why: string): Figure => {
  const p50Ms = round(Math.max(figure.p50Ms - byMs, 0.1));
  return {
    ...figure,
    p50Ms,
    ...(figure.p95Ms === undefined ? {} : { p95Ms: round(Math.max(figure.p95Ms - byMs, p50Ms)) }),
    ...(figure.p99Ms === undefined ? {} : { p99Ms: round(Math.max(figure.p99Ms - byMs, p50Ms)) }),
    source: `${figure.source}; ${why}`,
  };
};
/** The median of a sample's finite values (NaN when it has none). */
export const median = (samples: number[]) => {
  const finite = samples.filter(Number.isFinite);
  return finite.length ? summarize(finite).median : Number.NaN;
};
export const tasksOf = (reports: RunReport[]) => reports.flatMap((report) => report.tasks);
export const span = (task: TaskReport, from: keyof TaskReport, to: keyof TaskReport) =>
  (task[to] as number) - (task[from] as number);
export const warm = (task: TaskReport) => task.coldStart !== true;
export const overheadOf = (reports: RunReport[]) =>
  summarize(reports.map((r) => r.overheadMs)).median;
