import type { Comparison, StrategyComparison } from "./compareRuns.js";
import { CONFIDENCE_LEVEL, type MedianInterval } from "./confidence.js";
import { describeStateMachine } from "./describeStateMachine.js";
import { describeVerdict } from "./describeVerdict.js";
import { formatCoverage, formatRange } from "./formatInterval.js";
import { formatNumber, formatRatio, formatUsd } from "./formatNumber.js";

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

const COLUMNS: Column[] = [
  { title: "strategy", align: "left", cell: (entry) => entry.strategy },
  {
    title: "runs warm/cold",
    align: "right",
    cell: (entry) => `${entry.warmRuns}/${entry.coldRuns}`,
  },
  { title: "wall p50", align: "right", cell: (entry) => ms(entry.wallMs.median) },
  { title: "wall p95", align: "right", cell: (entry) => ms(entry.wallMs.p95) },
  {
    title: "wall 95 % CI",
    align: "right",
    cell: (entry) => intervalCell(entry.intervals.wallMs),
  },
  { title: "crit. path", align: "right", cell: (entry) => ms(entry.criticalPathMs.median) },
  { title: "overhead", align: "right", cell: (entry) => ms(entry.overheadMs.median) },
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
  { title: "cost/1M runs", align: "right", cell: (entry) => cost(entry.costPerMillionRunsUsd) },
  {
    title: "status",
    align: "left",
    cell: (entry) => (entry.failed === 0 ? "ok" : `${entry.failed} failed`),
  },
];

function notes(comparison: Comparison): string[] {
  const lines = [
    "ms, medians (p50) and p95 over warm runs (runs with a cold start apart; all succeeded runs if none was warm);",
    "efficiency = critical path / wall; parallelism = summed task time / wall; cost = modelled median per run.",
  ];
  if (comparison.strategies.some((entry) => entry.speedupBasis === "summedTaskTime")) {
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
 * Renders a comparison as an aligned table, then the verdict (fastest, cheapest, the trade-off)
 * and notes on how to read the columns.
 *
 * The same text reads well in a terminal and renders as a table in GitHub Markdown (a job summary,
 * a PR comment, report.md), so one output serves both without a second renderer.
 *
 * @example
 * console.log(renderTable(compareRuns(reports)));
 * // | strategy   | runs warm/cold | wall p50 | wall p95 | ... | cost/1M runs | status |
 * // | :--------- | -------------: | -------: | -------: | ... | -----------: | :----- |
 * // | sequential |            5/0 |    6,012 |    6,100 | ... |      $141.25 | ok     |
 * //
 * // inline is fastest: median wall 4,004 ms, 1.50x faster than sequential; and cheapest (...).
 */
export function renderTable(comparison: Comparison, heading?: string): string {
  return [
    ...(heading ? [heading, ""] : []),
    ...alignedTable(COLUMNS, comparison.strategies),
    "",
    describeVerdict(comparison),
    ...notes(comparison),
  ].join("\n");
}
