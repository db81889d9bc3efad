import { BASELINE_STRATEGY, STRATEGIES, type StrategyName } from "../strategies/names.js";
import { niceStep, ticksBetween } from "./axisTicks.js";
import type { Comparison, StrategyComparison, StrategyMargin } from "./compareRuns.js";
import { CONFIDENCE_LEVEL, type MedianInterval } from "./confidence.js";
import { describeReplays } from "./describeReplays.js";
import type { PayloadPoint, PayloadSweep, ReportDocument } from "./document.js";
import { formatCoverage, formatRange } from "./formatInterval.js";
import { formatBytes, formatNumber, formatUsd } from "./formatNumber.js";
import { summarizeOwnFunctions } from "./ownFunctionsSummary.js";
import { renderScaleSweep } from "./renderScaleChart.js";
import { renderWallIntervals } from "./renderWallIntervals.js";
import { clamp, colourOf, coord, escapeHtml } from "./svg.js";
import { renderWhenTasksFailHtml } from "./whenTasksFail.js";

export { escapeHtml } from "./svg.js";

import type { RunCost, RunReport, TaskReport } from "./types.js";

/** Failed and timed-out tasks, failed payload points. */
const WARNING = "#d62728";
/** The outline of a task that paid a cold start. */
const COLD = "#0b5cad";

type CostComponent = Exclude<keyof RunCost, "totalUsd">;

const COST_COMPONENTS: ReadonlyArray<{ key: CostComponent; label: string; colour: string }> = [
  { key: "lambdaDurationUsd", label: "Lambda duration", colour: "#264653" },
  { key: "lambdaRequestsUsd", label: "Lambda requests", colour: "#2a9d8f" },
  { key: "sqsUsd", label: "SQS", colour: "#e9c46a" },
  { key: "apiGatewayUsd", label: "API Gateway", colour: "#f4a261" },
  { key: "stepFunctionsUsd", label: "Step Functions", colour: "#e76f51" },
  { key: "durableUsd", label: "Durable operations and data", colour: "#8e5ea2" },
];

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

const COST_CHART = { width: 1100, labelWidth: 110, totalWidth: 120, rowHeight: 28 } as const;

const PAYLOAD_CHART = {
  width: 1100,
  height: 340,
  left: 70,
  right: 140,
  top: 16,
  bottom: 56,
} as const;

