import type { RunCost, RunReport, StateMachineType } from "../runReport/types.js";
import { type MedianInterval, medianInterval } from "../stats/confidence.js";
import { type Summary, summarize } from "../stats/stats.js";
import { BASELINE_STRATEGY, STRATEGIES, type StrategyName } from "../strategies/names.js";
import { basisRuns, type StatisticsBasis } from "./basisRuns.js";
import { compareGroups, type GroupComparison, type RunMetric } from "./compareGroups.js";

/**
 * 95 % intervals for a strategy's medians, over the same basis runs as the medians (see
 * lib/stats/confidence.ts: exact order-statistic intervals). A field is absent with a single
 * run (no interval), and its `coverage` is below 0.95 with 5 runs or fewer (then min–max).
 */
export interface MedianIntervals {
  wallMs?: MedianInterval;
  overheadMs?: MedianInterval;
  /** Over the basis runs that carried a cost. */
  costUsd?: MedianInterval;
}

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
  /**
   * The `stepfunctions` strategy only: the workflow type of the median run's state machine
   * (Express for a report made before Standard could run), and its Standard transitions.
   */
  stateMachine?: { type: StateMachineType; transitions?: number };
  /** How sure the medians of wall, overhead and cost are. */
  intervals: MedianIntervals;
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

/**
 * A claim of the verdict put to the test: `leader` has the lower median of `metric` than `other`
 * (compareGroups(other's runs, leader's runs), so `difference` = other − leader, ≥ 0).
 */
export interface StrategyMargin extends GroupComparison {
  leader: StrategyName;
  other: StrategyName;
}

/** Every comparison the verdict rests on; each absent when there is no second strategy. */
export interface ComparisonMargins {
  /** The fastest against the runner-up by median wall. */
  fastest?: StrategyMargin;
  /** The cheapest against the runner-up by median cost per run. */
  cheapest?: StrategyMargin;
  /**
   * When the fastest is not the cheapest: what the trade-off claims, the fastest's lower wall
   * (`wallMs`, leader the fastest) for the cheapest's lower cost (`costUsd`, leader the cheapest).
   */
  tradeOff?: { wallMs: StrategyMargin; costUsd: StrategyMargin };
}

export interface Comparison {
  strategies: StrategyComparison[];
  /**
   * Lowest median wall among strategies without a failed run. Whether it is told apart from the
   * runner-up is `margins.fastest`: the verdict names it the winner only then.
   */
  fastest?: StrategyName;
  /** Lowest median cost per run among strategies without a failed run (see `margins.cheapest`). */
  cheapest?: StrategyName;
  /** How sure each of those claims is: present when at least two strategies could be compared. */
  margins?: ComparisonMargins;
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
    ...(median.stateMachine
      ? {
          stateMachine: {
            type: median.stateMachine.type ?? "express",
            ...(median.stateMachine.transitions === undefined
              ? {}
              : { transitions: median.stateMachine.transitions }),
          },
        }
      : {}),
    intervals: intervalsOf(measured, priced),
  };
}

function intervalsOf(
  measured: readonly RunReport[],
  priced: readonly RunReport[],
): MedianIntervals {
  const wallMs = medianInterval(measured.map((run) => run.wallMs));
  const overheadMs = medianInterval(measured.map((run) => run.overheadMs));
  const costUsd = medianInterval(priced.map((run) => run.cost?.totalUsd ?? 0));
  return {
    ...(wallMs ? { wallMs } : {}),
    ...(overheadMs ? { overheadMs } : {}),
    ...(costUsd ? { costUsd } : {}),
  };
}

/** The entries that have a value, lowest first; ties keep the canonical order. */
function ranked(
  entries: readonly StrategyComparison[],
  value: (entry: StrategyComparison) => number | undefined,
): StrategyName[] {
  return entries
    .flatMap((entry) => {
      const candidate = value(entry);
      return candidate === undefined ? [] : [{ strategy: entry.strategy, candidate }];
    })
    .sort((x, y) => x.candidate - y.candidate)
    .map(({ strategy }) => strategy);
}

/**
 * Puts a claim to the test: that `leader` has the lower median of `metric` than `other`, over
 * their measured runs among `reports` (warm-up runs left out), with the 95 % interval of the
 * difference (compareGroups).
 *
 * @example
 * compareStrategies(reports, fastest, runnerUp, "wallMs").toldApart;
 */
export function compareStrategies(
  reports: readonly RunReport[],
  leader: StrategyName,
  other: StrategyName,
  metric: RunMetric,
): StrategyMargin {
  const runsOf = (strategy: StrategyName) =>
    reports.filter((report) => report.strategy === strategy && !report.warmup);
  return { leader, other, ...compareGroups(runsOf(other), runsOf(leader), metric) };
}

function describeMargins(
  reports: readonly RunReport[],
  byWall: readonly StrategyName[],
  byCost: readonly StrategyName[],
): ComparisonMargins | undefined {
  const margin = (leader: StrategyName, other: StrategyName, metric: RunMetric) =>
    compareStrategies(reports, leader, other, metric);
  const [fastest, wallRunnerUp] = byWall;
  const [cheapest, costRunnerUp] = byCost;
  const margins: ComparisonMargins = {
    ...(fastest && wallRunnerUp ? { fastest: margin(fastest, wallRunnerUp, "wallMs") } : {}),
    ...(cheapest && costRunnerUp ? { cheapest: margin(cheapest, costRunnerUp, "costUsd") } : {}),
    // The trade-off needs both figures of both: the fastest had a cost when it is in byCost.
    ...(fastest && cheapest && fastest !== cheapest && byCost.includes(fastest)
      ? {
          tradeOff: {
            wallMs: margin(fastest, cheapest, "wallMs"),
            costUsd: margin(cheapest, fastest, "costUsd"),
          },
        }
      : {}),
  };
  return Object.keys(margins).length > 0 ? margins : undefined;
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
  const byWall = ranked(candidates, (entry) => entry.wallMs.median);
  const byCost = ranked(candidates, (entry) => entry.costUsd?.median);
  const [fastest] = byWall;
  const [cheapest] = byCost;
  const margins = describeMargins(measured, byWall, byCost);
  return {
    strategies,
    ...(fastest ? { fastest } : {}),
    ...(cheapest ? { cheapest } : {}),
    ...(margins ? { margins } : {}),
  };
}
