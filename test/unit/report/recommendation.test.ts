import { describe, expect, it } from "vitest";
import type { ReportForecast } from "../../../lib/forecast/forecastSummary.js";
import { compareRuns } from "../../../lib/report/compareRuns.js";
import {
  type LatencyTarget,
  parseLatencyTarget,
  type Recommendation,
  recommend,
} from "../../../lib/report/recommendation.js";
import { describeRecommendation } from "../../../lib/report/text/describeRecommendation.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aRunCost, aRunReport } from "../../helpers/factories.js";
import { aRateEntry, aReportForecast, aStrategyForecast } from "../../helpers/reportForecast.js";

/** Runs of `strategy` with these walls, costing `costUsd` each, ± 0.1 % around it (the median). */
const runsOf = (
  strategy: StrategyName,
  walls: number[],
  costUsd: number | number[],
  extra: Partial<RunReport> = {},
): RunReport[] =>
  walls.map((wallMs, index) => {
    const spread = 1 + (index - (walls.length - 1) / 2) * 0.001;
    const cost = Array.isArray(costUsd) ? (costUsd[index] ?? 0) : costUsd * spread;
    return aRunReport({ strategy, wallMs, cost: aRunCost(cost), ...extra });
  });

/**
 * sequential: slow and dear; fanout: fast and dear; inline: fast enough, cheapest; queue: its
 * p95 is its slow tail.
 */
const RUNS = [
  ...runsOf("sequential", [6000, 6010, 6020, 6030, 6040, 6050], 0.00012),
  ...runsOf("fanout", [4000, 4010, 4020, 4030, 4040, 4050], 0.00011),
  ...runsOf("inline", [4400, 4410, 4420, 4430, 4440, 4450], 0.00005),
  ...runsOf("queue", [4100, 4110, 4120, 4130, 4140, 9000], 0.00009),
];

const recommendFor = (
  target: LatencyTarget | undefined,
  extra: { ratePerSecond?: number; costWeight?: number; forecast?: ReportForecast } = {},
  runs: RunReport[] = RUNS,
): Recommendation =>
  recommend({ comparison: compareRuns(runs), runs, ...(target ? { target } : {}), ...extra });

/** 10,000 runs a day: 300,000 a month of 30 days. */
const TEN_THOUSAND_A_DAY = 10_000 / 86_400;

describe("Function: parseLatencyTarget", () => {
  it.each([
    ["p95<=2s", { percentile: 95, maxMs: 2000 }],
    ["p99<=800ms", { percentile: 99, maxMs: 800 }],
    [" p50 <= 1.5s ", { percentile: 50, maxMs: 1500 }],
    ["p95≤1m", { percentile: 95, maxMs: 60_000 }],
  ])("reads %s", (text, target) => {
    expect(parseLatencyTarget(text)).toEqual(target);
  });

  it.each(["p90<=2s", "p95<=2", "p95>=2s", "95<=2s", "p95<=fast", ""])(
    "refuses %j, saying what it expects",
    (text) => {
      expect(() => parseLatencyTarget(text)).toThrow(
        /expected p50, p95 or p99, '<=' and a duration with its unit, e\.g\. p95<=2s/,
      );
    },
  );
});

describe("Function: recommend, against a target", () => {
  it("picks the cheapest strategy whose measured p95 meets the target, not the fastest", () => {
    // Act
    const recommendation = recommendFor({ percentile: 95, maxMs: 5000 });

    // Assess
    expect(recommendation.measured?.pick).toBe("inline");
    expect(recommendation.measured?.standings.map((standing) => standing.strategy)).toEqual([
      "inline",
      "queue",
      "fanout",
      "sequential",
    ]);
    expect(recommendation.measured?.standings[0]).toMatchObject({ wallMs: 4450, spareMs: 550 });
  });

  it("judges by the percentile asked: a slow tail misses a p95 target its median would meet", () => {
    // Act: inline's p95 (4,450) misses 4,200; queue's median would meet it, its p95 (9,000) not
    const p95 = recommendFor({ percentile: 95, maxMs: 4200 });
    const p50 = recommendFor({ percentile: 50, maxMs: 4200 });

    // Assess
    expect(p95.measured?.pick).toBe("fanout");
    expect(p50.measured?.pick).toBe("queue");
  });

  it("gives each alternative's cost a month at the rate, and by how much it meets or misses", () => {
    // Act
    const recommendation = recommendFor(
      { percentile: 95, maxMs: 5000 },
      { ratePerSecond: TEN_THOUSAND_A_DAY },
    );

    // Assess
    expect(recommendation.runsPerMonth).toBeCloseTo(300_000);
    const sequential = recommendation.measured?.standings.find(
      (standing) => standing.strategy === "sequential",
    );
    expect(sequential?.spareMs).toBe(-1050);
    expect(sequential?.monthlyUsd).toBeCloseTo(300_000 * 0.00012, 6);
  });

  it("says plainly when no strategy meets the target, and names the closest", () => {
    // Act
    const recommendation = recommendFor({ percentile: 95, maxMs: 3000 });
    const [sentence] = describeRecommendation(recommendation, "measured locally");

    // Assess
    expect(recommendation.measured?.pick).toBeUndefined();
    expect(recommendation.measured?.closest).toBe("fanout");
    expect(sentence).toBe(
      "No strategy meets p95 ≤ 3 s (measured locally): the closest, fanout, has p95 4,050 ms, 1,050 ms over; $110.00 per 1M runs.",
    );
  });

  it("states the pick, its margin and its cost a month", () => {
    const [sentence] = describeRecommendation(
      recommendFor({ percentile: 95, maxMs: 5000 }, { ratePerSecond: TEN_THOUSAND_A_DAY }),
      "measured locally",
    );

    expect(sentence).toBe(
      "For p95 ≤ 5 s: inline, the cheapest whose p95 (measured locally) meets it: 4,450 ms, 550 ms to spare; $15.00 a month at 300,000 runs.",
    );
  });

  it("says when the pick is the cheapest by median only, not told apart from the next by cost", () => {
    // Prepare: inline and fanout cost within each other's noise, both meet the target
    const runs = [
      ...runsOf("fanout", [4000, 4010, 4020], [0.00005, 0.000049, 0.000051]),
      ...runsOf("inline", [4400, 4410, 4420], [0.0000495, 0.0000505, 0.000049]),
    ];

    // Act
    const [sentence] = describeRecommendation(
      recommendFor({ percentile: 95, maxMs: 5000 }, {}, runs),
      "measured locally",
    );

    // Assess
    expect(sentence).toMatch(/; by median cost only: not told apart from fanout in 3 runs each\.$/);
  });

  it("never picks a strategy that had a failed run", () => {
    // Prepare: inline, the cheapest meeting it, failed once
    const runs = [...RUNS, ...runsOf("inline", [4400], 0.00005, { status: "failed" })];

    // Act
    const recommendation = recommendFor({ percentile: 95, maxMs: 5000 }, {}, runs);

    // Assess: the next cheapest, queue, misses with its tail; then fanout
    expect(recommendation.measured?.pick).toBe("fanout");
    expect(recommendation.measured?.standings.map((standing) => standing.strategy)).not.toContain(
      "inline",
    );
  });
});

