import { describe, expect, it } from "vitest";
import { type RecordedCell, spreadCeiling } from "../../../bench/forecastScoring.js";

const cellOf = (cell: string, overheadMs: number): RecordedCell => ({
  cell,
  strategy: "fanout",
  status: "compared",
  measured: { wallMs: overheadMs + 100, overheadMs, runs: 5, failed: 0 },
});

describe("The runs' own spread", () => {
  it("scores each run against every cell's median over all the runs", () => {
    // Prepare: "steady" measures alike in all three runs; "drifting" is doubled in the first
    const runs = [
      [cellOf("steady", 500), cellOf("drifting", 800)],
      [cellOf("steady", 520), cellOf("drifting", 400)],
      [cellOf("steady", 510), cellOf("drifting", 400)],
    ];

    // Act
    const scores = spreadCeiling(runs);

    // Assess: the median, 400, is 50 % off the first run's 800: outside 25 %, on the edge of 50 %
    expect(scores).toEqual([
      { compared: 2, within25: 1, within50: 2 },
      { compared: 2, within25: 2, within50: 2 },
      { compared: 2, within25: 2, within50: 2 },
    ]);
  });

  it("leaves out a cell that was not compared in every run", () => {
    // Prepare: the second run skipped "wide"
    const skipped: RecordedCell = { cell: "wide", strategy: "fanout", status: "skipped" };
    const runs = [
      [cellOf("seed", 100), cellOf("wide", 5000)],
      [cellOf("seed", 100), skipped],
    ];

    // Act
    const scores = spreadCeiling(runs);

    // Assess
    expect(scores.map((score) => score.compared)).toEqual([1, 1]);
  });
});
