import { STRATEGIES } from "../../strategies/names.js";
import type { ScalePoint, ScaleSweep } from "../scaleSweep.js";
import { formatNumber } from "../text/formatNumber.js";
import { clamp, colourOf, coord, escapeHtml } from "./svg.js";

/** Two panels side by side (independent tasks, a chain), each log-log: N across, overhead up. */
const CHART = { panelWidth: 430, height: 330, left: 62, right: 16, top: 34, bottom: 48, gap: 30 };
const LEGEND_WIDTH = 150;
const SHAPES = [
  { shape: "independent", title: "N independent tasks" },
  { shape: "chain", title: "a chain of N tasks" },
] as const;
/** Overheads under 1 ms are drawn at 1 ms: a log scale has no zero. */
const FLOOR_MS = 1;

/** 1, 10, 100 ... up to the first decade at or above `value` (at least 10): nothing is clipped. */
const decadesUpTo = (value: number): number[] => {
  const decades = [1];
  while ((decades.at(-1) ?? 1) < Math.max(value, 10)) decades.push((decades.at(-1) ?? 1) * 10);
  return decades;
};

function logScale(low: number, high: number, from: number, to: number) {
  const [logLow, logHigh] = [Math.log10(low), Math.log10(high)];
  return (value: number) =>
    from +
    clamp((Math.log10(Math.max(value, low)) - logLow) / (logHigh - logLow || 1), 0, 1) *
      (to - from);
}

function panel(sweep: ScaleSweep, shape: ScalePoint["shape"], title: string, offsetX: number) {
  const points = sweep.points.filter((point) => point.shape === shape);
  const maxN = Math.max(10, ...points.map((point) => point.n));
  const maxMs = Math.max(
    10,
    ...points.map((point) => point.overheadMs ?? 0).filter((value) => Number.isFinite(value)),
  );
  const nTicks = decadesUpTo(maxN);
  const msTicks = decadesUpTo(maxMs);
  const [x0, x1] = [offsetX + CHART.left, offsetX + CHART.panelWidth - CHART.right];
  const [y0, y1] = [CHART.height - CHART.bottom, CHART.top];
  const x = logScale(1, nTicks.at(-1) ?? maxN, x0, x1);
  const y = logScale(FLOOR_MS, msTicks.at(-1) ?? maxMs, y0, y1);
  const grid = [
    ...nTicks.map(
      (n) =>
        `<line x1="${coord(x(n))}" y1="${y1}" x2="${coord(x(n))}" y2="${y0}" stroke="#eef0f4"/><text class="muted" x="${coord(x(n))}" y="${y0 + 16}" text-anchor="middle">${formatNumber(n)}</text>`,
    ),
    ...msTicks.map(
      (value) =>
        `<line x1="${x0}" y1="${coord(y(value))}" x2="${x1}" y2="${coord(y(value))}" stroke="#e1e4ea"/><text class="muted" x="${x0 - 6}" y="${coord(y(value) + 4)}" text-anchor="end">${formatNumber(value)}</text>`,
    ),
  ].join("");
  const frame = `<line x1="${x0}" y1="${y0}" x2="${x1}" y2="${y0}" stroke="#6b7280"/><line x1="${x0}" y1="${y1}" x2="${x0}" y2="${y0}" stroke="#6b7280"/>`;
  const titles = `<text x="${coord((x0 + x1) / 2)}" y="${CHART.top - 14}" text-anchor="middle" font-weight="600">${escapeHtml(title)}</text><text class="muted" x="${coord((x0 + x1) / 2)}" y="${CHART.height - 10}" text-anchor="middle">N (log scale)</text>`;
  const series = sweep.profiles
    .flatMap((profile) =>
      STRATEGIES.map((strategy) => {
        const line = points
          .filter((point) => point.profile === profile.name && point.strategy === strategy)
          .sort((a, b) => a.n - b.n);
        const ran = line.filter((point) => point.overheadMs !== undefined);
        const dash = profile.name === "local" ? "" : ` stroke-dasharray="6 4"`;
        const polyline =
          ran.length > 1
            ? `<polyline fill="none" stroke="${colourOf(strategy)}" stroke-width="2"${dash} points="${ran.map((point) => `${coord(x(point.n))},${coord(y(point.overheadMs ?? FLOOR_MS))}`).join(" ")}"/>`
            : "";
        const marks = line
          .map((point) => {
            const label = `${strategy}, ${point.n} ${shape}, profile ${point.profile}`;
            if (point.overheadMs === undefined) {
              const why = point.note ?? `${point.failed} of ${point.runs} runs failed`;
              return `<text class="warn" x="${coord(x(point.n))}" y="${y1 + 4}" text-anchor="middle" font-size="14" font-weight="700" fill="#d62728">✗<title>${escapeHtml(`${label}: ${point.status}: ${why}`)}</title></text>`;
            }
            const failed =
              point.failed > 0 ? ` (${point.failed} of ${point.runs} runs failed)` : "";
            return `<circle cx="${coord(x(point.n))}" cy="${coord(y(point.overheadMs))}" r="3.5" fill="${colourOf(strategy)}"><title>${escapeHtml(`${label}: overhead ${formatNumber(point.overheadMs)} ms${failed}`)}</title></circle>`;
          })
          .join("");
        return `<g class="series" data-strategy="${strategy}" data-profile="${profile.name}" data-shape="${shape}">${polyline}${marks}</g>`;
      }),
    )
    .join("");
  return `<g class="panel-${shape}">${grid}${frame}${titles}${series}</g>`;
}