const CSS = `
*, *::before, *::after { box-sizing: border-box; }
html { background: #f6f7f9; }
body {
  margin: 0; color: #1d2330; background: #f6f7f9;
  font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, "Noto Sans", sans-serif;
}
main { max-width: 1200px; margin: 0 auto; padding: 20px 24px 40px; }
h1 { font-size: 24px; margin: 0 0 4px; }
h2 { font-size: 18px; margin: 32px 0 10px; border-bottom: 1px solid #d8dce3; padding-bottom: 4px; }
h3 { font-size: 15px; margin: 0 0 2px; display: flex; align-items: center; gap: 8px; flex-wrap: wrap; }
p { margin: 4px 0; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; overflow-wrap: anywhere; }
.meta { color: #4a5263; }
.meta span + span::before { content: " · "; color: #98a0ae; }
.verdict {
  margin: 16px 0 0; padding: 12px 16px; font-size: 17px; font-weight: 600;
  background: #fff; border-left: 6px solid #1d2330; border-radius: 4px;
}
.latency-profile { margin: 12px 0 0; font-size: 13px; color: #4a5263; }
.latency-profile.emulated {
  padding: 8px 12px; color: #6b3d00; background: #fff4e0; border-left: 6px solid #d98200;
  font-weight: 600;
}
.note { color: #4a5263; font-size: 12.5px; }
table { border-collapse: collapse; width: 100%; background: #fff; font-size: 13px; }
th, td { padding: 5px 7px; border-bottom: 1px solid #e3e6eb; vertical-align: top; }
th { text-align: right; font-weight: 600; background: #eef0f4; font-size: 12px; }
th:first-child, td:first-child { text-align: left; }
td { text-align: right; font-variant-numeric: tabular-nums; }
td.text { text-align: left; }
tbody th { background: #fff; }
tbody tr:hover th, tbody tr:hover td { background: #f8f9fb; }
small { display: block; color: #5f6777; font-size: 11.5px; }
.swatch { display: inline-block; width: 11px; height: 11px; border-radius: 2px; margin-right: 5px; vertical-align: -1px; }
.badge {
  display: inline-block; margin: 2px 0 0 4px; padding: 0 6px; border-radius: 9px;
  font-size: 11px; font-weight: 600; color: #fff; white-space: nowrap;
}
.badge.fastest { background: #1d6fb8; }
.badge.cheapest { background: #2e7d32; }
.badge.tentative { background: #fff; color: #4a5263; border: 1px dashed #8a8f99; }
.status-ok { color: #2e7d32; font-weight: 600; }
.status-failed { color: ${WARNING}; font-weight: 600; }
.nowrap { white-space: nowrap; }
svg { display: block; max-width: 100%; height: auto; font-family: inherit; }
svg text { font-size: 12px; fill: #1d2330; }
svg text.muted { fill: #5f6777; }
svg text.warn { fill: ${WARNING}; }
svg text.cold { fill: ${COLD}; }
.panel { background: #fff; border: 1px solid #e3e6eb; border-radius: 4px; padding: 12px 14px; margin: 0 0 14px; }
.legend { display: flex; flex-wrap: wrap; gap: 4px 16px; margin: 6px 0; font-size: 12px; color: #4a5263; }
.legend .key { display: inline-block; width: 22px; height: 11px; margin-right: 5px; vertical-align: -1px; border-radius: 2px; }
.key.orchestrator { background: rgba(90, 100, 120, 0.18); border: 1px solid rgba(90, 100, 120, 0.5); }
.key.queued { background: repeating-linear-gradient(45deg, #fff 0 2px, #8a8f99 2px 4px); border: 1px solid #8a8f99; }
.key.running { background: #5a6478; height: 8px; }
.key.failed { background: ${WARNING}; height: 8px; }
.key.cold { border: 2px dashed ${COLD}; background: #fff; }
.key.dependency { height: 0; border-top: 1.5px solid #555; border-radius: 0; vertical-align: 3px; }
.run-error { color: ${WARNING}; overflow-wrap: anywhere; }
.task-errors { margin: 4px 0 0; padding-left: 20px; color: ${WARNING}; font-size: 12.5px; overflow-wrap: anywhere; }
.missing { color: ${WARNING}; }
.cost-table td.none { text-align: left; color: #5f6777; font-style: italic; }
@media print {
  html, body { background: #fff; }
  main { max-width: none; padding: 0; }
  .panel, .verdict, table { border-color: #bbb; }
  .gantt-figure, .panel, table, svg { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;

const isFiniteNumber = (value: number | undefined): value is number =>
  value !== undefined && Number.isFinite(value);

const ms = (value: number | undefined): string =>
  isFiniteNumber(value) ? `${formatNumber(value)} ms` : "n/a";

const plainMs = (value: number | undefined): string =>
  isFiniteNumber(value) ? formatNumber(value) : "n/a";

const usd = (value: number | undefined): string =>
  isFiniteNumber(value) ? formatUsd(value) : "n/a";

const cents = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
const usd2 = (value: number | undefined): string =>
  isFiniteNumber(value) ? `$${cents.format(value)}` : "n/a";

const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(max - 1, 1))}…`;

const swatch = (colour: string): string =>
  `<span class="swatch" style="background:${colour}"></span>`;

/* ------------------------------------------------------------------ header and table */

