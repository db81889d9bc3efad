import type { TaskReport } from "../../runReport/types.js";
import type { StrategyName } from "../../strategies/names.js";
import type { ReportDocument } from "../document.js";
import { markdownTable } from "../markdown/markdownTable.js";

/** One own function under one strategy, over that strategy's median run. */
export interface OwnFunctionRow {
  function: string;
  strategy: StrategyName;
  invocations: number;
  memoryMb?: number;
  architecture?: string;
  /** Billed ms summed over its invocations in the run. */
  billedMs: number;
  /** The highest peak memory any invocation reported (REPORT lines only). */
  maxMemoryUsedMb?: number;
  /** INIT ms summed (cold starts), REPORT lines only. */
  initMs: number;
  /** Where the figures came from: REPORT line, execution timestamps or round trip. */
  source: string;
}

/**
 * The user's own functions as each strategy's median run billed them: their real memory and
 * architecture, billed duration, peak memory, and where each figure came from.
 */
export function summarizeOwnFunctions(document: ReportDocument): OwnFunctionRow[] {
  const rows: OwnFunctionRow[] = [];
  for (const entry of document.comparison.strategies) {
    const run = document.runs.find((candidate) => candidate.runId === entry.medianRunId);
    const byFunction = new Map<string, TaskReport[]>();
    for (const task of run?.tasks ?? []) {
      if (!task.function) continue;
      byFunction.set(task.function, [...(byFunction.get(task.function) ?? []), task]);
    }
    for (const [name, tasks] of byFunction) {
      const billed = tasks.flatMap((task) => (task.billing ? [task.billing] : []));
      const peaks = billed.flatMap((billing) => billing.maxMemoryUsedMb ?? []);
      const sources = new Set(tasks.flatMap((task) => task.measurement?.source ?? []));
      rows.push({
        function: name,
        strategy: entry.strategy,
        invocations: tasks.length,
        ...(billed[0]
          ? { memoryMb: billed[0].memoryMb, architecture: billed[0].architecture }
          : {}),
        billedMs: billed.reduce((sum, billing) => sum + billing.billedMs, 0),
        ...(peaks.length > 0 ? { maxMemoryUsedMb: Math.max(...peaks) } : {}),
        initMs: billed.reduce((sum, billing) => sum + billing.initMs, 0),
        source: [...sources].join(", ") || "not measured",
      });
    }
  }
  return rows;
}

/** The same rows as a Markdown table (terminal and report.md). */
/** The columns of the "your functions" table, in Markdown and HTML alike. */
export const OWN_FUNCTION_COLUMNS = [
  "function",
  "strategy",
  "invocations",
  "memory",
  "billed ms",
  "max memory used",
  "INIT ms",
  "source",
];

export function renderOwnFunctionsTable(rows: readonly OwnFunctionRow[]): string {
  if (rows.length === 0) return "";
  const cells = rows.map((row) => [
    row.function,
    row.strategy,
    String(row.invocations),
    row.memoryMb === undefined ? "?" : `${row.memoryMb} MB ${row.architecture}`,
    Math.round(row.billedMs).toLocaleString("en-US"),
    row.maxMemoryUsedMb === undefined ? "—" : `${row.maxMemoryUsedMb} MB`,
    Math.round(row.initMs).toLocaleString("en-US"),
    row.source,
  ]);
  return markdownTable(OWN_FUNCTION_COLUMNS, cells, { right: [2, 3, 4, 5, 6] }).join("\n");
}
