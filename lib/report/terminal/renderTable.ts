import { CONFIDENCE_LEVEL, type MedianInterval } from "../../stats/confidence.js";
import type { Comparison, StrategyComparison } from "../compareRuns.js";
import { describeStateMachine } from "../text/describeStateMachine.js";
import { formatCoverage, formatRange } from "../text/formatInterval.js";
import { formatNumber, formatRatio, formatUsd } from "../text/formatNumber.js";
import { wrapText } from "../text/wrapText.js";

interface Column {
  title: string;
  align: "left" | "right";
  cell: (entry: StrategyComparison) => string;
}

const ms = (value: number): string => formatNumber(value);
const cost = (value: number | undefined): string =>
  value === undefined ? "n/a" : formatUsd(value);

/** Marks an interval that covers the median with less than 95 % (min–max of 5 runs or fewer). */
const LOW_COVERAGE = "†";
const isLowCoverage = (interval: MedianInterval | undefined): interval is MedianInterval =>
  interval !== undefined && interval.coverage < CONFIDENCE_LEVEL;

function intervalCell(
  interval: MedianInterval | undefined,
  format: (value: number) => string = formatNumber,
): string {
  if (!interval) return "—";
  return `${formatRange(interval.low, interval.high, format)}${isLowCoverage(interval) ? LOW_COVERAGE : ""}`;
}

const perMillion = (value: number): string => formatUsd(value * 1_000_000);

/** A column of figures: right-aligned. */
const figure = (title: string, cell: Column["cell"]): Column => ({ title, align: "right", cell });

const STRATEGY: Column = { title: "strategy", align: "left", cell: (entry) => entry.strategy };
const WALL_P50 = figure("wall p50", (entry) => ms(entry.wallMs.median));
const WALL_P95 = figure("wall p95", (entry) => ms(entry.wallMs.p95));
const WALL_CI = figure("wall 95 % CI", (entry) => intervalCell(entry.intervals.wallMs));
const OVERHEAD = figure("overhead", (entry) => ms(entry.overheadMs.median));
const COST_PER_MILLION = figure("cost/1M runs", (entry) => cost(entry.costPerMillionRunsUsd));
const STATUS: Column = {
  title: "status",
  align: "left",
  cell: (entry) => (entry.failed === 0 ? "ok" : `${entry.failed} failed`),
};

/**
 * The columns a decision needs, within a terminal's 100 columns for six strategies: how fast
 * (median, its interval, the tail), what orchestration adds, what it costs, whether it failed.
 */
const DECISION_COLUMNS: Column[] = [
  STRATEGY,
  figure("runs", (entry) => String(entry.runs)),
  WALL_P50,
  WALL_CI,
  WALL_P95,
  OVERHEAD,
  COST_PER_MILLION,
  STATUS,
];

/** Every column (--wide, and the Markdown and HTML reports). */
const ALL_COLUMNS: Column[] = [
  STRATEGY,
  {
    title: "runs warm/cold",
    align: "right",
    cell: (entry) => `${entry.warmRuns}/${entry.coldRuns}`,
  },
  WALL_P50,
  WALL_P95,
  WALL_CI,
  { title: "crit. path", align: "right", cell: (entry) => ms(entry.criticalPathMs.median) },
  OVERHEAD,
  { title: "ovh/level", align: "right", cell: (entry) => ms(entry.overheadPerLevelMs.median) },
  {
    title: "speedup",
    align: "right",
    cell: (entry) =>
      `${formatRatio(entry.speedup)}${entry.speedupBasis === "summedTaskTime" ? "*" : ""}`,
  },
  { title: "parallelism", align: "right", cell: (entry) => entry.parallelism.toFixed(2) },
  {
    title: "efficiency",
    align: "right",
    cell: (entry) => `${Math.round(entry.efficiency * 100)} %`,
  },
  { title: "cost/run", align: "right", cell: (entry) => cost(entry.costUsd?.median) },
  COST_PER_MILLION,
  STATUS,
];

function notes(comparison: Comparison, wide: boolean): string[] {
  const lines = [
    "ms, medians (p50) and p95 over warm runs (runs with a cold start apart; all succeeded runs if none was warm);",
    wide
      ? "efficiency = critical path / wall; parallelism = summed task time / wall; cost = modelled median per run."
      : "overhead = wall − critical path; cost = modelled median per run. --wide shows every column.",
  ];
  if (wide && comparison.strategies.some((entry) => entry.speedupBasis === "summedTaskTime")) {
    lines.push(
      "* speedup over the summed task durations (the ideal sequential time): sequential did not run.",
    );
  }
  lines.push(
    "wall 95 % CI: the median wall's interval (exact, from the order statistics of the same runs); —: one run, no interval.",
  );
  const byCoverage = new Map<number, { runs: number; strategies: string[] }>();
  for (const entry of comparison.strategies) {
    const interval = entry.intervals.wallMs;
    if (!isLowCoverage(interval)) continue;
    const group = byCoverage.get(interval.coverage) ?? { runs: entry.wallMs.count, strategies: [] };
    byCoverage.set(interval.coverage, {
      ...group,
      strategies: [...group.strategies, entry.strategy],
    });
  }
  if (byCoverage.size > 0) {
    const covers = [...byCoverage]
      .map(
        ([coverage, group]) =>
          `${formatCoverage(coverage)} (${group.runs} runs: ${group.strategies.join(", ")})`,
      )
      .join("; ");
    lines.push(
      `${LOW_COVERAGE} min–max: 6 runs are the fewest with a 95 % interval; with fewer it covers the median with only ${covers}.`,
    );
  }
  const cold = comparison.strategies.filter((entry) => entry.coldWallMs);
  if (cold.length > 0) {
    lines.push(
      `runs with cold starts, wall p50: ${cold
        .map(
          (entry) =>
            `${entry.strategy} ${ms(entry.coldWallMs?.median ?? 0)} ms (${entry.coldRuns})`,
        )
        .join(", ")}`,
    );
  }
  for (const entry of comparison.strategies) {
    if (entry.stateMachine)
      lines.push(`${describeStateMachine(entry.strategy, entry.stateMachine)}.`);
  }
  return lines;
}

