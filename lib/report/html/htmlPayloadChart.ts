/** The HTML report's payload sweep: overhead as the data between tasks grows. */

import { STRATEGIES, type StrategyName } from "../../strategies/names.js";
import type { PayloadPoint, PayloadSweep } from "../document.js";
import { formatBytes, formatNumber } from "../text/formatNumber.js";
import { niceStep, ticksBetween } from "./axisTicks.js";
import { ms, swatch } from "./htmlShared.js";
import { clamp, colourOf, coord, escapeHtml } from "./svg.js";

const PAYLOAD_CHART = {
  width: 1100,
  height: 340,
  left: 70,
  right: 140,
  top: 16,
  bottom: 56,
} as const;

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

export function renderPayloadSweep(sweep: PayloadSweep): string {
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
