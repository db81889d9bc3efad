/** The HTML report's Gantt charts: each strategy's median run, task by task. */

import type { RunReport, TaskReport } from "../../runReport/types.js";
import type { ReportDocument } from "../document.js";
import { describeReplays } from "../text/describeReplays.js";
import { formatNumber, shortRunId } from "../text/formatNumber.js";
import { niceStep, ticksBetween } from "./axisTicks.js";
import { COLD, isFiniteNumber, ms, plainMs, swatch, truncate, WARNING } from "./htmlShared.js";
import { clamp, colourOf, coord, escapeHtml } from "./svg.js";

/** Geometry of a Gantt chart (SVG user units, about CSS pixels at full width). */
const GANTT = {
  width: 1100,
  labelWidth: 250,
  outcomeWidth: 210,
  rowHeight: 20,
  top: 6,
  axisHeight: 30,
  /** Characters that fit the label and the outcome columns at the chart's font size. */
  labelChars: 33,
  outcomeChars: 27,
} as const;

/* ------------------------------------------------------------------ Gantt charts */

interface GanttLayout {
  /** Epoch ms -> x inside the plot area. */
  x: (time: number) => number;
  /** Top of row `index`. */
  y: (index: number) => number;
  prefix: string;
  colour: string;
  /** A durable run: the orchestrator waits suspended, not billed. */
  suspended: boolean;
}

const ownSpan = (task: TaskReport): string =>
  task.startedAt !== undefined && task.endedAt !== undefined
    ? ms(task.endedAt - task.startedAt)
    : "no span";

function taskLabel(task: TaskReport): string {
  return task.deps.length > 0 ? `${task.id} ← ${task.deps.join(", ")}` : task.id;
}

/**
 * The row label cut to `max` characters: a long id loses its middle (ids often differ only at
 * the end: writeLog2, writeLog3), a long list of deps its end.
 */
function shortLabel(task: TaskReport, max: number): string {
  if (task.id.length > max) {
    const tail = Math.floor((max - 1) / 3);
    return `${task.id.slice(0, max - 1 - tail)}…${task.id.slice(-tail)}`;
  }
  return truncate(taskLabel(task), max);
}

function taskOutcome(task: TaskReport): { text: string; className: string } {
  switch (task.status) {
    case "skipped":
      return { text: "(skipped)", className: "muted" };
    case "failed":
    case "timedOut": {
      const reason = task.error?.message ?? (task.status === "timedOut" ? "timed out" : "failed");
      return { text: `✗ ${reason}`, className: "warn" };
    }
    default:
      return task.coldStart
        ? { text: `❄ cold · ${ownSpan(task)}`, className: "cold" }
        : { text: ownSpan(task), className: "" };
  }
}

function taskTooltip(task: TaskReport, runStart: number): string {
  const at = (time: number | undefined): string =>
    time === undefined ? "n/a" : `+${plainMs(time - runStart)}`;
  const parts = [
    `${taskLabel(task)} (${task.fn ?? task.function}, ${task.kind}, level ${task.level}): ${task.status}`,
    `invoked ${at(task.invokedAt)}, started ${at(task.startedAt)}, ended ${at(task.endedAt)}, returned ${at(task.returnedAt)} ms`,
    `own span ${ownSpan(task)}`,
  ];
  if (task.transport) {
    parts.push(`queued ${ms(task.transport.receivedAt - task.transport.sentAt)}`);
  }
  if (task.coldStart) parts.push("cold start");
  if ((task.attempts ?? 1) > 1) parts.push(`${task.attempts} attempts`);
  if (task.billing?.maxMemoryUsedMb !== undefined) {
    parts.push(`${task.billing.memoryMb} MB, ${task.billing.maxMemoryUsedMb} MB used`);
  }
  if (task.error) parts.push(`${task.error.type}: ${task.error.message}`);
  return parts.join("\n");
}

/** A bar from `from` to `to` (epoch ms), at least 1.5 units wide so that short spans stay visible. */
function bar(
  layout: GanttLayout,
  from: number | undefined,
  to: number | undefined,
  top: number,
  height: number,
  attributes: string,
): string {
  if (!isFiniteNumber(from) || !isFiniteNumber(to) || to < from) return "";
  const left = layout.x(from);
  const barWidth = Math.max(layout.x(to) - left, 1.5);
  return `<rect x="${coord(left)}" y="${coord(top)}" width="${coord(barWidth)}" height="${height}" ${attributes}/>`;
}