/** A Markdown table whose pipes line up, so that it reads as well in a terminal. */
function alignedTable(
  columns: readonly Column[],
  entries: readonly StrategyComparison[],
): string[] {
  const rows = entries.map((entry) => columns.map((column) => column.cell(entry)));
  const widths = columns.map((column, index) =>
    Math.max(column.title.length, 3, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const pad = (text: string, index: number): string => {
    const width = widths[index] ?? 0;
    return columns[index]?.align === "right" ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: string[]): string => `| ${cells.map(pad).join(" | ")} |`;
  const separator = columns.map((column, index) => {
    const dashes = "-".repeat((widths[index] ?? 3) - 1);
    return column.align === "right" ? `${dashes}:` : `:${dashes}`;
  });
  return [
    line(columns.map((column) => column.title)),
    `| ${separator.join(" | ")} |`,
    ...rows.map(line),
  ];
}

const INTERVAL_COLUMNS: Column[] = [
  { title: "strategy", align: "left", cell: (entry) => entry.strategy },
  { title: "runs", align: "right", cell: (entry) => String(entry.wallMs.count) },
  { title: "wall p50", align: "right", cell: (entry) => ms(entry.wallMs.median) },
  { title: "95 % CI", align: "right", cell: (entry) => intervalCell(entry.intervals.wallMs) },
  { title: "overhead p50", align: "right", cell: (entry) => ms(entry.overheadMs.median) },
  { title: "95 % CI", align: "right", cell: (entry) => intervalCell(entry.intervals.overheadMs) },
  {
    title: "cost/1M runs",
    align: "right",
    cell: (entry) => cost(entry.costPerMillionRunsUsd),
  },
  {
    title: "95 % CI",
    align: "right",
    cell: (entry) => (entry.costUsd ? intervalCell(entry.intervals.costUsd, perMillion) : "n/a"),
  },
  {
    title: "coverage",
    align: "right",
    cell: (entry) =>
      entry.intervals.wallMs ? formatCoverage(entry.intervals.wallMs.coverage) : "—",
  },
];

/**
 * How sure each median is: per strategy the 95 % interval of its median wall, overhead and cost
 * per 1M runs (exact order-statistic intervals over the basis runs), aligned like renderTable.
 * `coverage` is the intervals' actual coverage: above 95 % (exact intervals step in order
 * statistics), below it, marked †, with 5 runs or fewer.
 *
 * @example
 * console.log(renderIntervalTable(compareRuns(reports)));
 * // | strategy | runs | wall p50 |     95 % CI | ... | coverage |
 * // | fanout   |   10 |    4,004 | 3,990–4,020 | ... |  97.85 % |
 */
export function renderIntervalTable(comparison: Comparison): string {
  return alignedTable(INTERVAL_COLUMNS, comparison.strategies).join("\n");
}

/**
 * Renders a comparison as an aligned table, then notes on how to read its columns (wrapped to a
 * terminal's 100 columns). By default the columns a decision needs, which fit 100 columns for six
 * strategies; `wide` gives every column (crit. path, overhead per level, speedup, parallelism,
 * efficiency, cost per run), as report.md does. The verdict comes before it, from its callers.
 *
 * The same text reads well in a terminal and renders as a table in GitHub Markdown (a job summary,
 * a PR comment, report.md), so one output serves both without a second renderer.
 *
 * @example
 * console.log(renderTable(compareRuns(reports)));
 * // | strategy   | runs | wall p50 | wall 95 % CI | wall p95 | overhead | cost/1M runs | status |
 * // | :--------- | ---: | -------: | -----------: | -------: | -------: | -----------: | :----- |
 * // | sequential |    5 |    6,012 |  5,990–6,100† |    6,100 |    2,012 |      $141.25 | ok     |
 */
export function renderTable(
  comparison: Comparison,
  { heading, wide = false }: { heading?: string; wide?: boolean } = {},
): string {
  return [
    ...(heading ? [...wrapText(heading), ""] : []),
    ...alignedTable(wide ? ALL_COLUMNS : DECISION_COLUMNS, comparison.strategies),
    "",
    ...notes(comparison, wide).flatMap((note) => wrapText(note)),
  ].join("\n");
}
