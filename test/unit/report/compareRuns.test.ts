import { describe, expect, it } from "vitest";
import { compareRuns } from "../../../lib/report/compareRuns.js";
import type { RunReport, StrategyName } from "../../../lib/report/types.js";
import { aRunReport, aTaskReport, T0 } from "../../helpers/factories.js";

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

  it("leaves speedup undefined when there are no sequential runs", () => {
    const [fanout] = compareRuns(runsOf("fanout", [4000])).strategies;

    expect(fanout?.speedup).toBeUndefined();
  });

  it("measures efficiency as the tasks' own time over wall time", () => {
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
    expect(fanout?.efficiency).toBe(1.6);
  });

  it("counts a task without its own span as no busy time in efficiency", () => {
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
    expect(sequential?.efficiency).toBe(0.5);
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
    expect(compareRuns(reports).winner).toBe("fanout");
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
    expect(compareRuns(reports).winner).toBe("fanout");
  });

  it("has no winner when every strategy had a failed run", () => {
    const reports = runsOf("fanout", [4000], { status: "failed" });

    expect(compareRuns(reports).winner).toBeUndefined();
  });

  it("returns no strategies and no winner for no reports", () => {
    expect(compareRuns([])).toEqual({ strategies: [] });
  });
});
