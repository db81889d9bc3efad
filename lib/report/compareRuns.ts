import { type Summary, summarize } from "./stats.js";
import { type RunReport, STRATEGIES, type StrategyName } from "./types.js";

/** How one strategy did over all of its runs. */
export interface StrategyComparison {
  strategy: StrategyName;
  /** Runs of this strategy, failed ones included. */
  runs: number;
  failed: number;
  /** Timings below come from the succeeded runs, or from all runs when none succeeded. */
  wallMs: Summary;
  criticalPathMs: Summary;
  overheadMs: Summary;
  /** overheadMs / levels: what orchestration costs each time a DAG level is handed on. */
  overheadPerLevelMs: Summary;
  /** Median wall of `sequential` / median wall of this strategy; undefined without sequential. */
  speedup?: number;
  /**
   * Average parallelism actually achieved: per run, the sum of the tasks' own durations
   * (endedAt - startedAt) divided by wallMs; the median of that over the runs. About 1 when tasks
   * run one after another, up to the DAG's width when they overlap and overhead is small.
   */
  efficiency: number;
}

/** Every strategy that has runs, in STRATEGIES order, and which one won. */
export interface Comparison {
  strategies: StrategyComparison[];
  /** Lowest median wall among strategies without a failed run; undefined when none qualifies. */
  winner?: StrategyName;
}

function ownBusyMs(report: RunReport): number {
  return report.tasks.reduce((sum, task) => {
    if (task.startedAt === undefined || task.endedAt === undefined) return sum;
    return sum + Math.max(task.endedAt - task.startedAt, 0);
  }, 0);
}

function describeStrategy(strategy: StrategyName, runs: RunReport[]): StrategyComparison {
  const succeeded = runs.filter((run) => run.status === "succeeded");
  // A failed run stops early or at the deadline: its timings would distort the picture.
  const measured = succeeded.length > 0 ? succeeded : runs;
  return {
    strategy,
    runs: runs.length,
    failed: runs.length - succeeded.length,
    wallMs: summarize(measured.map((run) => run.wallMs)),
    criticalPathMs: summarize(measured.map((run) => run.criticalPathMs)),
    overheadMs: summarize(measured.map((run) => run.overheadMs)),
    overheadPerLevelMs: summarize(measured.map((run) => run.overheadMs / Math.max(run.levels, 1))),
    efficiency: summarize(measured.map((run) => (run.wallMs > 0 ? ownBusyMs(run) / run.wallMs : 0)))
      .median,
  };
}

/**
 * Groups run reports by strategy and compares them: timing statistics per strategy, the speedup
 * over `sequential`, the parallelism achieved, and the winner.
 *
 * One run proves little, so the comparison works on medians over repeated runs; a strategy that
 * failed even once cannot win, because a fast answer that is sometimes wrong is no answer.
 *
 * @example
 * const comparison = compareRuns(reports);
 * console.log(renderTable(comparison));
 */
export function compareRuns(reports: readonly RunReport[]): Comparison {
  const strategies = STRATEGIES.flatMap((strategy) => {
    const runs = reports.filter((report) => report.strategy === strategy);
    return runs.length > 0 ? [describeStrategy(strategy, runs)] : [];
  });
  const baseline = strategies.find((entry) => entry.strategy === "sequential");
  for (const entry of strategies) {
    if (baseline && entry.wallMs.median > 0) {
      entry.speedup = baseline.wallMs.median / entry.wallMs.median;
    }
  }
  const candidates = strategies.filter((entry) => entry.failed === 0);
  const best = candidates.reduce<StrategyComparison | undefined>(
    (winner, entry) => (!winner || entry.wallMs.median < winner.wallMs.median ? entry : winner),
    undefined,
  );
  return best ? { strategies, winner: best.strategy } : { strategies };
}