function renderHeader(document: ReportDocument): string {
  const { settings, environment } = document;
  const warmup = settings.warmup > 0 ? ` + ${settings.warmup} warm-up` : "";
  const facts = [
    `generated <time datetime="${escapeHtml(document.generatedAt)}">${escapeHtml(document.generatedAt)}</time>`,
    escapeHtml(environment.description),
    `<code>${escapeHtml(environment.apiUrl)}</code>`,
  ];
  const setup = [
    `scale ${escapeHtml(String(settings.scale))}`,
    `${formatNumber(settings.runs)} runs per strategy${warmup}`,
    `kind ${escapeHtml(settings.kind ?? "as in workflow")}`,
    `${formatNumber(settings.extraLogs)} extra logs`,
    `${formatNumber(settings.tasks)} tasks`,
    `strategies: ${settings.strategies.map((strategy) => escapeHtml(strategy)).join(", ")}`,
  ];
  const line = (items: string[]): string =>
    `<p class="meta">${items.map((item) => `<span>${item}</span>`).join("")}</p>`;
  return `<header>
<h1>Lambda orchestration strategies compared</h1>
${line(facts)}
${line(setup)}
</header>
${renderLatencyProfile(document)}<p class="verdict" id="verdict">${escapeHtml(document.verdict)}</p>`;
}

/** Emulated AWS latency must never pass for a measurement on AWS: said above the verdict. */
function renderLatencyProfile(document: ReportDocument): string {
  const profile = document.environment.latencyProfile;
  if (!profile) return "";
  const emulated = profile.name !== "local";
  return `<p class="latency-profile${emulated ? " emulated" : ""}" id="latency-profile">${escapeHtml(profile.description)}</p>
`;
}

interface Column {
  title: string;
  cell: (entry: StrategyComparison) => string;
}

function runsCell(entry: StrategyComparison): string {
  const failed =
    entry.failed > 0
      ? `<span class="status-failed">${formatNumber(entry.failed)} failed</span>`
      : "0 failed";
  return `${formatNumber(entry.runs)}<small class="nowrap">${formatNumber(entry.warmRuns)} warm · ${formatNumber(entry.coldRuns)} cold</small><small class="nowrap">${failed}</small>`;
}

function speedupCell(entry: StrategyComparison): string {
  if (!(entry.speedup > 0) || !Number.isFinite(entry.speedup)) return "n/a";
  const basis =
    entry.speedupBasis === "baseline" ? `vs ${BASELINE_STRATEGY}` : "vs summed task time";
  return `${entry.speedup.toFixed(2)}×<small>${basis}</small>`;
}

function statusCell(entry: StrategyComparison): string {
  const status =
    entry.failed === 0
      ? `<span class="status-ok">ok</span>`
      : `<span class="status-failed">${formatNumber(entry.failed)} failed</span>`;
  const basis: Record<StrategyComparison["basis"], string> = {
    warm: "",
    cold: "<small>stats from runs with cold starts</small>",
    failed: "<small>no run succeeded: stats from failed runs</small>",
  };
  return `${status}${basis[entry.basis]}`;
}

/**
 * The badge of a claim: solid when the verdict names the strategy, dashed with a "?" when it has
 * the lowest median but is not told apart from the runner-up (`margin`), none otherwise.
 */
function badge(
  kind: "fastest" | "cheapest",
  entry: StrategyComparison,
  leader: Comparison["fastest"],
  margin: StrategyMargin | undefined,
): string {
  if (leader !== entry.strategy) return "";
  const what = kind === "fastest" ? "lowest median wall" : "lowest median cost per run";
  if (!margin || margin.leader !== entry.strategy || margin.toldApart) {
    return `<span class="badge ${kind}" title="${what}">${kind}</span>`;
  }
  const why = margin.interval
    ? `not told apart from ${margin.other} in these runs (95 % interval of the difference includes 0)`
    : `one run: no interval to tell it from ${margin.other}`;
  return `<span class="badge tentative" title="${escapeHtml(`${what}, but ${why}`)}">${kind}?</span>`;
}

