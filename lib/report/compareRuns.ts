import { BASELINE_STRATEGY, STRATEGIES, type StrategyName } from "../strategies/registry.js";
import { type Summary, summarize } from "./stats.js";
import type { RunCost, RunReport } from "./types.js";

/**
 * Which runs a strategy's timings come from: warm succeeded runs when there are any, else the
 * succeeded runs that paid cold starts, else (nothing succeeded) every run.
 */
export type StatisticsBasis = "warm" | "cold" | "failed";

/** How one strategy did over its measured runs (warm-up runs are left out). */
export interface StrategyComparison {
  strategy: StrategyName;
  /** Measured runs of this strategy, failed ones included. */
  runs: number;
  failed: number;
  /** Succeeded runs without / with a cold start anywhere in them. */
  warmRuns: number;
  coldRuns: number;
  basis: StatisticsBasis;
  wallMs: Summary;
  criticalPathMs: Summary;
  overheadMs: Summary;
  /** overheadMs / levels: what orchestration costs each time a DAG level is handed on. */
  overheadPerLevelMs: Summary;
  /** Wall of the succeeded runs that contained cold starts, when there were any. */
  coldWallMs?: Summary;
  /**
   * Median wall of the baseline / median wall of this strategy. The baseline is `sequential` when
   * it ran, else the summed task durations of this strategy's runs (the ideal sequential time).
   */
  speedup: number;
  speedupBasis: "baseline" | "summedTaskTime";
  /**
   * Average parallelism achieved: per run, the tasks' own durations summed, over wall; the median
   * of that. About 1 when tasks run one after another, up to the DAG's width when they overlap.
   */
  parallelism: number;
  /** Critical path / wall, median: 1 means no overhead at all over the DAG's own ideal. */
  efficiency: number;
  /** Modelled cost per run (USD) of the basis runs; absent when no run carried a cost. */
  costUsd?: Summary;
  costPerMillionRunsUsd?: number;
  /** The cost components of the median run. */
  costBreakdown?: RunCost;
  /** The run whose wall time is the median (lower median): the one a Gantt should show. */
  medianRunId: string;
  /** The `durable` strategy only: medians over the basis runs that carry a durable report. */
  durable?: DurableComparison;
}

export interface DurableComparison {
  /** Orchestrator invocations per run. */
  replays: number;
  /** Share of the wall the orchestrator was suspended (not billed), 0..1. */
  suspendedShare: number;
  operations: number;
  /** The critical path beyond which this workflow would cost less as durable than as fanout. */
  breakEvenCriticalPathMs: number;
}

function describeDurable(runs: readonly RunReport[]): DurableComparison | undefined {
  const durable = runs.flatMap((run) => (run.durable ? [{ run, durable: run.durable }] : []));
  if (durable.length === 0) return undefined;
  const median = (values: number[]) => summarize(values).median;
  return {
    replays: median(durable.map(({ durable }) => durable.replays.length)),
    suspendedShare: median(
      durable.map(({ run, durable }) => (run.wallMs > 0 ? durable.suspendedMs / run.wallMs : 0)),
    ),
    operations: median(durable.map(({ durable }) => durable.operations)),
    breakEvenCriticalPathMs: median(
      durable.map(({ durable }) => durable.breakEvenCriticalPathMs ?? 0),
    ),
  };
}

export interface Comparison {
  strategies: StrategyComparison[];
  /** Lowest median wall among strategies without a failed run. */
  fastest?: StrategyName;
  /** Lowest median cost per run among strategies without a failed run. */
  cheapest?: StrategyName;
}

function ownBusyMs(report: RunReport): number {
  return report.tasks.reduce((sum, task) => {
    if (task.startedAt === undefined || task.endedAt === undefined) return sum;
    return sum + Math.max(task.endedAt - task.startedAt, 0);
  }, 0);
}

/** The lower median by wall: an actual run, so its Gantt and its cost belong together. */
function medianRun(runs: readonly RunReport[]): RunReport {
  const sorted = [...runs].sort((a, b) => a.wallMs - b.wallMs);
  return sorted[Math.floor((sorted.length - 1) / 2)] as RunReport;
}

function basisRuns(runs: RunReport[]): { basis: StatisticsBasis; measured: RunReport[] } {
  const succeeded = runs.filter((run) => run.status === "succeeded");
  const warm = succeeded.filter((run) => run.coldStarts === 0);
  if (warm.length > 0) return { basis: "warm", measured: warm };
  // A failed run stops early or at the deadline: its timings would distort the picture.
  if (succeeded.length > 0) return { basis: "cold", measured: succeeded };
  return { basis: "failed", measured: runs };
}

