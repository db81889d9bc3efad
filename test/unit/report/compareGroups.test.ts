import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../lib/errors.js";
import { compareGroups } from "../../../lib/report/compareGroups.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aRunCost, aRunReport } from "../../helpers/factories.js";
import { seededRandom } from "../../helpers/seededRandom.js";

const runsOf = (strategy: StrategyName, walls: number[], extra: Partial<RunReport> = {}) =>
  walls.map((wallMs) => aRunReport({ strategy, wallMs, ...extra }));

/** n walls around `centre` ± `spread`, from a seeded generator. */
const noisyWalls = (seed: number, n: number, centre: number, spread: number): number[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Math.round(centre + (random() * 2 - 1) * spread));
};

describe("Function: compareGroups", () => {
  it("cannot tell two halves of one strategy's runs apart", () => {
    // Prepare: ten fanout runs, split alternately in two
    const runs = runsOf("fanout", noisyWalls(11, 10, 1000, 40));
    const [odd, even] = [runs.filter((_, i) => i % 2 === 0), runs.filter((_, i) => i % 2 === 1)];

    // Act
    const comparison = compareGroups(odd, even);

    // Assess
    expect(comparison.toldApart).toBe(false);
    expect(comparison.interval?.low).toBeLessThan(0);
    expect(comparison.interval?.high).toBeGreaterThan(0);
  });

  it("cannot tell apart two samples drawn from the same distribution", () => {
    // Act
    const comparison = compareGroups(
      runsOf("fanout", noisyWalls(21, 7, 1000, 40)),
      runsOf("fanout", noisyWalls(22, 7, 1000, 40)),
    );

    // Assess
    expect(comparison).toMatchObject({ toldApart: false, a: { runs: 7 }, b: { runs: 7 } });
  });

  it("tells apart clearly separated groups: the difference of medians and an interval above 0", () => {
    // Act
    const comparison = compareGroups(
      runsOf("sequential", [6010, 5990, 6030, 6005, 5980]),
      runsOf("fanout", [4010, 3990, 4025, 4000, 4015]),
    );

    // Assess
    expect(comparison).toMatchObject({
      metric: "wallMs",
      a: { runs: 5, median: 6005 },
      b: { runs: 5, median: 4010 },
      difference: 1995,
      toldApart: true,
    });
    expect(comparison.interval?.low).toBeGreaterThan(0);
    expect(comparison.runsNeeded).toBeUndefined();
  });

  it("gives no interval and tells nothing apart with a single run on a side", () => {
    // Act
    const comparison = compareGroups(runsOf("sequential", [6000]), runsOf("fanout", [4000, 4010]));

    // Assess
    expect(comparison).toMatchObject({ difference: 1995, toldApart: false });
    expect(comparison.interval).toBeUndefined();
    expect(comparison.runsNeeded).toBeUndefined();
  });

  it("estimates the runs that would separate them: n · (half-width / difference)², rounded up", () => {
    // Act
    const comparison = compareGroups(
      runsOf("fanout", [1000, 1010, 995, 1020, 1005]),
      runsOf("durable", [1003, 1012, 998, 1018, 1007]),
    );

    // Assess
    const { interval, difference, runsNeeded } = comparison;
    const halfWidth = ((interval?.high ?? 0) - (interval?.low ?? 0)) / 2;
    expect(comparison.toldApart).toBe(false);
    expect(difference).toBe(-2);
    expect(runsNeeded).toBe(Math.ceil(5 * (halfWidth / 2) ** 2));
    expect(runsNeeded).toBeGreaterThan(5);
  });

  it("estimates nothing when the medians are equal: more runs are unlikely to separate them", () => {
    const comparison = compareGroups(
      runsOf("fanout", [990, 1000, 1010]),
      runsOf("durable", [995, 1000, 1005]),
    );

    expect(comparison).toMatchObject({ difference: 0, toldApart: false });
    expect(comparison.runsNeeded).toBeUndefined();
  });

  it("uses the runs compareRuns uses: warm-up runs out, warm succeeded runs before cold or failed", () => {
    // Prepare
    const a = [
      ...runsOf("fanout", [1000, 1010, 1005]),
      ...runsOf("fanout", [9000], { warmup: true }),
      ...runsOf("fanout", [3000], { coldStarts: 2 }),
      ...runsOf("fanout", [10], { status: "failed" }),
    ];

    // Act
    const comparison = compareGroups(a, runsOf("durable", [1000, 1010]));

    // Assess
    expect(comparison.a).toEqual({ runs: 3, median: 1005 });
  });

  it("compares cost per run over the runs that carried one", () => {
    // Act
    const comparison = compareGroups(
      [
        aRunReport({ cost: aRunCost(0.00003) }),
        aRunReport({ cost: aRunCost(0.000031) }),
        aRunReport(),
      ],
      [aRunReport({ cost: aRunCost(0.00001) }), aRunReport({ cost: aRunCost(0.000011) })],
      "costUsd",
    );

    // Assess
    expect(comparison).toMatchObject({ metric: "costUsd", a: { runs: 2 }, toldApart: true });
    expect(comparison.difference).toBeCloseTo(0.00002, 12);
  });

  it("throws when a group has no run that carries the metric", () => {
    expect(() => compareGroups([aRunReport()], [aRunReport()], "costUsd")).toThrow(
      InvalidInputError,
    );
  });
});
