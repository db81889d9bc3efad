import type { Comparison, StrategyComparison } from "./compareRuns.js";
import { formatNumber } from "./formatNumber.js";

interface Column {
  title: string;
  align: "left" | "right";
  cell: (entry: StrategyComparison) => string;
}

const ratio = (value: number | undefined): string =>
  value === undefined ? "n/a" : `${value.toFixed(2)}x`;

const COLUMNS: Column[] = [
  { title: "strategy", align: "left", cell: (entry) => entry.strategy },
  { title: "runs", align: "right", cell: (entry) => formatNumber(entry.runs) },
  { title: "wall ms", align: "right", cell: (entry) => formatNumber(entry.wallMs.median) },
  {
    title: "critical path ms",
    align: "right",
    cell: (entry) => formatNumber(entry.criticalPathMs.median),
  },
  { title: "overhead ms", align: "right", cell: (entry) => formatNumber(entry.overheadMs.median) },
  {
    title: "overhead/level ms",
    align: "right",
    cell: (entry) => formatNumber(entry.overheadPerLevelMs.median),
  },
  { title: "speedup", align: "right", cell: (entry) => ratio(entry.speedup) },
  { title: "efficiency", align: "right", cell: (entry) => entry.efficiency.toFixed(2) },
  {
    title: "status",
    align: "left",
    cell: (entry) => (entry.failed === 0 ? "ok" : `${entry.failed} failed`),
  },
];

const NOTE =
  "ms columns are medians over succeeded runs (all runs if none succeeded); efficiency = summed task time / wall (parallelism)";

function verdict(comparison: Comparison): string {
  const winner = comparison.strategies.find((entry) => entry.strategy === comparison.winner);
  if (!winner) {
    return comparison.strategies.length === 0
      ? "no runs to compare"
      : "no winner: every strategy had a failed run";
  }
  const wall = `${formatNumber(winner.wallMs.median)} ms`;
  const sequential = comparison.strategies.find((entry) => entry.strategy === "sequential");
  if (winner.strategy === "sequential") return `sequential wins (median wall ${wall})`;
  if (!sequential || winner.speedup === undefined) {
    return `${winner.strategy} wins (median wall ${wall}; no sequential runs to compare with)`;
  }
  const baseline = `${formatNumber(sequential.wallMs.median)} ms`;
  return `${winner.strategy} wins: ${ratio(winner.speedup)} faster than sequential (median wall ${wall} vs ${baseline})`;
}

/**
 * Renders a comparison as an aligned table of medians, then a line naming the winner and a note
 * on how to read the columns.
 *
 * The same text reads well in a terminal and renders as a table in GitHub Markdown (a job summary,
 * a PR comment), so one output serves both without a second renderer.
 *
 * @example
 * console.log(renderTable(compareRuns(reports)));
 * // | strategy   | runs | wall ms | ... | speedup | efficiency | status |
 * // | :--------- | ---: | ------: | ... | ------: | ---------: | :----- |
 * // | sequential |    5 |   6,012 | ... |   1.00x |       0.98 | ok     |
 * // | fanout     |    5 |   4,021 | ... |   1.49x |       1.47 | ok     |
 * //
 * // fanout wins: 1.49x faster than sequential (median wall 4,021 ms vs 6,012 ms)
 * // ms columns are medians over succeeded runs; efficiency = ...
 */
export function renderTable(comparison: Comparison): string {
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
    line(COLUMNS.map((column) => column.title)),
    `| ${separator.join(" | ")} |`,
    ...rows.map(line),
    "",
    verdict(comparison),
    NOTE,
  ].join("\n");
}
