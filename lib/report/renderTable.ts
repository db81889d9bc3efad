import type { Comparison, StrategyComparison } from "./compareRuns.js";
import { describeVerdict } from "./describeVerdict.js";
import { formatNumber, formatRatio, formatUsd } from "./formatNumber.js";

interface Column {
  title: string;
  align: "left" | "right";
  cell: (entry: StrategyComparison) => string;
}

const ms = (value: number): string => formatNumber(value);
const cost = (value: number | undefined): string =>
  value === undefined ? "n/a" : formatUsd(value);

const COLUMNS: Column[] = [
  { title: "strategy", align: "left", cell: (entry) => entry.strategy },
  {
    title: "runs warm/cold",
    align: "right",
    cell: (entry) => `${entry.warmRuns}/${entry.coldRuns}`,
  },
  { title: "wall p50", align: "right", cell: (entry) => ms(entry.wallMs.median) },
  { title: "wall p95", align: "right", cell: (entry) => ms(entry.wallMs.p95) },
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
  return lines;
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
  const rows = comparison.strategies.map((entry) => COLUMNS.map((column) => column.cell(entry)));
  const widths = COLUMNS.map((column, index) =>
    Math.max(column.title.length, 3, ...rows.map((row) => (row[index] ?? "").length)),
  );
  const pad = (text: string, index: number): string => {
    const width = widths[index] ?? 0;
    return COLUMNS[index]?.align === "right" ? text.padStart(width) : text.padEnd(width);
  };
  const line = (cells: string[]): string => `| ${cells.map(pad).join(" | ")} |`;
  const separator = COLUMNS.map((column, index) => {
    const dashes = "-".repeat((widths[index] ?? 3) - 1);
    return column.align === "right" ? `${dashes}:` : `:${dashes}`;
  });
  return [
    ...(heading ? [heading, ""] : []),
    line(COLUMNS.map((column) => column.title)),
    `| ${separator.join(" | ")} |`,
    ...rows.map(line),
    "",
    describeVerdict(comparison),
    ...notes(comparison),
  ].join("\n");
}
