import { describe, expect, it } from "vitest";
import { compareRuns } from "../../../lib/report/compareRuns.js";
import { renderTable } from "../../../lib/report/renderTable.js";
import type { RunReport, StrategyName } from "../../../lib/report/types.js";
import { aRunReport } from "../../helpers/factories.js";

const runsOf = (strategy: StrategyName, walls: number[], extra: Partial<RunReport> = {}) =>
  walls.map((wallMs) => aRunReport({ strategy, wallMs, ...extra }));

const tableLines = (text: string) => text.split("\n").filter((line) => line.startsWith("|"));

describe("Function: renderTable", () => {
  const comparison = compareRuns([
    ...runsOf("sequential", [6012, 6100, 5900]),
    ...runsOf("fanout", [4021, 4100, 3900]),
    ...runsOf("queue", [5000]),
    ...runsOf("queue", [100, 200], { status: "failed" }),
  ]);

  it("renders a header, a Markdown separator row and one row per strategy", () => {
    // Act
    const lines = tableLines(renderTable(comparison));

    // Assess
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^\| strategy +\| runs warm\/cold \| wall p50 \| wall p95 \| crit. path/,
    );
    expect(lines[0]).toMatch(/\| efficiency \| cost\/run \| cost\/1M runs \| status +\|$/);
    expect(lines[1]).toMatch(/^\| :-+ \| -+: \|/);
  });

  it("aligns every column: all table lines have the same pipe positions", () => {
    // Act
    const lines = tableLines(renderTable(comparison));

    // Assess
    const pipes = (line: string) =>
      [...line].flatMap((char, index) => (char === "|" ? [index] : []));
    for (const line of lines) expect(pipes(line)).toEqual(pipes(lines[0] ?? ""));
  });

  it("right-aligns numbers with thousands separators and shows speedup as a ratio", () => {
    // Act
    const fanoutRow = tableLines(renderTable(comparison)).find((line) => line.includes("fanout"));

    // Assess
    expect(fanoutRow).toMatch(/\|\s+4,021 \|/);
    expect(fanoutRow).toMatch(/\|\s+1\.50x \|/);
  });

  it("shows ok for a clean strategy and the failure count otherwise", () => {
    // Act
    const lines = tableLines(renderTable(comparison));

    // Assess
    expect(lines.find((line) => line.includes("fanout"))).toMatch(/\| ok +\|$/);
    expect(lines.find((line) => line.includes("queue"))).toMatch(/\| 2 failed \|$/);
  });

  it("names the fastest and its margin over sequential after the table", () => {
    expect(renderTable(comparison)).toContain(
      "fanout is fastest: median wall 4,021 ms, 1.50x faster than sequential",
    );
  });

  it("marks a speedup over the summed task time when sequential did not run, and explains it", () => {
    // Act
    const text = renderTable(compareRuns(runsOf("inline", [900])));

    // Assess
    expect(text).toMatch(/\|\s+1\.00x\* \|/);
    expect(text).toContain("* speedup over the summed task durations");
  });

  it("says there is no verdict when every strategy failed", () => {
    const text = renderTable(compareRuns(runsOf("fanout", [900], { status: "failed" })));

    expect(text).toContain("no verdict: every strategy had a failed run");
  });

  it("says there is nothing to compare for no runs", () => {
    expect(renderTable(compareRuns([]))).toContain("no runs to compare");
  });
});
