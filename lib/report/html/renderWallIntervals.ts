import { CONFIDENCE_LEVEL } from "../../stats/confidence.js";
import type { Comparison, StrategyComparison } from "../compareRuns.js";
import { formatCoverage, formatRange } from "../text/formatInterval.js";
import { formatNumber } from "../text/formatNumber.js";
import { niceStep, ticksBetween } from "./axisTicks.js";
import { clamp, colourOf, coord, escapeHtml } from "./svg.js";

/** One row per strategy: its name, the median wall on a shared axis, and the figures in words. */
const CHART = {
  width: 1100,
  labelWidth: 120,
  textWidth: 340,
  rowHeight: 28,
  top: 10,
  axisHeight: 34,
  capHalfHeight: 6,
} as const;

interface Scale {
  x: (ms: number) => number;
  ticks: number[];
}

/** A shared axis over every median and interval end, widened by a margin: not from zero. */
function scaleOf(strategies: readonly StrategyComparison[]): Scale {
  const ends = strategies.flatMap((entry) => [
    entry.wallMs.median,
    ...(entry.intervals.wallMs ? [entry.intervals.wallMs.low, entry.intervals.wallMs.high] : []),
  ]);
  const lowest = Math.min(...ends);
  const highest = Math.max(...ends);
  const margin = Math.max((highest - lowest) * 0.08, 1);
  const step = niceStep(highest - lowest + 2 * margin);
  const low = step > 0 ? Math.floor((lowest - margin) / step) * step : lowest - margin;
  const high = step > 0 ? Math.ceil((highest + margin) / step) * step : highest + margin;
  const [left, right] = [CHART.labelWidth, CHART.width - CHART.textWidth];
  return {
    x: (ms) => left + clamp((ms - low) / (high - low || 1), 0, 1) * (right - left),
    ticks: ticksBetween(low, high, step),
  };
}

function describeInterval(entry: StrategyComparison): string {
  const interval = entry.intervals.wallMs;
  const median = `${formatNumber(entry.wallMs.median)} ms`;
  if (!interval) return `${median} · one run: no interval`;
  const range = formatRange(interval.low, interval.high);
  return interval.coverage < CONFIDENCE_LEVEL
    ? `${median} · ${range} (min–max of ${entry.wallMs.count}: ${formatCoverage(interval.coverage)})`
    : `${median} · 95 % CI ${range} (${entry.wallMs.count} runs)`;
}

function describeRow(entry: StrategyComparison): string {
  const failed = entry.failed === 1 ? "1 failed run" : `${formatNumber(entry.failed)} failed runs`;
  return entry.failed > 0 ? `${describeInterval(entry)}; ${failed}` : describeInterval(entry);
}

function row(entry: StrategyComparison, index: number, scale: Scale): string {
  const y = CHART.top + index * CHART.rowHeight + CHART.rowHeight / 2;
  const colour = colourOf(entry.strategy);
  const strategy = escapeHtml(entry.strategy);
  const interval = entry.intervals.wallMs;
  const cap = (ms: number): string =>
    `<line class="error-cap" x1="${coord(scale.x(ms))}" y1="${coord(y - CHART.capHalfHeight)}" x2="${coord(scale.x(ms))}" y2="${coord(y + CHART.capHalfHeight)}" stroke="${colour}" stroke-width="2"/>`;
  const bar = interval
    ? `<line class="error-bar" data-strategy="${strategy}" x1="${coord(scale.x(interval.low))}" y1="${coord(y)}" x2="${coord(scale.x(interval.high))}" y2="${coord(y)}" stroke="${colour}" stroke-width="2"${interval.coverage < CONFIDENCE_LEVEL ? ` stroke-dasharray="5 3"` : ""}/>${cap(interval.low)}${cap(interval.high)}`
    : "";
  const text = describeRow(entry);
  return `<g class="wall-interval" data-strategy="${strategy}">
<text x="${CHART.labelWidth - 10}" y="${coord(y + 4)}" text-anchor="end" font-weight="600">${strategy}</text>${bar}<circle class="median" cx="${coord(scale.x(entry.wallMs.median))}" cy="${coord(y)}" r="4.5" fill="${colour}" stroke="#fff" stroke-width="1.2"><title>${escapeHtml(`${entry.strategy}: median wall ${text}`)}</title></circle><text class="muted" x="${CHART.width - CHART.textWidth + 14}" y="${coord(y + 4)}">${escapeHtml(text)}</text>
</g>`;
}

function axis(scale: Scale, rows: number): string {
  const baseY = CHART.top + rows * CHART.rowHeight;
  const ticks = scale.ticks
    .map(
      (tick) =>
        `<line x1="${coord(scale.x(tick))}" y1="${CHART.top}" x2="${coord(scale.x(tick))}" y2="${baseY}" stroke="#eef0f4"/><text class="muted" x="${coord(scale.x(tick))}" y="${baseY + 16}" text-anchor="middle">${formatNumber(tick)}</text>`,
    )
    .join("");
  const right = CHART.width - CHART.textWidth;
  return `<g class="axis">${ticks}<line x1="${CHART.labelWidth}" y1="${baseY}" x2="${right}" y2="${baseY}" stroke="#6b7280"/><text class="muted" x="${coord((CHART.labelWidth + right) / 2)}" y="${baseY + 31}" text-anchor="middle">median wall ms (the axis does not start at 0)</text></g>`;
}

/**
 * The median wall of each strategy as a point with its interval as an error bar (lib/stats/
 * confidence.ts: exact order-statistic intervals), on one axis: how far apart the strategies are
 * next to how sure each median is. A bar is dashed when it covers the median with less than 95 %
 * (min–max of 5 runs or fewer); a strategy with one run has a point and no bar.
 *
 * @example
 * const svg = renderWallIntervalChart(compareRuns(reports));
 */
export function renderWallIntervalChart(comparison: Comparison): string {
  const { strategies } = comparison;
  const scale = scaleOf(strategies);
  const height = CHART.top + strategies.length * CHART.rowHeight + CHART.axisHeight + 6;
  const rows = strategies.map((entry, index) => row(entry, index, scale)).join("\n");
  return `<svg id="wall-interval-chart" viewBox="0 0 ${CHART.width} ${height}" width="${CHART.width}" height="${height}" role="img" aria-label="median wall of each strategy with its 95 % interval">
${axis(scale, strategies.length)}
${rows}
</svg>`;
}

/** The HTML report's section of error bars; nothing when there are no strategies. */
export function renderWallIntervals(comparison: Comparison): string {
  if (comparison.strategies.length === 0) return "";
  return `<section id="wall-intervals">
<h2>How sure: median wall and its 95 % interval</h2>
<p class="note">Point: a strategy's median wall; bar: where its true median lies with 95 % confidence (exact, from the order statistics of the same runs as the table). Dashed: 5 runs or fewer leave no 95 % interval, the bar is min–max and covers less (stated at the right). Bars that overlap do not prove a tie: the verdict tests each difference itself (a seeded bootstrap).</p>
<div class="panel">
${renderWallIntervalChart(comparison)}
</div>
</section>`;
}