const FORECAST: ReportForecast = aReportForecast({
  strategies: [
    aStrategyForecast("fanout", { p50: 4040, p95: 4080, costPerRunUsd: 0.000138 }),
    aStrategyForecast("inline", { p50: 4000, p95: 4001, costPerRunUsd: 0.000057 }),
  ],
  rate: {
    perSecond: TEN_THOUSAND_A_DAY,
    runsPerMonth: 300_000,
    runs: 200,
    strategies: [
      aRateEntry("fanout", {
        p50: 4050,
        p95: 4500,
        costPerRunUsd: 0.000138,
        monthlyUsd: 41.4,
        coldRunShare: 0.05,
      }),
      aRateEntry("inline", {
        p50: 4010,
        p95: 4900,
        costPerRunUsd: 0.000057,
        monthlyUsd: 17.1,
        coldRunShare: 0.3,
      }),
    ],
  },
});

describe("Function: recommend, the forecast's pick", () => {
  it("picks from the forecast at the rate, cold starts included, labelled modelled", () => {
    // Act: inline's p95 at the rate (4,900) misses 4,600; fanout's (4,500) meets it
    const recommendation = recommendFor(
      { percentile: 95, maxMs: 4600 },
      { ratePerSecond: TEN_THOUSAND_A_DAY, forecast: FORECAST },
    );
    const sentences = describeRecommendation(recommendation, "measured locally");

    // Assess
    expect(recommendation.forecast?.pick).toBe("fanout");
    expect(sentences[1]).toBe(
      "Forecast on AWS (modelled): fanout, p95 4,500 ms, 100 ms to spare; $41.40 a month at 300,000 runs.",
    );
  });

  it("uses the forecast of runs one at a time without a rate", () => {
    const { rate: _rate, ...withoutRate } = FORECAST;

    const recommendation = recommendFor({ percentile: 95, maxMs: 4600 }, { forecast: withoutRate });

    expect(recommendation.forecast?.pick).toBe("inline");
  });

  it("judges a p99 target by the measured runs' p99, and says the forecast has none", () => {
    // Act
    const recommendation = recommendFor({ percentile: 99, maxMs: 5000 }, { forecast: FORECAST });
    const sentences = describeRecommendation(recommendation, "measured locally");

    // Assess: 6 runs: the p99 is the slowest, queue's 9,000 ms tail
    const queue = recommendation.measured?.standings.find((entry) => entry.strategy === "queue");
    expect(queue).toMatchObject({ wallMs: 9000, spareMs: -4000 });
    expect(sentences).toContain(
      "Forecast on AWS (modelled): no pick, the forecast gives p50 and p95 only.",
    );
  });
});

describe("Function: recommend, balanced (no target)", () => {
  it("picks the lowest weighted sum of cost and time, each over the largest, and states the weight", () => {
    // Act
    const recommendation = recommendFor(undefined);
    const [sentence] = describeRecommendation(recommendation, "measured locally");

    // Assess: inline 0.5·50/120 + 0.5·4,425/6,025 = 0.58; fanout 0.5·110/120 + 0.5·4,025/6,025 = 0.79
    expect(recommendation).toMatchObject({ kind: "balanced", costWeight: 0.5 });
    expect(recommendation.measured?.pick).toBe("inline");
    expect(recommendation.measured?.standings[0]?.balancedScore).toBeCloseTo(0.575, 2);
    expect(sentence).toBe(
      "Balanced pick (cost weighs 0.5, time 0.5, measured locally): inline, median wall 4,425 ms, $50.00 per 1M runs.",
    );
  });

  it("weighs time alone at weight 0, cost alone at weight 1", () => {
    expect(recommendFor(undefined, { costWeight: 0 }).measured?.pick).toBe("fanout");
    expect(recommendFor(undefined, { costWeight: 1 }).measured?.pick).toBe("inline");
  });

  it("gives the forecast's balanced pick beside the measured one", () => {
    const sentences = describeRecommendation(
      recommendFor(undefined, { forecast: FORECAST }),
      "measured locally",
    );

    expect(sentences[1]).toBe(
      "Forecast on AWS (modelled), balanced: inline, median wall 4,010 ms, $57.00 per 1M runs.",
    );
  });
});
