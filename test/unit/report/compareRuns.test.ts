import { describe, expect, it } from "vitest";
import { compareRuns } from "../../../lib/report/compareRuns.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aRunCost, aRunReport, aTaskReport, T0 } from "../../helpers/factories.js";

const runsOf = (strategy: StrategyName, walls: number[], extra: Partial<RunReport> = {}) =>
  walls.map((wallMs) => aRunReport({ strategy, wallMs, ...extra }));

describe("Function: compareRuns", () => {
  it("lists only the strategies that have runs, in the canonical order", () => {
    // Prepare
    const reports = [...runsOf("inline", [900]), ...runsOf("sequential", [3000])];

    // Act
    const { strategies } = compareRuns(reports);

    // Assess
    expect(strategies.map((entry) => entry.strategy)).toEqual(["sequential", "inline"]);
  });

  it("summarizes wall, critical path and overhead per strategy", () => {
    // Prepare
    const reports = [
      aRunReport({ strategy: "fanout", wallMs: 1200, criticalPathMs: 1000 }),
      aRunReport({ strategy: "fanout", wallMs: 1400, criticalPathMs: 1000 }),
      aRunReport({ strategy: "fanout", wallMs: 1300, criticalPathMs: 1100 }),
    ];

    // Act
    const [fanout] = compareRuns(reports).strategies;

    // Assess
    expect(fanout?.runs).toBe(3);
    expect(fanout?.wallMs.median).toBe(1300);
    expect(fanout?.criticalPathMs.median).toBe(1000);
    expect(fanout?.overheadMs).toMatchObject({ min: 200, median: 200, max: 400 });
  });

  it("divides overhead by the number of DAG levels", () => {
    // Prepare
    const reports = [aRunReport({ wallMs: 3300, criticalPathMs: 3000, levels: 3 })];

    // Act
    const [sequential] = compareRuns(reports).strategies;

    // Assess
    expect(sequential?.overheadPerLevelMs.median).toBe(100);
  });

  it("computes speedup as sequential's median wall over the strategy's median wall", () => {
    // Prepare
    const reports = [...runsOf("sequential", [6000, 6100, 5900]), ...runsOf("fanout", [4000])];

    // Act
    const [sequential, fanout] = compareRuns(reports).strategies;

    // Assess
    expect(sequential?.speedup).toBe(1);
    expect(fanout?.speedup).toBe(1.5);
  });

  it("without sequential runs, measures speedup against the summed task durations and says so", () => {
    // Prepare: three 1 s tasks overlapping in a 1.5 s run: ideal sequential time 3 s
    const task = { startedAt: T0 + 100, endedAt: T0 + 1100 };
    const report = aRunReport({
      strategy: "fanout",
      wallMs: 1500,
      tasks: ["a", "b", "c"].map((id) => aTaskReport({ id, ...task })),
    });

    // Act
    const [fanout] = compareRuns([report]).strategies;

    // Assess
    expect(fanout).toMatchObject({ speedup: 2, speedupBasis: "summedTaskTime" });
  });

  it("measures efficiency as critical path over wall, never above 1", () => {
    // Prepare
    const reports = [aRunReport({ strategy: "fanout", wallMs: 1250, criticalPathMs: 1000 })];

    // Act
    const [fanout] = compareRuns(reports).strategies;

    // Assess
    expect(fanout?.efficiency).toBe(0.8);
  });

  it("measures parallelism as the tasks' own time over wall time", () => {
    // Prepare: two 1 s tasks that overlapped completely in a 1.25 s run
    const task = { startedAt: T0 + 100, endedAt: T0 + 1100 };
    const report = aRunReport({
      strategy: "fanout",
      wallMs: 1250,
      tasks: [aTaskReport({ id: "a", ...task }), aTaskReport({ id: "b", ...task })],
    });

    // Act
    const [fanout] = compareRuns([report]).strategies;

    // Assess
    expect(fanout?.parallelism).toBe(1.6);
  });

  it("counts a task without its own span as no busy time in parallelism", () => {
    // Prepare
    const report = aRunReport({
      wallMs: 1000,
      tasks: [
        aTaskReport({ startedAt: T0, endedAt: T0 + 500 }),
        aTaskReport({ status: "skipped", startedAt: undefined, endedAt: undefined }),
      ],
    });

    // Act
    const [sequential] = compareRuns([report]).strategies;

    // Assess
    expect(sequential?.parallelism).toBe(0.5);
  });

  it("counts failed runs and leaves them out of the timings", () => {
    // Prepare
    const reports = [
      ...runsOf("queue", [2000, 2200]),
      ...runsOf("queue", [50], { status: "failed" }),
    ];

    // Act
    const [queue] = compareRuns(reports).strategies;

    // Assess
    expect(queue).toMatchObject({ runs: 3, failed: 1 });
    expect(queue?.wallMs).toMatchObject({ count: 2, median: 2100 });
  });

  it("falls back to the failed runs' timings when a strategy never succeeded", () => {
    const [queue] = compareRuns(runsOf("queue", [50, 70], { status: "failed" })).strategies;

    expect(queue).toMatchObject({ runs: 2, failed: 2, wallMs: { median: 60 } });
  });

  it("names the strategy with the lowest median wall the winner", () => {
    // Prepare
    const reports = [
      ...runsOf("sequential", [6000]),
      ...runsOf("fanout", [4000, 4200]),
      ...runsOf("inline", [3000, 9000, 9000]),
    ];

    // Act & Assess
    expect(compareRuns(reports).fastest).toBe("fanout");
  });

  it("excludes a strategy with a failed run from winning, however fast", () => {
    // Prepare
    const reports = [
      ...runsOf("sequential", [6000]),
      ...runsOf("fanout", [4000]),
      ...runsOf("inline", [1000, 1000]),
      ...runsOf("inline", [900], { status: "failed" }),
    ];

    // Act & Assess
    expect(compareRuns(reports).fastest).toBe("fanout");
  });

  it("has no winner when every strategy had a failed run", () => {
    const reports = runsOf("fanout", [4000], { status: "failed" });

    expect(compareRuns(reports).fastest).toBeUndefined();
  });

  it("keeps runs with cold starts apart: timings from warm runs, cold ones summarized beside them", () => {
    // Prepare
    const reports = [
      ...runsOf("fanout", [1000, 1100, 1200]),
      ...runsOf("fanout", [1800, 2000], { coldStarts: 2 }),
    ];

    // Act
    const [fanout] = compareRuns(reports).strategies;

    // Assess
    expect(fanout).toMatchObject({ runs: 5, warmRuns: 3, coldRuns: 2, basis: "warm" });
    expect(fanout?.wallMs).toMatchObject({ count: 3, median: 1100 });
    expect(fanout?.coldWallMs).toMatchObject({ count: 2, median: 1900 });
  });

  it("uses the cold runs when no run was warm, and says so", () => {
    const [fanout] = compareRuns(runsOf("fanout", [1800, 2000], { coldStarts: 1 })).strategies;

    expect(fanout).toMatchObject({ basis: "cold", wallMs: { median: 1900 } });
  });

  it("leaves warm-up runs out of every statistic", () => {
    // Prepare
    const reports = [...runsOf("inline", [5000], { warmup: true }), ...runsOf("inline", [900])];

    // Act
    const [inline] = compareRuns(reports).strategies;

    // Assess
    expect(inline).toMatchObject({ runs: 1, wallMs: { count: 1, median: 900 } });
  });

  it("summarizes cost per run, per 1M runs and the median run's breakdown, and names the cheapest", () => {
    // Prepare
    const reports = [
      aRunReport({ strategy: "fanout", wallMs: 1000, cost: aRunCost(0.00002) }),
      aRunReport({ strategy: "fanout", wallMs: 1100, cost: aRunCost(0.00004) }),
      aRunReport({ strategy: "fanout", wallMs: 1200, cost: aRunCost(0.00003) }),
      aRunReport({ strategy: "inline", wallMs: 1500, cost: aRunCost(0.00001) }),
    ];

    // Act
    const comparison = compareRuns(reports);
    const [fanout] = comparison.strategies;

    // Assess
    expect(fanout?.costUsd?.median).toBe(0.00003);
    expect(fanout?.costPerMillionRunsUsd).toBeCloseTo(30, 9);
    expect(fanout?.costBreakdown?.totalUsd).toBe(0.00004);
    expect(comparison).toMatchObject({ fastest: "fanout", cheapest: "inline" });
  });

  it("points at the median run by wall time, for its Gantt", () => {
    // Prepare
    const reports = [900, 1000, 1100, 5000].map((wallMs) =>
      aRunReport({ strategy: "queue", wallMs, runId: `run-${wallMs}` }),
    );

    // Act
    const [queue] = compareRuns(reports).strategies;

    // Assess
    expect(queue?.medianRunId).toBe("run-1000");
  });

  it("gives each strategy 95 % intervals of its median wall, overhead and cost over the same runs", () => {
    // Prepare: ten warm runs 1,001..1,010 ms, a cold and a warm-up run that must not count
    const walls = Array.from({ length: 10 }, (_, index) => 1001 + index);
    const reports = [
      ...walls.map((wallMs) =>
        aRunReport({
          strategy: "fanout",
          wallMs,
          criticalPathMs: 1000,
          cost: aRunCost(wallMs / 1e8),
        }),
      ),
      ...runsOf("fanout", [5000], { coldStarts: 1 }),
      ...runsOf("fanout", [9000], { warmup: true }),
    ];

    // Act
    const [fanout] = compareRuns(reports).strategies;

    // Assess: [x_(2), x_(9)] of 10 values, 1 − 2·11/1024
    const coverage = 1 - 22 / 1024;
    expect(fanout?.intervals.wallMs).toEqual({ low: 1002, high: 1009, coverage });
    expect(fanout?.intervals.overheadMs).toEqual({ low: 2, high: 9, coverage });
    expect(fanout?.intervals.costUsd?.low).toBeCloseTo(1002 / 1e8, 15);
    expect(fanout?.intervals.costUsd?.coverage).toBe(coverage);
  });

  it("gives a strategy of one run no interval", () => {
    const [inline] = compareRuns(runsOf("inline", [900])).strategies;

    expect(inline?.intervals).toEqual({});
  });

  it("tests the fastest against the runner-up, the cheapest against its runner-up, and the trade-off", () => {
    // Prepare
    const reports = [
      ...runsOf("sequential", [6000, 6010, 5990], { cost: aRunCost(0.00002) }),
      ...runsOf("fanout", [4000, 4010, 3990], { cost: aRunCost(0.00004) }),
      ...runsOf("inline", [500, 510], { cost: aRunCost(0.00001) }),
      ...runsOf("inline", [400], { status: "failed" }),
    ];

    // Act
    const { margins } = compareRuns(reports);

    // Assess: inline failed once, so it is in none of them
    expect(margins?.fastest).toMatchObject({
      leader: "fanout",
      other: "sequential",
      metric: "wallMs",
      difference: 2000,
      toldApart: true,
    });
    expect(margins?.cheapest).toMatchObject({ leader: "sequential", other: "fanout" });
    expect(margins?.tradeOff?.wallMs).toMatchObject({ leader: "fanout", other: "sequential" });
    expect(margins?.tradeOff?.costUsd).toMatchObject({
      leader: "sequential",
      other: "fanout",
      metric: "costUsd",
    });
  });

  it("has no margins with a single strategy to compare", () => {
    expect(compareRuns(runsOf("fanout", [1000, 1010])).margins).toBeUndefined();
  });

  it("returns no strategies and no winner for no reports", () => {
    expect(compareRuns([])).toEqual({ strategies: [] });
  });
});
