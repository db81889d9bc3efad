import type { ReportDocument } from "./document.js";
import { renderGantt } from "./renderGantt.js";
import { renderTable } from "./renderTable.js";

/**
 * report.md: where the runs ran, the comparison table with its verdict, and a text Gantt of each
 * strategy's median run — readable as plain text and rendered by GitHub.
 *
 * @example
 * writeFileSync("report.md", renderMarkdown(document));
 */
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
    `_${document.pricingNote}_`,
    "",
    "## Gantt charts",
    "",
    ...gantts,
  ].join("\n");
}
