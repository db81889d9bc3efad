import { uniformInt } from "pure-rand/distribution/uniformInt";
import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { InvalidInputError } from "../errors.js";
import { summarize } from "./stats.js";

/** The confidence the report's intervals aim for. */
export const CONFIDENCE_LEVEL = 0.95;
/** The bootstrap's fixed seed: the same runs give the same intervals, in every report. */
export const BOOTSTRAP_SEED = 20_240_501;
/** Resamples per bootstrap interval. */
export const BOOTSTRAP_RESAMPLES = 2_000;

/**
 * An interval for the median of the population a sample came from: `[low, high]` covers it with
 * probability `coverage` (exactly, whatever the distribution). `coverage` is below
 * {@link CONFIDENCE_LEVEL} when the sample was too small for a 95 % interval (5 values or fewer):
 * the interval is then the sample's min–max, and says how much less sure it is.
 */
export interface MedianInterval {
  low: number;
  high: number;
  /** Probability that the interval covers the median, 0..1 (e.g. 0.978515625 for 10 values). */
  coverage: number;
}

/**
 * An interval for a difference of two medians, median(a) − median(b), by a percentile bootstrap.
 */
export interface DifferenceInterval {
  low: number;
  high: number;
  /** The confidence it aims for (nominal: a bootstrap's coverage is approximate). */
  level: number;
}

/**
 * log P(Binomial(n, 1/2) = i) for i = 0..n, summed from the logs so that large n do not
 * underflow before the terms that matter.
 */
function halfBinomialPmf(n: number): number[] {
  const logs = [n * Math.log(0.5)];
  for (let i = 0; i < n; i += 1) {
    logs.push((logs[i] ?? 0) + Math.log((n - i) / (i + 1)));
  }
  return logs.map(Math.exp);
}

/**
 * The exact distribution-free interval for a median from order statistics: with `x_(1) ≤ … ≤
 * x_(n)` the sorted sample, `[x_(k), x_(n−k+1)]` covers the median with probability
 * `1 − 2·P(B ≤ k−1)`, B ~ Binomial(n, 1/2); k is the largest with `P(B ≤ k−1) ≤ (1 − level)/2`.
 *
 * Runs are few and their distribution is skewed (a slow tail of cold starts and queue polls),
 * so no normal approximation is assumed. When no such k exists (n ≤ 5 at 95 %), the interval is
 * [min, max] with its actual coverage `1 − 2·0.5^n` (93.75 % for 5 values), below the level
 * asked for; with one value (or none) there is no interval at all.
 *
 * @example
 * medianInterval([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]); // { low: 2, high: 9, coverage: 0.978515625 }
 * medianInterval([5, 1, 4, 2, 3]); // { low: 1, high: 5, coverage: 0.9375 }
 * medianInterval([42]); // undefined
 */
export function medianInterval(
  values: readonly number[],
  level: number = CONFIDENCE_LEVEL,
): MedianInterval | undefined {
  const n = values.length;
  if (n < 2) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  const pmf = halfBinomialPmf(n);
  const tail = (1 - level) / 2;
  // Accumulated P(B ≤ k − 1) for the candidate k, and the last k that stayed within the tail.
  let below = 0;
  let k = 0;
  let excluded = 0;
  for (let candidate = 1; candidate <= Math.floor(n / 2); candidate += 1) {
    below += pmf[candidate - 1] ?? 0;
    if (below > tail) break;
    k = candidate;
    excluded = below;
  }
  if (k === 0) {
    return {
      low: sorted[0] as number,
      high: sorted[n - 1] as number,
      coverage: 1 - 2 * 0.5 ** n,
    };
  }
  return {
    low: sorted[k - 1] as number,
    high: sorted[n - k] as number,
    coverage: 1 - 2 * excluded,
  };
}

const medianOf = (values: readonly number[]): number => summarize(values).median;

/**
 * A percentile bootstrap interval for median(a) − median(b): `resamples` times, each sample is
 * drawn again with replacement from itself and the difference of the two medians taken; the
 * interval runs from the (1 − level)/2 to the (1 + level)/2 quantile of those differences (by
 * nearest rank: both ends are differences that were drawn).
 *
 * The generator is seeded (xoroshiro128+ from pure-rand) afresh on every call: the same samples
 * always give the same interval, so a report can be regenerated and still say the same.
 *
 * @throws InvalidInputError when either sample has fewer than 2 values: a bootstrap of one value
 * has no spread to show and would pass for certainty.
 * @example
 * bootstrapMedianDifference([6010, 5990, 6030], [4010, 3990, 4025]); // { low: 1965, high: 2040, level: 0.95 }
 */
export function bootstrapMedianDifference(
  a: readonly number[],
  b: readonly number[],
  options: { seed?: number; resamples?: number; level?: number } = {},
): DifferenceInterval {
  const {
    seed = BOOTSTRAP_SEED,
    resamples = BOOTSTRAP_RESAMPLES,
    level = CONFIDENCE_LEVEL,
  } = options;
  if (a.length < 2 || b.length < 2) {
    throw new InvalidInputError("values", "a bootstrap needs at least 2 values in each sample");
  }
  const random = xoroshiro128plus(seed);
  const resample = (values: readonly number[]): number[] =>
    values.map(() => values[uniformInt(random, 0, values.length - 1)] as number);
  const differences = Array.from(
    { length: resamples },
    () => medianOf(resample(a)) - medianOf(resample(b)),
  ).sort((x, y) => x - y);
  const at = (rank: number): number =>
    differences[Math.min(Math.max(rank, 1), resamples) - 1] as number;
  return {
    low: at(Math.ceil(((1 - level) / 2) * resamples)),
    high: at(Math.ceil(((1 + level) / 2) * resamples)),
    level,
  };
}
