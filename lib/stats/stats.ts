import { InvalidInputError } from "../errors.js";

/** Order statistics of a sample of timings (ms). */
export interface Summary {
  count: number;
  min: number;
  median: number;
  /** Nearest-rank 95th percentile: an observed value, never an interpolated one. */
  p95: number;
  max: number;
  mean: number;
}

/**
 * Summarizes a sample: count, min, median, nearest-rank p95, max and mean.
 *
 * Runs are noisy (cold starts, queue polling), so a comparison rests on the median and shows the
 * tail (p95) next to it rather than trusting a single run or a mean pulled by one outlier.
 * Nearest-rank is used for p95 so that it is always a value that was actually measured.
 *
 * @throws InvalidInputError when `values` is empty: a summary of nothing has no honest value.
 * @example
 * summarize([120, 80, 100]); // { count: 3, min: 80, median: 100, p95: 120, max: 120, mean: 100 }
 */
export function summarize(values: readonly number[]): Summary {
  const sorted = ascending(values);
  const at = (index: number): number => sorted[index] as number;
  const count = sorted.length;
  const middle = Math.floor(count / 2);
  return {
    count,
    min: at(0),
    median: count % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2,
    p95: nearestRank(sorted, 0.95),
    max: at(count - 1),
    mean: sorted.reduce((sum, value) => sum + value, 0) / count,
  };
}

function ascending(values: readonly number[]): number[] {
  if (values.length === 0) {
    throw new InvalidInputError("values", "cannot summarize an empty list of values");
  }
  return [...values].sort((a, b) => a - b);
}

function nearestRank(sorted: readonly number[], fraction: number): number {
  return sorted[Math.max(0, Math.ceil(fraction * sorted.length) - 1)] as number;
}

/**
 * Nearest-rank percentiles (0 < p <= 100) of a sample: each an observed value.
 *
 * @throws InvalidInputError when `values` is empty.
 * @example
 * percentiles([5, 1, 4, 2, 3], [50, 99]); // [3, 5]
 */
export function percentiles(values: readonly number[], ranks: readonly number[]): number[] {
  const sorted = ascending(values);
  return ranks.map((rank) => nearestRank(sorted, rank / 100));
}
