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
  if (values.length === 0) {
    throw new InvalidInputError("values", "cannot summarize an empty list of values");
  }
  const sorted = [...values].sort((a, b) => a - b);
  const at = (index: number): number => sorted[index] as number;
  const count = sorted.length;
  const middle = Math.floor(count / 2);
  return {
    count,
    min: at(0),
    median: count % 2 === 1 ? at(middle) : (at(middle - 1) + at(middle)) / 2,
    p95: at(Math.ceil(0.95 * count) - 1),
    max: at(count - 1),
    mean: sorted.reduce((sum, value) => sum + value, 0) / count,
  };
}