function strategyCell(entry: StrategyComparison, document: ReportDocument): string {
  const { comparison } = document;
  const badges = [
    badge("fastest", entry, comparison.fastest, comparison.margins?.fastest),
    badge("cheapest", entry, comparison.cheapest, comparison.margins?.cheapest),
  ].join("");
  return `<span class="nowrap">${swatch(colourOf(entry.strategy))}<strong>${escapeHtml(entry.strategy)}</strong></span>${badges}`;
}

/** A median's interval in a table cell; "—" without one, its coverage below it when under 95 %. */
function intervalCell(
  interval: MedianInterval | undefined,
  format: (value: number) => string,
): string {
  if (!interval) return `<span title="one run: no interval">—</span>`;
  const range = formatRange(interval.low, interval.high, format);
  return interval.coverage < CONFIDENCE_LEVEL
    ? `${range}<small title="${escapeHtml(`min–max of too few runs for 95 %: it covers the median with only ${formatCoverage(interval.coverage)}`)}">${formatCoverage(interval.coverage)} only</small>`
    : range;
}

const COLUMNS: Column[] = [
  { title: "runs", cell: runsCell },
  { title: "wall p50 ms", cell: (entry) => plainMs(entry.wallMs.median) },
  { title: "wall p95 ms", cell: (entry) => plainMs(entry.wallMs.p95) },
  {
    title: "wall 95 % CI ms",
    cell: (entry) => intervalCell(entry.intervals.wallMs, formatNumber),
  },
  { title: "critical path p50 ms", cell: (entry) => plainMs(entry.criticalPathMs.median) },
  { title: "overhead p50 ms", cell: (entry) => plainMs(entry.overheadMs.median) },
  { title: "overhead / level p50 ms", cell: (entry) => plainMs(entry.overheadPerLevelMs.median) },
  { title: "speedup", cell: speedupCell },
  {
    title: "parallelism",
    cell: (entry) =>
      Number.isFinite(entry.parallelism) ? `${entry.parallelism.toFixed(2)}×` : "n/a",
  },
  {
    title: "efficiency",
    cell: (entry) =>
      Number.isFinite(entry.efficiency) ? `${Math.round(entry.efficiency * 100)} %` : "n/a",
  },
  {
    title: "cost / run p50",
    cell: (entry) => (entry.costUsd ? usd(entry.costUsd.median) : "no cost data"),
  },
  {
    title: "cost / run 95 % CI",
    cell: (entry) => (entry.costUsd ? intervalCell(entry.intervals.costUsd, formatUsd) : "n/a"),
  },
  {
    title: "cost / 1M runs",
    cell: (entry) =>
      entry.costPerMillionRunsUsd === undefined ? "n/a" : usd2(entry.costPerMillionRunsUsd),
  },
  { title: "status", cell: statusCell },
];

function renderComparison(document: ReportDocument): string {
  const head = `<tr><th scope="col">strategy</th>${COLUMNS.map((column) => `<th scope="col">${column.title}</th>`).join("")}</tr>`;
  const rows = document.comparison.strategies.map(
    (entry) =>
      `<tr data-strategy="${escapeHtml(entry.strategy)}"><th scope="row">${strategyCell(entry, document)}</th>${COLUMNS.map(
        (column) =>
          `<td${column.title === "status" ? ` class="text"` : ""}>${column.cell(entry)}</td>`,
      ).join("")}</tr>`,
  );
  const empty =
    rows.length === 0
      ? `<tr><td class="text" colspan="${COLUMNS.length + 1}">no runs to compare</td></tr>`
      : "";
  return `<section id="comparison-section">
<h2>Comparison</h2>
<table id="comparison">
<thead>${head}</thead>
<tbody>${rows.join("\n")}${empty}</tbody>
</table>
<p class="note">p50 = median, p95 = 95th percentile, over warm succeeded runs (runs with cold starts, or failed runs, only when there is nothing better).
Critical path = the DAG's longest path by the tasks' own durations; overhead = wall − critical path, paid once per DAG level.
95 % CI = where the median lies with 95 % confidence (exact, from order statistics); with 5 runs or fewer it is min–max and covers less, as stated; — = one run, no interval.
Speedup = baseline median wall ÷ this strategy's median wall. Parallelism = summed task time ÷ wall. Efficiency = critical path ÷ wall.</p>
<p class="note pricing-note"><strong>Cost model:</strong> ${escapeHtml(document.pricingNote)}</p>
</section>`;
}

