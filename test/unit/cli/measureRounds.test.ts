import { describe, expect, it } from "vitest";
import { measureRounds } from "../../../cli/measureRounds.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aRunCost, aRunReport } from "../../helpers/factories.js";

const SETTINGS = { budgetMs: 120_000, minRounds: 5, maxRounds: 30 };

/**
 * A session of rounds on a clock that each round moves on by `roundMs`: each round adds one run
 * of each strategy, `wallOf(strategy, round)` long, costing `costOf(strategy)`.
 */
function session(
  wallOf: (strategy: StrategyName, round: number) => number,
  costOf: (strategy: StrategyName) => number,
  roundMs = 10_000,
) {
  const runs: RunReport[] = [];
  let clock = 0;
  const rounds: number[] = [];
  return {
    rounds,
    options: {
      runRound: async (round: number) => {
        rounds.push(round);
        for (const strategy of ["fanout", "inline"] as const) {
          runs.push(
            aRunReport({
              strategy,
              wallMs: wallOf(strategy, round),
              cost: aRunCost(costOf(strategy) * (1 + (round % 3) * 0.01)),
            }),
          );
        }
        clock += roundMs;
      },
      measuredRuns: () => runs,
      now: () => clock,
    },
  };
}

/** inline clearly faster and cheaper: decided at the fewest rounds. */
const clear = () =>
  session(
    (strategy, round) => (strategy === "inline" ? 3000 : 4000) + (round % 4) * 10,
    (strategy) => (strategy === "inline" ? 0.00005 : 0.0001),
  );

describe("Function: measureRounds", () => {
  it("makes exactly the rounds --runs fixed, however clear the runs", async () => {
    // Prepare
    const { rounds, options } = clear();

    // Act
    const record = await measureRounds({ mode: "fixed", rounds: 8 }, options);

    // Assess
    expect(rounds).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect(record).toEqual({
      mode: "fixed",
      rounds: 8,
      reason: "fixed",
      why: "as --runs asked",
      elapsedMs: 80_000,
    });
  });

  it("without --runs, stops at the fewest rounds once the verdict is decided", async () => {
    // Prepare
    const { rounds, options } = clear();

    // Act
    const record = await measureRounds({ mode: "untilDecided", settings: SETTINGS }, options);

    // Assess
    expect(rounds).toHaveLength(5);
    expect(record).toMatchObject({
      mode: "untilDecided",
      rounds: 5,
      reason: "decided",
      elapsedMs: 50_000,
    });
  });

  it("without --runs, goes on while the runs cannot tell the two apart, until the budget", async () => {
    // Prepare: the same wall and cost, ± 15 %, alternating: never told apart, never within ±5 %
    const { rounds, options } = session(
      (strategy, round) =>
        4000 * (1 + (((round * 7 + (strategy === "inline" ? 3 : 0)) % 5) - 2) * 0.075),
      () => 0.0001,
    );

    // Act
    const record = await measureRounds({ mode: "untilDecided", settings: SETTINGS }, options);

    // Assess: 12 rounds of 10 s fill the 120 s; a thirteenth would pass them
    expect(rounds).toHaveLength(12);
    expect(record).toMatchObject({ rounds: 12, reason: "budget", settings: SETTINGS });
  });

  it("ends after the most rounds when a round adds no runs (no strategy left to run)", async () => {
    const record = await measureRounds(
      { mode: "untilDecided", settings: { ...SETTINGS, maxRounds: 3 } },
      { runRound: async () => {}, measuredRuns: () => [], now: () => 0 },
    );

    expect(record).toMatchObject({ rounds: 0, reason: "maxRounds", why: "nothing was measured" });
  });
});