/**
 * The scale sweep as one self-contained SVG: overhead (wall minus critical path, median) against
 * N for each strategy, solid for the `local` profile and dashed for `aws` (emulated AWS latency).
 */
export function renderScaleChart(sweep: ScaleSweep): string {
  const width = 2 * CHART.panelWidth + CHART.gap + LEGEND_WIDTH;
  const panels = SHAPES.map(({ shape, title }, index) =>
    panel(sweep, shape, title, index * (CHART.panelWidth + CHART.gap)),
  ).join("");
  const strategies = STRATEGIES.filter((strategy) =>
    sweep.points.some((point) => point.strategy === strategy),
  );
  const legendX = 2 * CHART.panelWidth + CHART.gap + 10;
  const legend = [
    ...strategies.map(
      (strategy, index) =>
        `<g transform="translate(${legendX} ${CHART.top + index * 20})"><line x1="0" y1="0" x2="22" y2="0" stroke="${colourOf(strategy)}" stroke-width="2"/><text x="30" y="4">${escapeHtml(strategy)}</text></g>`,
    ),
    ...sweep.profiles.map(
      (profile, index) =>
        `<g transform="translate(${legendX} ${CHART.top + (strategies.length + 1 + index) * 20})"><line x1="0" y1="0" x2="22" y2="0" stroke="#4a5263" stroke-width="2"${profile.name === "local" ? "" : ` stroke-dasharray="6 4"`}/><text x="30" y="4">profile ${escapeHtml(profile.name)}</text></g>`,
    ),
  ].join("");
  const axisTitle = `<text class="muted" transform="translate(14 ${coord(CHART.height / 2)}) rotate(-90)" text-anchor="middle">overhead ms (median, log scale)</text>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" id="scale-chart" viewBox="0 0 ${width} ${CHART.height}" width="${width}" height="${CHART.height}" role="img" aria-label="overhead against the number of tasks, per strategy and latency profile" font-family="system-ui, sans-serif" font-size="12" style="max-width:100%;height:auto">
<style>.muted { fill: #5f6777; }</style>
${axisTitle}${panels}${legend}
</svg>`;
}

/** The HTML report's section for the scale sweep it was given. */
export function renderScaleSweep(sweep: ScaleSweep): string {
  const profiles = sweep.profiles
    .map((profile) => `<li>${escapeHtml(profile.description)}</li>`)
    .join("");
  return `<section id="scale">
<h2>Overhead as the workflow grows (npm run bench:scale)</h2>
<p class="note">A separate measurement, ${escapeHtml(sweep.generatedAt)}: ${formatNumber(sweep.taskMs)} ms tasks, ${formatNumber(sweep.runsPerPoint)} runs per point after a warm-up; ${escapeHtml(sweep.environment)}. ✗: failed or skipped (hover for why).</p>
<ul class="note">${profiles}</ul>
<div class="panel">
${renderScaleChart(sweep)}
</div>
</section>`;
}
