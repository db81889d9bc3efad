import { describe, expect, it } from "vitest";
import { compareRuns } from "../../../lib/report/compareRuns.js";
import { describeVerdict } from "../../../lib/report/text/describeVerdict.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aRunCost, aRunReport, T0 } from "../../helpers/factories.js";
import { seededRandom } from "../../helpers/seededRandom.js";

/** Runs of `strategy` with these walls and, when given, these costs per run (USD). */
const runsOf = (
  strategy: StrategyName,
  walls: number[],
  costs?: number[],
  extra: Partial<RunReport> = {},
): RunReport[] =>
  walls.map((wallMs, index) =>
    aRunReport({
      strategy,
      wallMs,
      ...(costs ? { cost: aRunCost(costs[index] ?? 0) } : {}),
      ...extra,
    }),
  );

/** n walls around `centre` ± `spread`, from a seeded generator. */
const noisyWalls = (seed: number, n: number, centre: number, spread: number): number[] => {
  const random = seededRandom(seed);
  return Array.from({ length: n }, () => Math.round(centre + (random() * 2 - 1) * spread));
};

/** Ten runs of one distribution, split alternately between fanout and durable. */
function twoHalvesOfOneStrategy(): RunReport[] {
  const walls = noisyWalls(3, 10, 1000, 40);
  return [
    ...runsOf(
      "fanout",
      walls.filter((_, index) => index % 2 === 0),
    ),
    ...runsOf(
      "durable",
      walls.filter((_, index) => index % 2 === 1),
    ),
  ];
}

const verdictOf = (reports: RunReport[]): string => describeVerdict(compareRuns(reports)).join(" ");