function ganttRow(task: TaskReport, index: number, layout: GanttLayout, runStart: number): string {
  const { labelWidth, width, outcomeWidth, labelChars, outcomeChars } = GANTT;
  const top = layout.y(index);
  const baseline = top + 14;
  const failed = task.status === "failed" || task.status === "timedOut";
  const outcome = taskOutcome(task);
  const bars =
    task.status === "skipped"
      ? ""
      : [
          bar(
            layout,
            task.invokedAt,
            task.returnedAt,
            top + 3,
            14,
            layout.suspended
              ? `class="suspended" fill="none" stroke="${failed ? WARNING : layout.colour}" stroke-opacity="0.7" stroke-dasharray="3 3"`
              : `class="orchestrator" fill="${layout.colour}" fill-opacity="0.16" stroke="${failed ? WARNING : layout.colour}" stroke-opacity="0.55"`,
          ),
          bar(
            layout,
            task.transport?.sentAt,
            task.transport?.receivedAt,
            top + 3,
            14,
            `class="queued" fill="url(#${layout.prefix}-queued)" stroke="#8a8f99" stroke-width="0.8"`,
          ),
          bar(
            layout,
            task.startedAt,
            task.endedAt,
            top + 5,
            10,
            `class="running" fill="${failed ? WARNING : layout.colour}"${
              task.coldStart ? ` stroke="${COLD}" stroke-width="2" stroke-dasharray="4 2"` : ""
            }`,
          ),
        ].join("");
  const cold = task.coldStart
    ? `<text class="cold" x="${labelWidth - 8}" y="${baseline}" text-anchor="end">❄</text>`
    : "";
  return `<g class="task" data-task="${escapeHtml(task.id)}"><title>${escapeHtml(taskTooltip(task, runStart))}</title><text x="4" y="${baseline}">${escapeHtml(shortLabel(task, labelChars))}</text>${cold}${bars}<text class="${outcome.className}" x="${width - outcomeWidth + 8}" y="${baseline}">${escapeHtml(truncate(outcome.text, outcomeChars))}</text></g>`;
}

/**
 * A durable run's orchestrator, one row above its tasks: a solid bar for each replay (billed), a
 * dashed outline across the run where it was suspended (not billed).
 */
function replayRow(run: RunReport, layout: GanttLayout): string {
  const durable = run.durable;
  if (!durable) return "";
  const top = layout.y(-1);
  const replays = durable.replays
    .map((replay) =>
      bar(
        layout,
        replay.startedAt,
        replay.endedAt,
        top + 3,
        14,
        `class="replay" fill="${layout.colour}"`,
      ),
    )
    .join("");
  const summary = describeReplays(durable);
  return `<g class="durable-orchestrator"><title>${escapeHtml(`orchestrator: ${summary} (not billed)`)}</title><text x="4" y="${top + 14}">(orchestrator)</text>${bar(layout, run.startedAt, run.endedAt, top + 3, 14, `class="suspended" fill="none" stroke="${layout.colour}" stroke-dasharray="3 3"`)}${replays}<text x="${GANTT.width - GANTT.outcomeWidth + 8}" y="${top + 14}">${escapeHtml(truncate(summary, GANTT.outcomeChars))}</text></g>`;
}

/** A light band behind every other row, so that a label and its bars read as one line. */
function ganttStripes(rows: number): string {
  const bands = Array.from({ length: rows }, (_, row) =>
    row % 2 === 1
      ? `<rect x="0" y="${GANTT.top + row * GANTT.rowHeight}" width="${GANTT.width}" height="${GANTT.rowHeight}" fill="#f4f6f9"/>`
      : "",
  );
  return `<g class="stripes">${bands.join("")}</g>`;
}

/** Thin arrows from the end of each dep's bar to the start of its dependent's bar. */
function ganttConnectors(run: RunReport, layout: GanttLayout): string {
  const rowOf = new Map(run.tasks.map((task, index) => [task.id, index]));
  const lines = run.tasks.flatMap((task, index) => {
    const start = task.startedAt ?? task.invokedAt;
    if (task.status === "skipped" || start === undefined) return [];
    return task.deps.flatMap((dep) => {
      const depIndex = rowOf.get(dep);
      const depTask = depIndex === undefined ? undefined : run.tasks[depIndex];
      const end = depTask?.endedAt ?? depTask?.returnedAt;
      if (depIndex === undefined || end === undefined) return [];
      const fromY = layout.y(depIndex) + GANTT.rowHeight / 2;
      const toY = layout.y(index) + GANTT.rowHeight / 2 + (index > depIndex ? -5 : 5);
      return [
        `<line x1="${coord(layout.x(end))}" y1="${coord(fromY)}" x2="${coord(layout.x(start))}" y2="${coord(toY)}" stroke="#444" stroke-width="1" marker-end="url(#${layout.prefix}-arrow)"/>`,
      ];
    });
  });
  return `<g class="deps">${lines.join("")}</g>`;
}

