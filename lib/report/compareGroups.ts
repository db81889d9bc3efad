import { InvalidInputError } from "../errors.js";
import type { RunReport } from "../runReport/types.js";
import { bootstrapMedianDifference, type DifferenceInterval } from "../stats/confidence.js";
import { summarize } from "../stats/stats.js";
import { basisRuns } from "./basisRuns.js";

/** A per-run figure two groups of runs can be compared by. */
export type RunMetric = "wallMs" | "overheadMs" | "costUsd";

const VALUE_OF: Record<RunMetric, (run: RunReport) => number | undefined> = {
  wallMs: (run) => run.wallMs,
  overheadMs: (run) => run.overheadMs,
  costUsd: (run) => run.cost?.totalUsd,
};

/** One side of a {@link GroupComparison}. */
export interface GroupSide {
  /** Basis runs (warm-up runs left out) that carried the metric. */
  runs: number;
  median: number;
}

/** Whether two groups of runs differ by a metric's median, and how sure that is. */
export interface GroupComparison {
  metric: RunMetric;
  a: GroupSide;
  b: GroupSide;
  /** median(a) − median(b). */
  difference: number;
  /**
   * 95 % percentile-bootstrap interval of the difference (seeded: reproducible). Absent when a
   * side has a single run: one run shows no spread, so there is nothing to be sure of.
   */
  interval?: DifferenceInterval;
  /** True only when there is an interval and it excludes zero. */
  toldApart: boolean;
  /**
   * Not told apart, with an interval and a non-zero difference: the runs per group that would
   * likely separate them, as the interval's half-width shrinks like 1/√n:
   * ⌈n · (half-width / |difference|)²⌉ with n the larger group, at least n + 1. Absent when the
   * medians are equal: more runs are then unlikely to separate them.
   */
  runsNeeded?: number;
}

function valuesOf(runs: readonly RunReport[], metric: RunMetric, side: "a" | "b"): number[] {
  const values = basisRuns(runs.filter((run) => !run.warmup)).measured.flatMap((run) => {
    const value = VALUE_OF[metric](run);
    return value === undefined ? [] : [value];
  });
  if (values.length === 0) {
    throw new InvalidInputError(side, `no run in the group carries ${metric}`);
  }
  return values;
}

function runsNeeded(
  n: number,
  interval: DifferenceInterval,
  difference: number,
): number | undefined {
  if (difference === 0) return undefined;
  const halfWidth = (interval.high - interval.low) / 2;
  return Math.max(Math.ceil(n * (halfWidth / Math.abs(difference)) ** 2), n + 1);
}

/**
 * Compares two groups of runs by the median of a metric (wall by default): the difference of the
 * medians, a 95 % bootstrap interval of it, and whether the two can be told apart (the interval
 * excludes zero). Each group is reduced to the runs compareRuns would use (warm-up runs out, warm
 * succeeded runs first), so this is the test the verdict applies to every claim it makes.
 *
 * Two groups of runs of the same strategy should come out "not told apart"; a difference of a few
 * ms between strategies on a noisy machine does too, with an estimate of the runs that would
 * settle it.
 *
 * @throws InvalidInputError when a group has no run that carries the metric.
 * @example
 * const margin = compareGroups(durableRuns, fanoutRuns);
 * if (!margin.toldApart) console.log(`not told apart; try --runs ${margin.runsNeeded ?? "more"}`);
 */
export function compareGroups(
  a: readonly RunReport[],
  b: readonly RunReport[],
  metric: RunMetric = "wallMs",
): GroupComparison {
  const valuesA = valuesOf(a, metric, "a");
  const valuesB = valuesOf(b, metric, "b");
  const sideA = { runs: valuesA.length, median: summarize(valuesA).median };
  const sideB = { runs: valuesB.length, median: summarize(valuesB).median };
  const difference = sideA.median - sideB.median;
  const base = { metric, a: sideA, b: sideB, difference };
  if (valuesA.length < 2 || valuesB.length < 2) return { ...base, toldApart: false };
  const interval = bootstrapMedianDifference(valuesA, valuesB);
  const toldApart = interval.low > 0 || interval.high < 0;
  const needed = toldApart
    ? undefined
    : runsNeeded(Math.max(valuesA.length, valuesB.length), interval, difference);
  return {
    ...base,
    interval,
    toldApart,
    ...(needed === undefined ? {} : { runsNeeded: needed }),
  };
}

/**
 * The practical-equivalence margin, as a share of the lower of the two medians: a difference
 * whose 95 % interval lies within ±5 % of it is too small to matter to any choice between these
 * strategies (a few ms of a local run's noise, a few cents a million runs), so two strategies
 * that close "cannot be told apart" on a sound criterion, however many runs were added. A choice
 * of this project, not a statistical constant: it is said wherever it is used.
 */
export const EQUIVALENCE_SHARE = 0.05;

/**
 * Whether two groups are practically equivalent by their metric: there is an interval of the
 * difference, and it lies within ±{@link EQUIVALENCE_SHARE} of the lower median (an equivalence
 * test at the interval's level, two one-sided tests' conservative form). More runs would only
 * narrow an interval already inside the margin: the stopping rule stops on it, and the verdict
 * says the two are equivalent rather than asking for more runs.
 *
 * @example
 * isPracticallyEquivalent(compareGroups(fanoutRuns, durableRuns)); // true when within ±5 %
 */
export function isPracticallyEquivalent(comparison: GroupComparison): boolean {
  const { interval, a, b } = comparison;
  if (!interval) return false;
  const margin = EQUIVALENCE_SHARE * Math.min(Math.abs(a.median), Math.abs(b.median));
  return interval.low >= -margin && interval.high <= margin;
}