describe("Function: describeVerdict", () => {
  it("names a clearly faster strategy the winner, with the interval of its lead over the runner-up", () => {
    // Prepare: 5 runs each, sequential ~6,000 ms and fanout ~4,000 ms, ± 30 ms
    const reports = [
      ...runsOf("sequential", noisyWalls(1, 5, 6000, 30)),
      ...runsOf("fanout", noisyWalls(2, 5, 4000, 30)),
    ];

    // Act
    const verdict = verdictOf(reports);

    // Assess
    expect(verdict).toMatch(
      /^fanout is fastest: median wall 4,0\d\d ms, 1\.\d\dx faster than sequential; 95 % interval of the difference to the runner-up sequential: 1,9\d\d–2,0\d\d ms/,
    );
  });

  it("with one run each, says there is no interval instead of naming a winner, and gives the medians", () => {
    // Act
    const verdict = verdictOf([...runsOf("sequential", [6000]), ...runsOf("fanout", [4000])]);

    // Assess
    expect(verdict).toContain("fanout has the lowest median wall: 4,000 ms");
    expect(verdict).toContain("sequential: 6,000 ms");
    expect(verdict).toContain(
      "one run each: no interval; run with --runs 5 or more to name a winner with confidence",
    );
    expect(verdict).not.toContain("is fastest");
  });

  it("does not tell apart two halves of one strategy's runs given two names, and estimates the runs needed", () => {
    // Prepare
    const reports = twoHalvesOfOneStrategy();

    // Act
    const verdict = verdictOf(reports);

    // Assess
    expect(verdict).toMatch(
      /^(fanout and durable|durable and fanout) are not told apart by wall in 5 runs each: median [\d,]+ vs [\d,]+ ms, 95 % interval of the difference -?[\d,]+ to [\d,]+ ms; about [\d,]+ runs each would likely separate them/,
    );
    expect(verdict).not.toContain("is fastest");
    expect(verdict).not.toContain("cannot be told apart");
  });

  it("says they cannot be told apart once the most rounds did not separate them, and how sure", () => {
    // Prepare: the same two halves, after the stopping rule's most rounds
    const reports = twoHalvesOfOneStrategy();
    const rounds = {
      mode: "untilDecided" as const,
      rounds: 5,
      reason: "maxRounds" as const,
      why: "5 rounds, the most allowed: fastest and durable not told apart",
      elapsedMs: 50_000,
    };

    // Act
    const verdict = describeVerdict(compareRuns(reports), { rounds });

    // Assess
    expect(verdict[0]).toMatch(
      /^(fanout and durable|durable and fanout) cannot be told apart by wall in 5 runs each/,
    );
    expect(verdict).toContain(
      "How sure: 5 rounds in 50 s, stopped: 5 rounds, the most allowed: fastest and durable not told apart.",
    );
  });

  it("says more runs are unlikely to separate two strategies whose medians are equal", () => {
    const verdict = verdictOf([
      ...runsOf("fanout", [900, 1000, 1100]),
      ...runsOf("durable", [950, 1000, 1050]),
    ]);

    expect(verdict).toContain("their medians are equal: more runs are unlikely to separate them");
  });

  it("says two strategies whose interval lies within ±5 % are practically equivalent, not how many runs would separate them", () => {
    // Prepare: an interval of the difference of about ±15 ms around medians of 1,000 ms
    const verdict = verdictOf([
      ...runsOf("fanout", [990, 1000, 1010, 1004]),
      ...runsOf("durable", [995, 1001, 1005, 998]),
    ]);

    // Assess
    expect(verdict).toMatch(
      /^durable and fanout cannot be told apart by wall in 4 runs each: .*; the interval lies within ±5 % of the median: practically equivalent/,
    );
    expect(verdict).not.toContain("would likely separate them");
  });

  it("never names a strategy with a failed run, however fast, nor compares against it", () => {
    // Prepare
    const reports = [
      ...runsOf("sequential", [6000, 6010, 5990]),
      ...runsOf("fanout", [4000, 4010, 3990]),
      ...runsOf("inline", [1000, 1010]),
      ...runsOf("inline", [900], undefined, { status: "failed" }),
    ];

    // Act
    const verdict = verdictOf(reports);

    // Assess
    expect(verdict).toMatch(/^fanout is fastest: .*the runner-up sequential: /);
    expect(verdict).not.toContain("inline");
  });

  it("names the cheapest with its interval, and states the trade-off with the intervals of both differences", () => {
    // Prepare: fanout faster and pricier than inline, clearly on both counts
    const reports = [
      ...runsOf("fanout", [4010, 3990, 4025], [0.00003, 0.000031, 0.000029]),
      ...runsOf("inline", [5010, 4990, 5025], [0.00001, 0.000011, 0.0000105]),
    ];

    // Act
    const verdict = verdictOf(reports);

    // Assess
    expect(verdict).toContain(
      "inline is cheapest ($10.50 per 1M runs; 95 % interval of the difference to the runner-up fanout: $",
    );
    expect(verdict).toMatch(
      /\. fanout is 1\.25x faster than inline for 2\.86x the cost \(\$30\.00 per 1M runs; 95 % intervals of the differences: [\d,]+–[\d,]+ ms faster, \$[\d.]+–\$[\d.]+ per 1M runs dearer\)\.$/,
    );
  });

  it("says the fastest is also the cheapest in a sentence of its own, with both intervals", () => {
    const verdict = verdictOf([
      ...runsOf("sequential", [6010, 5990, 6030], [0.00006, 0.000061, 0.000059]),
      ...runsOf("fanout", [4010, 3990, 4025], [0.00003, 0.000031, 0.000029]),
    ]);

    expect(verdict).toMatch(
      /^fanout is fastest: median wall 4,010 ms, 1\.50x faster than sequential; 95 % interval of the difference to the runner-up sequential: [\d,]+–[\d,]+ ms\. fanout is also cheapest \(\$30\.00 per 1M runs; 95 % interval of the difference to the runner-up sequential: \$[\d.]+–\$[\d.]+ per 1M runs\)\.$/,
    );
  });

  it("names the fastest but not a cheapest that is not told apart by cost", () => {
    // Prepare: a clear wall difference, costs within each other's noise
    const verdict = verdictOf([
      ...runsOf("sequential", [6010, 5990, 6030], [0.000031, 0.00003, 0.000029]),
      ...runsOf("fanout", [4010, 3990, 4025], [0.0000302, 0.0000312, 0.0000292]),
    ]);

    // Assess
    expect(verdict).toMatch(/^fanout is fastest: /);
    expect(verdict).toContain("are not told apart by cost in 3 runs each");
    expect(verdict).not.toContain("is cheapest");
    expect(verdict).toMatch(
      /fanout is 1\.50x faster than sequential for 1\.01x the cost \(\$30\.20 per 1M runs\), but in 3 runs each the cost difference is not told apart from zero \(95 % interval -\$[\d.]+ to \$[\d.]+ per 1M runs\)\.$/,
    );
  });

  it("does not repeat a trade-off whose halves were both just said to be ties", () => {
    const verdict = verdictOf([
      ...runsOf("inline", [4010, 4000, 4020], [0.000031, 0.000031, 0.000031]),
      ...runsOf("fanout", [4011, 3990, 4025], [0.0000302, 0.0000312, 0.0000292]),
    ]);

    // The wall interval lies within ±5 %: practically equivalent, so they cannot be told apart.
    expect(verdict).toContain("inline and fanout cannot be told apart by wall in 3 runs each");
    expect(verdict).toContain("fanout and inline are not told apart by cost in 3 runs each");
    expect(verdict).not.toContain("faster than");
  });

  it("keeps the durable phrase whatever the confidence", () => {
    // Prepare: one durable run, one fanout run: no interval
    const durable = aRunReport({
      strategy: "durable",
      wallMs: 1100,
      durable: {
        executionArn:
          "arn:aws:lambda:us-east-1:000000000000:function:orchestrator:$LATEST/durable-execution/x",
        replays: [{ startedAt: T0, endedAt: T0 + 20, billedMs: 20 }],
        operations: 4,
        bytesCheckpointed: 100,
        suspendedMs: 1080,
        retentionDays: 1,
        breakEvenCriticalPathMs: 4300,
      },
    });

    // Act
    const verdict = verdictOf([durable, ...runsOf("fanout", [1000])]);

    // Assess
    expect(verdict).toContain("one run each: no interval");
    expect(verdict).toMatch(
      /durable: its orchestrator was suspended, not billed, for 98 % of the wall/,
    );
  });

  it("says so when there is nothing to name", () => {
    expect(verdictOf([])).toBe("no runs to compare");
    expect(verdictOf(runsOf("fanout", [900], undefined, { status: "failed" }))).toBe(
      "no verdict: every strategy had a failed run",
    );
  });
});
