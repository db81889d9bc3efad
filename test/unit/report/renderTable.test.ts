import { describe, expect, it } from "vitest";
import { compareRuns } from "../../../lib/report/compareRuns.js";
import { renderIntervalTable, renderTable } from "../../../lib/report/terminal/renderTable.js";
import type { RunReport, StateMachineReport } from "../../../lib/runReport/types.js";
import type { StrategyName } from "../../../lib/strategies/names.js";
import { aRunReport } from "../../helpers/factories.js";

const runsOf = (strategy: StrategyName, walls: number[], extra: Partial<RunReport> = {}) =>
  walls.map((wallMs) => aRunReport({ strategy, wallMs, ...extra }));

const tableLines = (text: string) => text.split("\n").filter((line) => line.startsWith("|"));
/** The notes as written, before they were wrapped to the terminal's width. */
const unwrapped = (text: string) => text.replaceAll("\n", " ");

describe("Function: renderIntervalTable", () => {
  it("lists each strategy's intervals of wall, overhead and cost, and their coverage", () => {
    // Prepare
    const walls = Array.from({ length: 10 }, (_, index) => 1001 + index);

    // Act
    const lines = tableLines(renderIntervalTable(compareRuns(runsOf("fanout", walls))));

    // Assess
    expect(lines[0]).toMatch(/^\| strategy \| runs \| wall p50 \| +95 % CI \| overhead p50 \|/);
    expect(lines[2]).toMatch(/\|\s+1,002–1,009 \|.*\|\s+97\.85 % \|$/);
    expect(lines[2]).toMatch(/\|\s+n\/a \|/);
  });
});

describe("Function: renderTable", () => {
  const comparison = compareRuns([
    ...runsOf("sequential", [6012, 6100, 5900]),
    ...runsOf("fanout", [4021, 4100, 3900]),
    ...runsOf("queue", [5000]),
    ...runsOf("queue", [100, 200], { status: "failed" }),
  ]);

  it("renders a header, a Markdown separator row and one row per strategy, with the columns a decision needs", () => {
    // Act
    const lines = tableLines(renderTable(comparison));

    // Assess
    expect(lines).toHaveLength(5);
    expect(lines[0]).toMatch(
      /^\| strategy +\| runs \| wall p50 \| +wall 95 % CI \| wall p95 \| overhead \| cost\/1M runs \| status +\|$/,
    );
    expect(lines[1]).toMatch(/^\| :-+ \| -+: \|/);
  });

  it("renders every column when wide", () => {
    // Act
    const lines = tableLines(renderTable(comparison, { wide: true }));

    // Assess
    expect(lines[0]).toMatch(
      /^\| strategy +\| runs warm\/cold \| wall p50 \| wall p95 \| wall 95 % CI \| crit. path/,
    );
    expect(lines[0]).toMatch(/\| efficiency \| cost\/run \| cost\/1M runs \| status +\|$/);
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
    const fanoutRow = tableLines(renderTable(comparison, { wide: true })).find((line) =>
      line.includes("fanout"),
    );

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

  it("shows the median wall's interval, marks one of too few runs and says what it covers", () => {
    // Act
    const text = renderTable(comparison);
    const lines = tableLines(text);

    // Assess: 3 runs: min–max, 1 − 2·0.5³ = 75 %
    expect(lines.find((line) => line.includes("fanout"))).toMatch(/\| 3,900–4,100† \|/);
    expect(unwrapped(text)).toContain(
      "† min–max: 6 runs are the fewest with a 95 % interval; with fewer it covers the median with only 75 % (3 runs: sequential, fanout)",
    );
  });

  it("shows a dash for a strategy of one run, and no † note when every interval reaches 95 %", () => {
    // Prepare
    const walls = [1000, 1010, 990, 1020, 980, 1005];

    // Act
    const text = renderTable(compareRuns([...runsOf("fanout", walls), ...runsOf("inline", [900])]));

    // Assess
    const lines = tableLines(text);
    expect(lines.find((line) => line.includes("inline"))).toMatch(/\|\s+— \|/);
    expect(lines.find((line) => line.includes("fanout"))).toMatch(/\|\s+980–1,020 \|/);
    expect(text).not.toContain("†");
  });

  it("marks a speedup over the summed task time when sequential did not run, and explains it", () => {
    // Act
    const text = renderTable(compareRuns(runsOf("inline", [900])), { wide: true });

    // Assess
    expect(text).toMatch(/\|\s+1\.00x\* \|/);
    expect(text).toContain("* speedup over the summed task durations");
  });

  it("says which workflow type the state machine ran as, and how that is priced", () => {
    // Prepare
    const shape: StateMachineReport = {
      form: "seriesParallel",
      addedEdges: [],
      structuralDelayMs: 0,
    };
    const standard = compareRuns([
      ...runsOf("fanout", [4021]),
      ...runsOf("stepfunctions", [4300], {
        stateMachine: { ...shape, type: "standard", transitions: 1234 },
      }),
    ]);
    const express = compareRuns(runsOf("stepfunctions", [4300], { stateMachine: shape }));

    // Act
    const standardText = unwrapped(renderTable(standard));
    const expressText = unwrapped(renderTable(express));

    // Assess
    expect(standardText).toContain(
      "stepfunctions ran as a Step Functions Standard workflow, priced per state transition (1,234 in the median run).",
    );
    expect(expressText).toContain(
      "stepfunctions ran as a Step Functions Express workflow, priced per request and GB-s.",
    );
    expect(renderTable(comparison)).not.toContain("Step Functions");
  });
});