/** Strategies that could not run this workflow at all: said, never silently left out. */
function renderNotApplicable(document: ReportDocument): string {
  const entries = document.notApplicable ?? [];
  if (entries.length === 0) return "";
  const items = entries.map(
    ({ strategy, reason }) =>
      `<li data-strategy="${escapeHtml(strategy)}"><strong>${escapeHtml(strategy)}</strong>: not applicable: ${escapeHtml(reason)}</li>`,
  );
  return `<section id="not-applicable"><ul>${items.join("")}</ul></section>`;
}

/** The user's own functions as each median run billed them (lib/report/ownFunctionsSummary.ts). */
function renderOwnFunctions(document: ReportDocument): string {
  const rows = summarizeOwnFunctions(document);
  if (rows.length === 0) return "";
  const head = [
    "function",
    "strategy",
    "invocations",
    "memory",
    "billed ms",
    "max memory used",
    "INIT ms",
    "source",
  ]
    .map((title) => `<th scope="col">${title}</th>`)
    .join("");
  const body = rows.map(
    (row) =>
      `<tr data-function="${escapeHtml(row.function)}" data-strategy="${escapeHtml(row.strategy)}"><th scope="row">${escapeHtml(row.function)}</th><td class="text">${escapeHtml(row.strategy)}</td><td>${formatNumber(row.invocations)}</td><td>${row.memoryMb === undefined ? "?" : `${formatNumber(row.memoryMb)} MB ${escapeHtml(row.architecture ?? "")}`}</td><td>${formatNumber(Math.round(row.billedMs))}</td><td>${row.maxMemoryUsedMb === undefined ? "—" : `${formatNumber(row.maxMemoryUsedMb)} MB`}</td><td>${formatNumber(Math.round(row.initMs))}</td><td class="text">${escapeHtml(row.source)}</td></tr>`,
  );
  return `<section id="own-functions">
<h2>Your functions (median run of each strategy)</h2>
<table id="own-functions-table"><thead><tr>${head}</tr></thead><tbody>${body.join("\n")}</tbody></table>
<p class="note">Memory and architecture: each function's own configuration. Billed ms, peak memory and INIT: Lambda's REPORT line where this service invoked the function; under Step Functions and durable, the invoking service's own timestamps (an upper bound: the span includes the invoke; no INIT or peak memory known).</p>
</section>`;
}

/* ------------------------------------------------------------------ cost breakdown */

function costBar(entry: StrategyComparison, index: number, scale: number): string {
  const { labelWidth, rowHeight, width, totalWidth } = COST_CHART;
  const y = index * rowHeight + 4;
  const label = `<text x="0" y="${y + 15}">${escapeHtml(entry.strategy)}</text>`;
  const breakdown = entry.costBreakdown;
  if (!breakdown) {
    return `<g class="cost" data-strategy="${escapeHtml(entry.strategy)}">${label}<text class="muted" x="${labelWidth}" y="${y + 15}">no cost data</text></g>`;
  }
  let x = labelWidth;
  const segments = COST_COMPONENTS.map(({ key, label: name, colour }) => {
    const value = breakdown[key];
    const segmentWidth = isFiniteNumber(value) && value > 0 ? value * scale : 0;
    if (segmentWidth <= 0) return "";
    const rect = `<rect x="${coord(x)}" y="${y + 2}" width="${coord(Math.max(segmentWidth, 1))}" height="18" fill="${colour}"><title>${escapeHtml(`${entry.strategy}: ${name} ${usd(value)}`)}</title></rect>`;
    x += segmentWidth;
    return rect;
  }).join("");
  const totalX = Math.min(x + 6, width - totalWidth + 6);
  const total = `<text x="${coord(totalX)}" y="${y + 15}">${usd(breakdown.totalUsd)}</text>`;
  return `<g class="cost" data-strategy="${escapeHtml(entry.strategy)}">${label}${segments}${total}</g>`;
}

