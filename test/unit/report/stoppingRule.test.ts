import { describe, expect, it } from "vitest";
import {
  decideStopping,
  describeRounds,
  type RoundsSettings,
} from "../../../lib/report/stoppingRule.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aRunCost, aRunReport } from "../../helpers/factories.js";
import { seededRandom } from "../../helpers/seededRandom.js";

const SETTINGS: RoundsSettings = { budgetMs: 120_000, minRounds: 5, maxRounds: 30 };

/**
 * `rounds` runs of `strategy` around `wallMs` and `costUsd`, each ± `spread` (a share of it),
 * from a seeded generator.
 */
function runsOf(
  strategy: StrategyName,
  rounds: number,
  {
    wallMs,
    costUsd,
    spread = 0.01,
    seed = 1,
  }: { wallMs: number; costUsd: number; spread?: number; seed?: number },
  extra: Partial<RunReport> = {},
): RunReport[] {
  const random = seededRandom(seed);
  const jitter = (value: number) => value * (1 + (random() * 2 - 1) * spread);
  return Array.from({ length: rounds }, () =>
    aRunReport({
      strategy,
      wallMs: Math.round(jitter(wallMs)),
      cost: aRunCost(jitter(costUsd)),
      ...extra,
    }),
  );
}

/** inline clearly faster and cheaper than fanout. */
const clearRounds = (rounds: number) => [
  ...runsOf("fanout", rounds, { wallMs: 4000, costUsd: 0.0001, seed: 1 }),
  ...runsOf("inline", rounds, { wallMs: 3000, costUsd: 0.00005, seed: 2 }),
];

/** Two strategies 3 % apart with 20 % noise: no interval will exclude zero or fit ±5 % soon. */
const noisyRounds = (rounds: number) => [
  ...runsOf("fanout", rounds, { wallMs: 4000, costUsd: 0.0001, spread: 0.2, seed: 3 }),
  ...runsOf("durable", rounds, { wallMs: 4120, costUsd: 0.000103, spread: 0.2, seed: 4 }),
];

describe("Function: decideStopping", () => {
  it("goes on before the fewest rounds, however clear the runs", () => {
    const decision = decideStopping({ runs: clearRounds(4), elapsedMs: 40_000, ...SETTINGS });

    expect(decision).toEqual({ action: "continue", rounds: 4 });
  });

  it("stops once the fastest and the cheapest are each told apart, after the fewest rounds", () => {
    const decision = decideStopping({ runs: clearRounds(5), elapsedMs: 50_000, ...SETTINGS });

    expect(decision).toEqual({
      action: "stop",
      rounds: 5,
      reason: "decided",
      why: "fastest and cheapest named (95 % intervals exclude zero)",
    });
  });

  it("stops on two strategies whose intervals lie within ±5 %: practically equivalent, not undecided", () => {
    // Prepare: the same centre, ±0.5 % noise
    const runs = [
      ...runsOf("fanout", 6, { wallMs: 4000, costUsd: 0.0001, spread: 0.005, seed: 5 }),
      ...runsOf("durable", 6, { wallMs: 4000, costUsd: 0.0001, spread: 0.005, seed: 6 }),
    ];

    // Act
    const decision = decideStopping({ runs, elapsedMs: 60_000, ...SETTINGS });

    // Assess
    expect(decision).toMatchObject({ action: "stop", reason: "decided" });
    expect(decision.action === "stop" && decision.why).toMatch(
      /^fastest and (fanout|durable) within ±5 %: equivalent; cheapest and (fanout|durable) within ±5 %: equivalent$/,
    );
  });

  it("goes on while a claim is open, within the budget and the most rounds", () => {
    const decision = decideStopping({ runs: noisyRounds(6), elapsedMs: 60_000, ...SETTINGS });

    expect(decision).toEqual({ action: "continue", rounds: 6 });
  });

  it("stops after the most rounds with a claim still open, saying which", () => {
    const decision = decideStopping({
      runs: noisyRounds(30),
      elapsedMs: 100_000,
      ...SETTINGS,
      budgetMs: 600_000,
    });

    expect(decision).toMatchObject({ action: "stop", rounds: 30, reason: "maxRounds" });
    expect(decision.action === "stop" && decision.why).toMatch(
      /^30 rounds, the most allowed: fastest and (durable|fanout) not told apart/,
    );
  });

  it("stops when another round, as long as the average so far, would pass the budget", () => {
    // 6 rounds in 100 s: a seventh would end near 117 s, within 120 s; an eighth would not.
    expect(decideStopping({ runs: noisyRounds(6), elapsedMs: 100_000, ...SETTINGS }).action).toBe(
      "continue",
    );
    const decision = decideStopping({ runs: noisyRounds(7), elapsedMs: 110_000, ...SETTINGS });

    expect(decision).toMatchObject({ action: "stop", rounds: 7, reason: "budget" });
    expect(decision.action === "stop" && decision.why).toMatch(/^the 2m budget is spent: fastest/);
  });

  it("keeps to the budget before the fewest rounds too, and says so", () => {
    // 2 rounds in 90 s: a third would end near 135 s, past 120 s.
    const decision = decideStopping({ runs: clearRounds(2), elapsedMs: 90_000, ...SETTINGS });

    expect(decision).toEqual({
      action: "stop",
      rounds: 2,
      reason: "budget",
      why: "the 2m budget is spent: fewer than the 5 rounds wanted",
    });
  });

  it("stops when every strategy has had a failed run: none can be named however long it runs", () => {
    const runs = [
      ...runsOf("fanout", 1, { wallMs: 4000, costUsd: 0.0001 }, { status: "failed" }),
      ...runsOf("inline", 1, { wallMs: 3000, costUsd: 0.00005 }, { status: "failed" }),
    ];

    expect(decideStopping({ runs, elapsedMs: 10_000, ...SETTINGS })).toMatchObject({
      action: "stop",
      reason: "noCandidate",
    });
  });

  it("counts rounds by the strategy with the fewest measured runs, leaving warm-up runs out", () => {
    const runs = [
      ...clearRounds(5),
      ...runsOf("inline", 3, { wallMs: 3000, costUsd: 0.00005 }, { warmup: true }),
      ...runsOf("fanout", 1, { wallMs: 4000, costUsd: 0.0001 }),
    ];

    expect(decideStopping({ runs, elapsedMs: 50_000, ...SETTINGS }).rounds).toBe(5);
  });
});

describe("Function: describeRounds", () => {
  it("says how many rounds, how long, and why they stopped, in one short line", () => {
    const line = describeRounds({
      mode: "untilDecided",
      rounds: 8,
      reason: "decided",
      why: "fastest and cheapest named (95 % intervals exclude zero)",
      elapsedMs: 102_400,
      settings: SETTINGS,
    });

    expect(line).toBe(
      "8 rounds in 1m 42s, stopped: fastest and cheapest named (95 % intervals exclude zero)",
    );
    expect(line.length).toBeLessThanOrEqual(100);
  });

  it("says --runs fixed them", () => {
    expect(
      describeRounds({
        mode: "fixed",
        rounds: 5,
        reason: "fixed",
        why: "as --runs asked",
        elapsedMs: 1,
      }),
    ).toBe("5 rounds (one run of each strategy a round), as --runs asked");
  });
});
