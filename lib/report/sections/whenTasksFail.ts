import { describedStrategy } from "../../strategies/names.js";
import type { ReportDocument } from "../document.js";
import type { FaultCase, FaultSweep } from "../faultSweep.js";
import { escapeHtml } from "../html/svg.js";
import { markdownTable } from "../markdown/markdownTable.js";

const PROMISE_COLUMNS = [
  "strategy",
  "a task runs",
  "retried by",
  "a retry costs",
  "a run that gave up",
];

/** What each compared strategy promises when a task fails (its registry entry's whenTasksFail). */
function promiseRows(document: ReportDocument): string[][] {
  return document.settings.strategies.map((name) => {
    const { delivery, retriedBy, retryCost, afterGivingUp } = describedStrategy(name).whenTasksFail;
    return [name, delivery, retriedBy, retryCost, afterGivingUp];
  });
}

/** `recovered/succeeded/failed/lost/hung`, with duplicates when any were seen. */
function faultCell(found: FaultCase | undefined): string {
  if (!found) return "";
  if (found.notApplicable) return "n/a";
  const counts = [found.recovered, found.succeeded, found.failed, found.lost, found.hung].join("/");
  const recorded =
    found.recordedWithinMs === undefined
      ? ""
      : `, recorded within ${Math.round(found.recordedWithinMs / 1000)} s`;
  const duplicates = found.duplicateExecutions > 0 ? `, ${found.duplicateExecutions} dup` : "";
  return `${counts}${duplicates}${recorded}`;
}

/** One row per fault and retries setting, one column per strategy of the sweep. */
function sweepRows(sweep: FaultSweep): { header: string[]; rows: string[][] } {
  const { strategies, faults, retries } = sweep.settings;
  const rows = faults.flatMap((fault) =>
    retries.map((setting) => [
      fault,
      String(setting),
      ...strategies.map((strategy) =>
        faultCell(
          sweep.results.find(
            (found) =>
              found.strategy === strategy && found.fault === fault && found.retries === setting,
          ),
        ),
      ),
    ]),
  );
  return { header: ["fault", "retries", ...strategies], rows };
}

function sweepCaption(sweep: FaultSweep): string {
  const left = sweep.leftovers;
  const behind = left
    ? ` Left behind: ${left.workQueueMessages} work messages, ${left.deadLetterMessages} new dead letters, ${left.replyQueues.length} reply queues.`
    : "";
  return (
    `Measured locally by \`npm run bench:faults\` (${sweep.generatedAt}; ${sweep.environment}): ` +
    `${sweep.settings.runs} concurrent runs per cell, counted recovered (succeeded after a retry) / ` +
    `succeeded / failed naming the task / lost / hung past ${sweep.settings.budgetS} s; ` +
    `crash: a task's environment killed half-way, hang: a task past its timeout, throttle: ` +
    `reserved concurrency 1 on the task functions and the worker, duplicate: SQS delivers every ` +
    `message twice, orchestrator: the orchestrator's own environment killed after the first task ` +
    `(runs followed on their records until they end; the time is acceptance to the record's end).${behind}`
  );
}

/** report.md's "When tasks fail": the promises, and the fault sweep when one was given. */
export function renderWhenTasksFailMarkdown(document: ReportDocument): string[] {
  const sweep = document.faultSweep;
  return [
    "## When tasks fail",
    "",
    "What each strategy promises (from the code and the platforms' documented behaviour, not measured):",
    "",
    ...markdownTable(PROMISE_COLUMNS, promiseRows(document)),
    "",
    ...(sweep
      ? [
          sweepCaption(sweep),
          "",
          ...markdownTable(sweepRows(sweep).header, sweepRows(sweep).rows),
          "",
        ]
      : ["No fault sweep yet: `npm run bench:faults` measures one.", ""]),
  ];
}

const htmlTable = (id: string, header: string[], rows: string[][]): string =>
  `<table id="${id}"><thead><tr>${header.map((title) => `<th scope="col">${escapeHtml(title)}</th>`).join("")}</tr></thead><tbody>${rows
    .map(
      (row) =>
        `<tr>${row.map((cell, index) => (index === 0 ? `<th scope="row">${escapeHtml(cell)}</th>` : `<td class="text">${escapeHtml(cell)}</td>`)).join("")}</tr>`,
    )
    .join("\n")}</tbody></table>`;

/** report.html's "When tasks fail" section. */
export function renderWhenTasksFailHtml(document: ReportDocument): string {
  const sweep = document.faultSweep;
  const measured = sweep
    ? `<p class="note">${escapeHtml(sweepCaption(sweep))}</p>${htmlTable("fault-sweep", sweepRows(sweep).header, sweepRows(sweep).rows)}`
    : `<p class="note">No fault sweep yet: <code>npm run bench:faults</code> measures one.</p>`;
  return `<section id="when-tasks-fail">
<h2>When tasks fail</h2>
<p class="note">What each strategy promises (from the code and the platforms' documented behaviour, not measured):</p>
${htmlTable("failure-modes", PROMISE_COLUMNS, promiseRows(document))}
${measured}
</section>`;
}