function costTable(strategies: readonly StrategyComparison[]): string {
  const head = `<tr><th scope="col">strategy</th>${COST_COMPONENTS.map((component) => `<th scope="col"><span class="swatch" style="background:${component.colour}"></span>${component.label}</th>`).join("")}<th scope="col">total / run</th></tr>`;
  const rows = strategies.map((entry) => {
    const name = `<th scope="row">${swatch(colourOf(entry.strategy))}${escapeHtml(entry.strategy)}</th>`;
    const breakdown = entry.costBreakdown;
    if (!breakdown) {
      return `<tr data-strategy="${escapeHtml(entry.strategy)}">${name}<td class="none" colspan="${COST_COMPONENTS.length + 1}">no cost data</td></tr>`;
    }
    const cells = COST_COMPONENTS.map(({ key }) => `<td>${usd(breakdown[key])}</td>`).join("");
    return `<tr data-strategy="${escapeHtml(entry.strategy)}">${name}${cells}<td><strong>${usd(breakdown.totalUsd)}</strong></td></tr>`;
  });
  return `<table class="cost-table"><thead>${head}</thead><tbody>${rows.join("\n")}</tbody></table>`;
}

function renderCostBreakdown(document: ReportDocument): string {
  const { strategies } = document.comparison;
  const { width, labelWidth, totalWidth, rowHeight } = COST_CHART;
  const largest = Math.max(
    0,
    ...strategies.map((entry) => entry.costBreakdown?.totalUsd ?? 0).filter(Number.isFinite),
  );
  const scale = largest > 0 ? (width - labelWidth - totalWidth) / largest : 0;
  const height = Math.max(strategies.length, 1) * rowHeight + 8;
  const legend = COST_COMPONENTS.map(
    (component) =>
      `<span><span class="key" style="background:${component.colour}"></span>${component.label}</span>`,
  ).join("");
  return `<section id="cost-breakdown">
<h2>Cost per run by component (median run)</h2>
<div class="panel">
<svg class="cost-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="cost per run by component and strategy">
${strategies.map((entry, index) => costBar(entry, index, scale)).join("\n")}
</svg>
<div class="legend">${legend}</div>
</div>
${costTable(strategies)}
</section>`;
}

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
  return `<h3>${swatch(colourOf(run.strategy))}${escapeHtml(run.strategy)} <span class="${statusClass}">${escapeHtml(run.status)}</span> <span class="meta">run <code>${escapeHtml(run.runId.slice(0, 8))}</code></span></h3>
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

function renderGantts(document: ReportDocument): string {
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

/* ------------------------------------------------------------------ payload sweep */

interface PayloadScales {
  x: (bytes: number) => number;
  y: (overheadMs: number) => number;
}

function payloadScales(
  sweep: PayloadSweep,
): PayloadScales & { yTicks: number[]; xSizes: number[] } {
  const { width, height, left, right, top, bottom } = PAYLOAD_CHART;
  const xSizes = [...new Set([...sweep.sizes, ...sweep.points.map((point) => point.bytes)])]
    .filter((bytes) => Number.isFinite(bytes) && bytes > 0)
    .sort((a, b) => a - b);
  const smallest = Math.log10(xSizes[0] ?? 1);
  const largest = Math.log10(xSizes[xSizes.length - 1] ?? 1);
  const [logLow, logHigh] = largest > smallest ? [smallest, largest] : [smallest - 1, largest + 1];
  const values = sweep.points.map((point) => point.overheadMs).filter(Number.isFinite);
  const low = Math.min(0, ...values);
  const highest = Math.max(1, ...values);
  const step = niceStep(highest - low);
  const high = step > 0 ? Math.ceil(highest / step) * step : highest;
  const yLow = step > 0 ? Math.floor(low / step) * step : low;
  return {
    x: (bytes) =>
      left +
      clamp((Math.log10(Math.max(bytes, 1)) - logLow) / (logHigh - logLow), 0, 1) *
        (width - left - right),
    y: (overheadMs) =>
      height - bottom - clamp((overheadMs - yLow) / (high - yLow), 0, 1) * (height - top - bottom),
    yTicks: ticksBetween(yLow, high, step),
    xSizes,
  };
}

function payloadAxes(scales: ReturnType<typeof payloadScales>): string {
  const { width, height, left, right, top, bottom } = PAYLOAD_CHART;
  const baseY = height - bottom;
  const yAxis = scales.yTicks
    .map(
      (tick) =>
        `<line x1="${left}" y1="${coord(scales.y(tick))}" x2="${width - right}" y2="${coord(scales.y(tick))}" stroke="#e1e4ea"/><text class="muted" x="${left - 8}" y="${coord(scales.y(tick) + 4)}" text-anchor="end">${formatNumber(tick)}</text>`,
    )
    .join("");
  let lastLabelX = Number.NEGATIVE_INFINITY;
  const xAxis = scales.xSizes
    .map((bytes) => {
      const x = scales.x(bytes);
      const fits = x - lastLabelX >= 48;
      if (fits) lastLabelX = x;
      const label = fits
        ? `<text class="muted" x="${coord(x)}" y="${baseY + 18}" text-anchor="middle">${formatBytes(bytes)}</text>`
        : "";
      return `<line x1="${coord(x)}" y1="${top}" x2="${coord(x)}" y2="${baseY + 4}" stroke="#eef0f4"/>${label}`;
    })
    .join("");
  const titles = `<text class="muted" x="${coord((left + width - right) / 2)}" y="${height - 12}" text-anchor="middle">data passed from queryData to processData (log scale)</text><text class="muted" transform="translate(16 ${coord((top + baseY) / 2)}) rotate(-90)" text-anchor="middle">overhead ms (median)</text>`;
  const frame = `<line x1="${left}" y1="${baseY}" x2="${width - right}" y2="${baseY}" stroke="#6b7280"/><line x1="${left}" y1="${top}" x2="${left}" y2="${baseY}" stroke="#6b7280"/>`;
  return `<g class="axis">${yAxis}${xAxis}${frame}${titles}</g>`;
}

function payloadSeries(
  strategy: StrategyName,
  points: PayloadPoint[],
  scales: PayloadScales,
): string {
  const colour = colourOf(strategy);
  const sorted = [...points].sort((a, b) => a.bytes - b.bytes);
  const ok = sorted.filter(
    (point) => point.status === "succeeded" && Number.isFinite(point.overheadMs),
  );
  const line =
    ok.length > 1
      ? `<polyline fill="none" stroke="${colour}" stroke-width="2" points="${ok.map((point) => `${coord(scales.x(point.bytes))},${coord(scales.y(point.overheadMs))}`).join(" ")}"/>`
      : "";
  const marks = sorted
    .map((point) => {
      const x = coord(scales.x(point.bytes));
      const where = `${strategy} at ${formatBytes(point.bytes)}`;
      if (point.status === "failed") {
        const y = Number.isFinite(point.overheadMs)
          ? scales.y(point.overheadMs)
          : PAYLOAD_CHART.top;
        const title = `${where} failed: ${point.error ?? "no error message"}`;
        return `<g class="failed-point"><title>${escapeHtml(title)}</title><text class="warn" x="${x}" y="${coord(y + 6)}" text-anchor="middle" font-size="22" font-weight="700">✗</text></g>`;
      }
      const title = `${where}: overhead ${ms(point.overheadMs)}, wall ${ms(point.wallMs)}`;
      return `<circle cx="${x}" cy="${coord(scales.y(point.overheadMs))}" r="4" fill="${colour}" stroke="#fff" stroke-width="1.2"><title>${escapeHtml(title)}</title></circle>`;
    })
    .join("");
  return `<g class="series" data-strategy="${escapeHtml(strategy)}">${line}${marks}</g>`;
}

function renderPayloadSweep(sweep: PayloadSweep): string {
  const { width, height, right, top } = PAYLOAD_CHART;
  const scales = payloadScales(sweep);
  const strategies = STRATEGIES.filter(
    (strategy) =>
      sweep.points.some((point) => point.strategy === strategy) ||
      sweep.overheadPerMbMs[strategy] !== undefined,
  );
  const series = strategies
    .map((strategy) =>
      payloadSeries(
        strategy,
        sweep.points.filter((point) => point.strategy === strategy),
        scales,
      ),
    )
    .join("");
  const legendX = width - right + 20;
  const legend = strategies
    .map(
      (strategy, index) =>
        `<g transform="translate(${legendX} ${top + 8 + index * 20})"><line x1="0" y1="0" x2="22" y2="0" stroke="${colourOf(strategy)}" stroke-width="2"/><circle cx="11" cy="0" r="4" fill="${colourOf(strategy)}"/><text x="30" y="4">${escapeHtml(strategy)}</text></g>`,
    )
    .join("");
  const failedKey = sweep.points.some((point) => point.status === "failed")
    ? `<text class="warn" x="${legendX + 5}" y="${top + 14 + strategies.length * 20}" font-size="16" font-weight="700">✗</text><text x="${legendX + 30}" y="${top + 12 + strategies.length * 20}">failed (hover)</text>`
    : "";
  const rows = strategies
    .map(
      (strategy) =>
        `<tr data-strategy="${escapeHtml(strategy)}"><th scope="row">${swatch(colourOf(strategy))}${escapeHtml(strategy)}</th><td>${ms(sweep.overheadPerMbMs[strategy])}</td></tr>`,
    )
    .join("\n");
  return `<section id="payload">