function ganttAxis(
  wallMs: number,
  rows: number,
  plot: { left: number; right: number },
): { grid: string; axis: string } {
  const axisY = GANTT.top + rows * GANTT.rowHeight + 4;
  const toX = (value: number): number =>
    plot.left + (wallMs > 0 ? (value / wallMs) * (plot.right - plot.left) : 0);
  const ticks = ticksBetween(0, wallMs, niceStep(wallMs));
  const grid = ticks
    .map(
      (tick) =>
        `<line x1="${coord(toX(tick))}" y1="${GANTT.top}" x2="${coord(toX(tick))}" y2="${axisY}" stroke="#e1e4ea"/>`,
    )
    .join("");
  const marks = ticks
    .map(
      (tick) =>
        `<line x1="${coord(toX(tick))}" y1="${axisY}" x2="${coord(toX(tick))}" y2="${axisY + 4}" stroke="#6b7280"/><text class="muted" x="${coord(toX(tick))}" y="${axisY + 16}" text-anchor="middle">${formatNumber(tick)}</text>`,
    )
    .join("");
  return {
    grid,
    axis: `<g class="axis"><line x1="${plot.left}" y1="${axisY}" x2="${plot.right}" y2="${axisY}" stroke="#6b7280"/>${marks}<text class="muted" x="4" y="${axisY + 16}">ms since run start</text></g>`,
  };
}

function ganttDefs(prefix: string): string {
  return `<defs><pattern id="${prefix}-queued" width="5" height="5" patternUnits="userSpaceOnUse" patternTransform="rotate(45)"><rect width="5" height="5" fill="#ffffff"/><line x1="0" y1="0" x2="0" y2="5" stroke="#8a8f99" stroke-width="2.2"/></pattern><marker id="${prefix}-arrow" viewBox="0 0 6 6" refX="5.5" refY="3" markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L6,3 L0,6 z" fill="#444"/></marker></defs>`;
}

function ganttLegend(run: RunReport): string {
  const has = (predicate: (task: TaskReport) => boolean): boolean => run.tasks.some(predicate);
  const keys = [
    run.durable
      ? `<span><span class="key replay" style="background:${colourOf(run.strategy)}"></span>orchestrator replaying (billed)</span><span><span class="key suspended" style="border:1px dashed ${colourOf(run.strategy)}"></span>orchestrator suspended, not billed (the service's invoke → result)</span>`
      : `<span><span class="key orchestrator" style="background:${colourOf(run.strategy)}29;border-color:${colourOf(run.strategy)}8c"></span>orchestrator waiting (invoke → response)</span>`,
    has((task) => task.transport !== undefined)
      ? `<span><span class="key queued"></span>waiting in the queue</span>`
      : "",
    `<span><span class="key running" style="background:${colourOf(run.strategy)}"></span>task running (its own span)</span>`,
    has((task) => task.status === "failed" || task.status === "timedOut")
      ? `<span><span class="key failed"></span>failed / timed out</span>`
      : "",
    has((task) => task.coldStart === true)
      ? `<span><span class="key cold"></span>❄ cold start</span>`
      : "",
    has((task) => task.deps.length > 0)
      ? `<span><span class="key dependency"></span>dependency: dep's end → dependent's start</span>`
      : "",
  ];
  return `<div class="legend">${keys.join("")}</div>`;
}

/** The full error of each failed task: the chart's outcome column only has room for its start. */
function taskErrors(run: RunReport): string {
  const items = run.tasks.flatMap((task) =>
    task.error && (task.status === "failed" || task.status === "timedOut")
      ? [
          `<li><strong>${escapeHtml(task.id)}</strong> ${escapeHtml(task.status)}: ${escapeHtml(task.error.type)}: ${escapeHtml(task.error.message)}</li>`,
        ]
      : [],
  );
  return items.length > 0 ? `<ul class="task-errors">${items.join("")}</ul>` : "";
}

