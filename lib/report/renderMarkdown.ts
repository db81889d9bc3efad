import type { ReportDocument } from "./document.js";
import { renderOwnFunctionsTable, summarizeOwnFunctions } from "./ownFunctionsSummary.js";
import { renderGantt } from "./renderGantt.js";
import { renderTable } from "./renderTable.js";

/**
 * report.md: where the runs ran, the comparison table with its verdict, and a text Gantt of each
 * strategy's median run — readable as plain text and rendered by GitHub.
 *
 * @example
 * writeFileSync("report.md", renderMarkdown(document));
 */
function ownFunctionsSection(document: ReportDocument): string[] {
  const table = renderOwnFunctionsTable(summarizeOwnFunctions(document));
  return table === ""
    ? []
    : [
        "## Your functions (median run of each strategy)",
        "",
        "Memory and architecture are each function's own configuration; billed ms, peak memory and INIT come from Lambda's REPORT line where this service invoked the function, and from the invoking service's own timestamps under Step Functions and durable (an upper bound: the span includes the invoke).",
        "",
        table,
        "",
      ];
}

export function renderMarkdown(document: ReportDocument): string {
  const { settings, environment } = document;
  const gantts = document.comparison.strategies.flatMap((entry) => {
    const run = document.runs.find((candidate) => candidate.runId === entry.medianRunId);
    return run
      ? [`### ${entry.strategy} (median run)`, "", "```text", renderGantt(run), "```", ""]
      : [];
  });
  return [
    "# Strategy comparison",
    "",
    `Generated ${document.generatedAt} against ${environment.apiUrl} — ${environment.description}.`,
    `Workflow of ${settings.tasks} task(s)${settings.kind ? `, every task ${settings.kind}` : ""}; ` +
      `scale ${settings.scale}; ${settings.runs} measured run(s) per strategy after ${settings.warmup} warm-up run(s).`,
    "",
    `**Verdict:** ${document.verdict}`,
    "",
    renderTable(document.comparison, environment.latencyProfile?.description),
    "",
    ...(document.notApplicable ?? []).map(
      ({ strategy, reason }) => `- **${strategy}: not applicable** — ${reason}.`,
    ),
    ...(document.notApplicable?.length ? [""] : []),
    ...ownFunctionsSection(document),
    `_${document.pricingNote}_`,
    "",
    "## Gantt charts",
    "",
    ...gantts,
  ].join("\n");
}