<h2>Overhead as the payload between tasks grows</h2>
<div class="panel">
<svg id="payload-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="overhead by payload size and strategy">
${payloadAxes(scales)}
${series}
${legend}${failedKey}
</svg>
</div>
<table id="payload-overhead" style="max-width:420px">
<thead><tr><th scope="col">strategy</th><th scope="col">extra overhead per MB moved</th></tr></thead>
<tbody>${rows}</tbody>
</table>
</section>`;
}

/* ------------------------------------------------------------------ the page */

/**
 * Renders a report document as one self-contained HTML5 page: the verdict, the comparison table,
 * the median walls with their intervals as error bars, the cost breakdown, a Gantt chart of each strategy's median run and, when the document holds
 * one, the payload sweep's chart.
 *
 * Everything is inline (CSS and SVG, no script, font, image or stylesheet from elsewhere), so the
 * file can be mailed, attached to a CI run or opened offline, and it prints. Every text that
 * came from a run (task ids, error messages, URLs) is HTML-escaped.
 *
 * @example
 * const html = renderHtml(document);
 * await writeFile("reports/report.html", html);
 */
export function renderHtml(document: ReportDocument): string {
  const title = `Strategy comparison · ${document.generatedAt}`;
  const sections = [
    renderHeader(document),
    renderComparison(document),
    renderWallIntervals(document.comparison),
    renderNotApplicable(document),
    renderOwnFunctions(document),
    renderCostBreakdown(document),
    renderGantts(document),
    renderWhenTasksFailHtml(document),
    document.payloadSweep ? renderPayloadSweep(document.payloadSweep) : "",
    document.scaleSweep ? renderScaleSweep(document.scaleSweep) : "",
  ];
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>${CSS}</style>
</head>
<body>
<main>
${sections.filter((section) => section !== "").join("\n")}
</main>
</body>
</html>
`;
}