function describeStrategy(
  strategy: StrategyName,
  runs: RunReport[],
  sequentialWallMs: number | undefined,
): StrategyComparison {
  const { basis, measured } = basisRuns(runs);
  const succeeded = runs.filter((run) => run.status === "succeeded");
  const cold = succeeded.filter((run) => run.coldStarts > 0);
  const wallMs = summarize(measured.map((run) => run.wallMs));
  const summedTaskMs = summarize(measured.map(ownBusyMs)).median;
  const baselineMs = sequentialWallMs ?? summedTaskMs;
  const priced = measured.filter((run) => run.cost !== undefined);
  const median = medianRun(measured);
  const durable = describeDurable(measured);
  const costUsd =
    priced.length > 0 ? summarize(priced.map((run) => run.cost?.totalUsd ?? 0)) : undefined;
  return {
    strategy,
    runs: runs.length,
    failed: runs.length - succeeded.length,
    warmRuns: succeeded.length - cold.length,
    coldRuns: cold.length,
    basis,
    wallMs,
    criticalPathMs: summarize(measured.map((run) => run.criticalPathMs)),
    overheadMs: summarize(measured.map((run) => run.overheadMs)),
    overheadPerLevelMs: summarize(measured.map((run) => run.overheadMs / Math.max(run.levels, 1))),
    ...(cold.length > 0 ? { coldWallMs: summarize(cold.map((run) => run.wallMs)) } : {}),
    speedup: wallMs.median > 0 ? baselineMs / wallMs.median : 0,
    speedupBasis: sequentialWallMs === undefined ? "summedTaskTime" : "baseline",
    parallelism: summarize(
      measured.map((run) => (run.wallMs > 0 ? ownBusyMs(run) / run.wallMs : 0)),
    ).median,
    efficiency: summarize(
      measured.map((run) => (run.wallMs > 0 ? Math.min(run.criticalPathMs / run.wallMs, 1) : 0)),
    ).median,
    ...(costUsd
      ? {
          costUsd,
          costPerMillionRunsUsd: costUsd.median * 1_000_000,
          ...(median.cost ? { costBreakdown: median.cost } : {}),
        }
      : {}),
    medianRunId: median.runId,
    ...(durable ? { durable } : {}),
  };
}

function lowest(
  entries: readonly StrategyComparison[],
  value: (entry: StrategyComparison) => number | undefined,
): StrategyName | undefined {
  let best: StrategyComparison | undefined;
  for (const entry of entries) {
    const candidate = value(entry);
    if (candidate === undefined) continue;
    if (!best || candidate < (value(best) ?? Number.POSITIVE_INFINITY)) best = entry;
  }
  return best?.strategy;
}

/**
 * Groups run reports by strategy and compares them: timing and cost statistics per strategy, the
 * speedup over a baseline, the parallelism and efficiency achieved, the fastest and the cheapest.
 *
 * One run proves little, so the comparison works on medians over repeated runs, and on warm runs
 * apart from runs that paid cold starts; warm-up runs are left out. A strategy that failed even
 * once cannot be named fastest or cheapest: a fast answer that is sometimes wrong is no answer.
 *
 * @example
 * const comparison = compareRuns(reports);
 * console.log(renderTable(comparison));
 */
export function compareRuns(reports: readonly RunReport[]): Comparison {
  const measured = reports.filter((report) => !report.warmup);
  const byStrategy = (strategy: StrategyName) =>
    measured.filter((report) => report.strategy === strategy);
  const sequentialRuns = byStrategy(BASELINE_STRATEGY);
  const sequentialWallMs =
    sequentialRuns.length > 0
      ? summarize(basisRuns(sequentialRuns).measured.map((run) => run.wallMs)).median
      : undefined;
  const strategies = STRATEGIES.flatMap((strategy) => {
    const runs = byStrategy(strategy);
    return runs.length > 0 ? [describeStrategy(strategy, runs, sequentialWallMs)] : [];
  });
  const candidates = strategies.filter((entry) => entry.failed === 0);
  const fastest = lowest(candidates, (entry) => entry.wallMs.median);
  const cheapest = lowest(candidates, (entry) => entry.costUsd?.median);
  return {
    strategies,
    ...(fastest ? { fastest } : {}),
    ...(cheapest ? { cheapest } : {}),
  };
}
