import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../lib/errors.js";
import { percentiles, summarize } from "../../../lib/stats/stats.js";

describe("Function: summarize", () => {
  it("returns count, min, max and mean of the values", () => {
    // Act
    const summary = summarize([30, 10, 20]);

    // Assess
    expect(summary).toMatchObject({ count: 3, min: 10, max: 30, mean: 20 });
  });

  it("takes the middle value as the median of an odd count", () => {
    expect(summarize([5, 1, 9, 3, 7]).median).toBe(5);
  });

  it("averages the two middle values as the median of an even count", () => {
    expect(summarize([4, 1, 3, 2]).median).toBe(2.5);
  });

  it("takes p95 by nearest rank: the 95th of 100 values", () => {
    // Prepare
    const values = Array.from({ length: 100 }, (_, index) => 100 - index); // 100..1, unsorted

    // Act & Assess
    expect(summarize(values).p95).toBe(95);
  });

  it("takes p95 by nearest rank: the maximum of 10 values", () => {
    // ceil(0.95 * 10) = 10th value
    expect(summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 1000]).p95).toBe(1000);
  });

  it("takes p95 by nearest rank: the 20th of 21 values", () => {
    // ceil(0.95 * 21) = 20th value
    const values = Array.from({ length: 21 }, (_, index) => index + 1);
    expect(summarize(values).p95).toBe(20);
  });

  it("summarizes a single value as that value everywhere", () => {
    expect(summarize([42])).toEqual({ count: 1, min: 42, median: 42, p95: 42, max: 42, mean: 42 });
  });

  it("does not reorder the caller's array", () => {
    // Prepare
    const values = [3, 1, 2];

    // Act
    summarize(values);

    // Assess
    expect(values).toEqual([3, 1, 2]);
  });

  it("throws an InvalidInputError when given no values", () => {
    expect(() => summarize([])).toThrow(InvalidInputError);
    expect(() => summarize([])).toThrow("values: cannot summarize an empty list of values");
  });
});

describe("Function: percentiles", () => {
  it("takes each by nearest rank: p50, p95 and p99 of 1..200 are values that were measured", () => {
    const values = Array.from({ length: 200 }, (_, index) => 200 - index);

    expect(percentiles(values, [50, 95, 99])).toEqual([100, 190, 198]);
  });

  it("gives the only value for every rank of one value, and refuses none", () => {
    expect(percentiles([7], [1, 50, 100])).toEqual([7, 7, 7]);
    expect(() => percentiles([], [50])).toThrow(InvalidInputError);
  });
});