function runHeading(run: RunReport): string {
  const statusClass = run.status === "succeeded" ? "status-ok" : "status-failed";
  const path = run.criticalPath.length > 0 ? ` (${run.criticalPath.join(" → ")})` : "";
  const facts = [
    `wall ${ms(run.wallMs)}`,
    `critical path ${ms(run.criticalPathMs)}${path}`,
    `overhead ${ms(run.overheadMs)} over ${formatNumber(run.levels)} level${run.levels === 1 ? "" : "s"}`,
    `${formatNumber(run.coldStarts)} cold start${run.coldStarts === 1 ? "" : "s"}`,
  ];
  const orchestrator = run.orchestrator
    ? `<p class="meta orchestrator">orchestrator: ${formatNumber(run.orchestrator.memoryMb)} MB ${escapeHtml(run.orchestrator.architecture)}, billed ${ms(run.orchestrator.billedMs)}${
        run.orchestrator.initMs > 0 ? ` + init ${ms(run.orchestrator.initMs)}` : ""
      }${run.orchestrator.coldStart ? " ❄ cold start" : ""}</p>`
    : "";
  const error = run.error
    ? `<p class="run-error">error${run.error.taskId ? ` in ${escapeHtml(run.error.taskId)}` : ""}: ${escapeHtml(run.error.type)}: ${escapeHtml(run.error.message)}</p>`
    : "";
  return `<h3>${swatch(colourOf(run.strategy))}${escapeHtml(run.strategy)} <span class="${statusClass}">${escapeHtml(run.status)}</span> <span class="meta">run <code>${escapeHtml(shortRunId(run.runId))}</code></span></h3>
<p class="meta">${facts.map((fact) => `<span>${escapeHtml(fact)}</span>`).join("")}</p>
${orchestrator}${error}`;
}

function renderRunGantt(run: RunReport, index: number): string {
  const prefix = `gantt${index}`;
  const span = run.endedAt - run.startedAt;
  const wallMs = isFiniteNumber(span) ? Math.max(span, 0) : 0;
  const plot = { left: GANTT.labelWidth, right: GANTT.width - GANTT.outcomeWidth };
  const layout: GanttLayout = {
    x: (time) =>
      plot.left +
      (wallMs > 0 ? clamp((time - run.startedAt) / wallMs, 0, 1) : 0) * (plot.right - plot.left),
    // A durable run's orchestrator takes the first row (row -1 of its tasks').
    y: (row) => GANTT.top + (row + (run.durable ? 1 : 0)) * GANTT.rowHeight,
    prefix,
    colour: colourOf(run.strategy),
    suspended: run.durable !== undefined,
  };
  const rowCount = run.tasks.length + (run.durable ? 1 : 0);
  const height = GANTT.top + rowCount * GANTT.rowHeight + GANTT.axisHeight;
  const { grid, axis } = ganttAxis(wallMs, rowCount, plot);
  const rows = [
    replayRow(run, layout),
    ...run.tasks.map((task, row) => ganttRow(task, row, layout, run.startedAt)),
  ].join("\n");
  return `${runHeading(run)}
<svg class="gantt" data-strategy="${escapeHtml(run.strategy)}" viewBox="0 0 ${GANTT.width} ${height}" width="${GANTT.width}" height="${height}" role="img" aria-label="${escapeHtml(`Gantt chart of the median ${run.strategy} run`)}">
${ganttDefs(prefix)}
${ganttStripes(rowCount)}
<g class="grid">${grid}</g>
${rows}
${ganttConnectors(run, layout)}
${axis}
</svg>
${ganttLegend(run)}${taskErrors(run)}`;
}

export function renderGantts(document: ReportDocument): string {
  const figures = document.comparison.strategies.map((entry, index) => {
    const run = document.runs.find(
      (candidate) => candidate.runId === entry.medianRunId && candidate.warmup !== true,
    );
    const body = run
      ? renderRunGantt(run, index)
      : `<h3>${swatch(colourOf(entry.strategy))}${escapeHtml(entry.strategy)}</h3><p class="missing">median run ${escapeHtml(entry.medianRunId)} not found in this report's runs: no Gantt to draw.</p>`;
    return `<figure class="gantt-figure panel" data-strategy="${escapeHtml(entry.strategy)}">
${body}
</figure>`;
  });
  return `<section id="gantts">
<h2>Median run of each strategy</h2>
<p class="note">One row per task in dependency order, time left to right from the run's start to its end. The gap between the light bar (the orchestrator waiting) and the solid bar (the task running) is orchestration overhead: invoke latency, cold starts, time in the queue.</p>
${figures.join("\n")}
</section>`;
}
