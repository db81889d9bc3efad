import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../lib/errors.js";
import {
  BOOTSTRAP_SEED,
  bootstrapMedianDifference,
  medianInterval,
} from "../../../lib/stats/confidence.js";
import { seededRandom } from "../../helpers/seededRandom.js";

/** 1, 2, …, n. */
const oneTo = (n: number): number[] => Array.from({ length: n }, (_, index) => index + 1);

/** n values around `centre`, ± `spread`, drawn from a seeded generator. */
const noisy = (seed: number, n: number, centre: number, spread: number): number[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => centre + (random() * 2 - 1) * spread);
};

describe("Function: medianInterval", () => {
  it("takes [x_(2), x_(9)] of 10 values, covering the median with 1 − 2·11/1024 = 97.85 %", () => {
    // P(Bin(10, ½) ≤ 1) = 11/1024 = 0.0107 ≤ 0.025 < P(≤ 2) = 56/1024: k = 2
    expect(medianInterval(oneTo(10))).toEqual({ low: 2, high: 9, coverage: 1 - 22 / 1024 });
    expect(medianInterval(oneTo(10))?.coverage).toBeCloseTo(0.9785, 4);
  });

  it("takes [x_(1), x_(6)] of 6 values, covering 1 − 2/64 = 96.875 %: 6 is the fewest for 95 %", () => {
    // P(Bin(6, ½) = 0) = 1/64 = 0.0156 ≤ 0.025 < P(≤ 1) = 7/64: k = 1
    expect(medianInterval(oneTo(6))).toEqual({ low: 1, high: 6, coverage: 0.96875 });
  });

  it("falls back to [min, max] of 5 values, and says it covers only 1 − 2·0.5⁵ = 93.75 %", () => {
    // P(Bin(5, ½) = 0) = 1/32 = 0.03125 > 0.025: no k ≥ 1 reaches 95 %
    const interval = medianInterval([5, 1, 4, 2, 3]);

    expect(interval).toEqual({ low: 1, high: 5, coverage: 0.9375 });
    expect(interval?.coverage).toBeLessThan(0.95);
  });

  it.each([
    [2, 0.5],
    [3, 0.75],
    [4, 0.875],
  ])("gives [min, max] of %i values with coverage %d", (n, coverage) => {
    expect(medianInterval(oneTo(n))).toEqual({ low: 1, high: n, coverage });
  });

  it("has no interval for one value, or none", () => {
    expect(medianInterval([42])).toBeUndefined();
    expect(medianInterval([])).toBeUndefined();
  });

  it.each([
    // Published tables of the order-statistic interval for a median (95 %)
    [9, 2, 8],
    [20, 6, 15],
    [100, 40, 61],
  ])("matches the published ranks for n = %i: [x_(%i), x_(%i)]", (n, low, high) => {
    const interval = medianInterval(oneTo(n));

    expect(interval).toMatchObject({ low, high });
    expect(interval?.coverage).toBeGreaterThanOrEqual(0.95);
  });

  it("stays exact for thousands of values, where 0.5ⁿ alone underflows", () => {
    const interval = medianInterval(oneTo(2000));

    expect(interval).toMatchObject({ low: 956, high: 1045 });
    expect(interval?.coverage).toBeGreaterThan(0.95);
    expect(interval?.coverage).toBeLessThan(0.96);
  });

  it("sorts the values it is given without reordering the caller's array", () => {
    // Prepare
    const values = [9, 3, 7, 1, 10, 2, 8, 4, 6, 5];

    // Act
    const interval = medianInterval(values);

    // Assess
    expect(interval).toMatchObject({ low: 2, high: 9 });
    expect(values).toEqual([9, 3, 7, 1, 10, 2, 8, 4, 6, 5]);
  });
});

describe("Function: bootstrapMedianDifference", () => {
  it("is deterministic: the same samples and seed give the same interval", () => {
    // Prepare
    const a = noisy(1, 7, 1000, 50);
    const b = noisy(2, 7, 1010, 50);

    // Act & Assess: with few resamples too, where another draw would move the ends
    expect(bootstrapMedianDifference(a, b)).toEqual(bootstrapMedianDifference(a, b));
    expect(bootstrapMedianDifference(a, b, { seed: BOOTSTRAP_SEED })).toEqual(
      bootstrapMedianDifference(a, b),
    );
    const fewResamples = Array.from({ length: 5 }, () =>
      JSON.stringify(bootstrapMedianDifference(a, b, { resamples: 40 })),
    );
    expect(new Set(fewResamples).size).toBe(1);
  });

  it("depends on the seed: other seeds draw other resamples", () => {
    // Prepare: few resamples, so that the ends move with the draws
    const a = noisy(1, 7, 1000, 50);
    const b = noisy(2, 7, 1010, 50);

    // Act
    const intervals = [1, 2, 3, 4, 5].map((seed) =>
      JSON.stringify(bootstrapMedianDifference(a, b, { seed, resamples: 40 })),
    );

    // Assess
    expect(new Set(intervals).size).toBeGreaterThan(1);
  });

  it("excludes zero for two clearly separated samples, and brackets their difference", () => {
    // Prepare: 6,000 ± 30 against 4,000 ± 30
    const slow = noisy(3, 5, 6000, 30);
    const fast = noisy(4, 5, 4000, 30);

    // Act
    const interval = bootstrapMedianDifference(slow, fast);

    // Assess
    expect(interval.low).toBeGreaterThan(0);
    expect(interval.low).toBeGreaterThan(1900);
    expect(interval.high).toBeLessThan(2100);
    expect(interval.level).toBe(0.95);
  });

  it("includes zero for two samples of the same values", () => {
    // Prepare
    const values = noisy(5, 8, 1000, 40);

    // Act
    const interval = bootstrapMedianDifference(values, [...values].reverse());

    // Assess
    expect(interval.low).toBeLessThan(0);
    expect(interval.high).toBeGreaterThan(0);
  });

  it("gives a zero-width interval when neither sample varies: no noise, nothing to doubt", () => {
    expect(bootstrapMedianDifference([200, 200], [100, 100, 100])).toMatchObject({
      low: 100,
      high: 100,
    });
  });

  it("refuses a sample of one value: a bootstrap of it would pass for certainty", () => {
    expect(() => bootstrapMedianDifference([1000], [900, 910])).toThrow(InvalidInputError);
  });
});
