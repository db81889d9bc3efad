/** The HTML report's decision map: the fastest and the cheapest strategy over task duration x width. */

import type { DecisionMap, MapCell, MapPoint } from "../../forecast/decisionMap.js";
import { STRATEGIES, type StrategyName } from "../../strategies/names.js";
import { formatNumber } from "../text/formatNumber.js";
import { ms, usd } from "./htmlShared.js";
import { colourOf, coord, escapeHtml } from "./svg.js";

const MAP = { left: 78, right: 12, top: 26, bottom: 48, gridWidth: 600, gridHeight: 320 } as const;
/** A point where no strategy runs. */
const NONE = "#c9cdd4";
/** The outline of a point whose fastest run is past the synchronous API's 29 s. */
const PAST_SYNC = "#1d2330";
const PAST_SYNC_LABEL = "past the synchronous API's 29 s: needs an asynchronous run";
const CONCURRENCY_LABEL = "account concurrency: tasks run in waves beyond";

const durationLabel = (value: number): string =>
  value >= 60_000
    ? `${formatNumber(value / 60_000)} min`
    : value >= 1000
      ? `${formatNumber(value / 1000)} s`
      : `${formatNumber(value)} ms`;

/** A forecast wall: ms below 10 s, seconds above. */
const wallLabel = (value: number): string =>
  value >= 10_000 ? `${formatNumber(value / 1000)} s` : ms(value);

function cellLine(cell: MapCell): string {
  if (cell.wallMs === undefined) return `${cell.strategy}: stopped by ${cell.limit ?? "a limit"}`;
  const past = cell.pastSynchronousLimit ? ` (${PAST_SYNC_LABEL})` : "";
  return `${cell.strategy}: wall ${wallLabel(cell.wallMs)}, ${usd(cell.costUsd)} per run${past}`;
}

function tooltip(point: MapPoint): string {
  const head = `${durationLabel(point.taskMs)} tasks, ${formatNumber(point.width)} wide: ${
    point.fastest
      ? `fastest ${point.fastest}, cheapest ${point.cheapest ?? "n/a"}`
      : "no strategy runs"
  }`;
  return [head, ...point.cells.map(cellLine)].join("\n");
}

/** The strategies the map forecast, in the order reports list them. */
const strategiesOf = (map: DecisionMap): StrategyName[] =>
  STRATEGIES.filter((strategy) =>
    map.points.some((point) => point.cells.some((cell) => cell.strategy === strategy)),
  );

/** The map as one inline SVG: a column per width, a row per duration (the shortest at the bottom). */
export function renderDecisionMapSvg(map: DecisionMap): string {
  const { left, right, top, bottom, gridWidth, gridHeight } = MAP;
  const cellWidth = gridWidth / Math.max(map.widths.length, 1);
  const cellHeight = gridHeight / Math.max(map.durations.length, 1);
  const width = left + gridWidth + right;
  const height = top + gridHeight + bottom;
  const xOf = (column: number) => left + column * cellWidth;
  const yOf = (row: number) => top + (map.durations.length - 1 - row) * cellHeight;
  const cells = map.points
    .map((point) => {
      const [column, row] = [map.widths.indexOf(point.width), map.durations.indexOf(point.taskMs)];
      if (column < 0 || row < 0) return "";
      const [x, y] = [xOf(column) + 1, yOf(row) + 1];
      const [w, h] = [cellWidth - 2, cellHeight - 2];
      const fill = point.fastest ? colourOf(point.fastest) : NONE;
      const fastestCell = point.cells.find((cell) => cell.strategy === point.fastest);
      const outline = fastestCell?.pastSynchronousLimit
        ? `<rect class="past-sync" x="${coord(x + 2)}" y="${coord(y + 2)}" width="${coord(w - 4)}" height="${coord(h - 4)}" fill="none" stroke="${PAST_SYNC}" stroke-width="3"/>`
        : "";
      const radius = Math.min(9, h / 4, w / 4);
      const mark = point.cheapest
        ? `<circle class="cheapest" cx="${coord(x + w / 2)}" cy="${coord(y + h / 2)}" r="${coord(radius)}" fill="${colourOf(point.cheapest)}" stroke="#fff" stroke-width="2"/>`
        : "";
      const data = `data-task-ms="${point.taskMs}" data-width="${point.width}" data-fastest="${point.fastest ?? ""}" data-cheapest="${point.cheapest ?? ""}"`;
      return `<g class="map-point" ${data}><title>${escapeHtml(tooltip(point))}</title><rect class="cell" x="${coord(x)}" y="${coord(y)}" width="${coord(w)}" height="${coord(h)}" fill="${fill}"/>${outline}${mark}</g>`;
    })
    .join("");
  const columnLabels = map.widths
    .map(
      (value, column) =>
        `<text class="muted" x="${coord(xOf(column) + cellWidth / 2)}" y="${top + gridHeight + 16}" text-anchor="middle">${formatNumber(value)}</text>`,
    )
    .join("");
  const rowLabels = map.durations
    .map(
      (value, row) =>
        `<text class="muted" x="${left - 8}" y="${coord(yOf(row) + cellHeight / 2 + 4)}" text-anchor="end">${durationLabel(value)}</text>`,
    )
    .join("");
  const titles = `<text class="muted" x="${coord(left + gridWidth / 2)}" y="${height - 8}" text-anchor="middle">task width: tasks fanned out between the first task and the last</text><text class="muted" transform="translate(14 ${coord(top + gridHeight / 2)}) rotate(-90)" text-anchor="middle">task duration</text>`;
  const beyond = map.widths.findIndex((value) => value > map.concurrencyWidth);
  const concurrency =
    beyond < 0
      ? ""
      : `<g class="concurrency"><title>${escapeHtml(`${CONCURRENCY_LABEL} ${formatNumber(map.concurrencyWidth)} wide`)}</title><line x1="${coord(xOf(beyond))}" y1="${top - 6}" x2="${coord(xOf(beyond))}" y2="${top + gridHeight + 4}" stroke="${PAST_SYNC}" stroke-width="2" stroke-dasharray="6 4"/><text x="${coord(xOf(beyond) + 4)}" y="${top - 10}">waves beyond ${formatNumber(map.concurrencyWidth)} wide →</text></g>`;
  return `<svg id="decision-map-chart" viewBox="0 0 ${width} ${height}" width="${width}" height="${height}" role="img" aria-label="${escapeHtml(`forecast fastest and cheapest strategy by task duration and width, parameter set ${map.parameterSet.name}`)}">
${titles}${columnLabels}${rowLabels}
${cells}
${concurrency}
</svg>`;
}

function legend(map: DecisionMap): string {
  const strategies = strategiesOf(map)
    .map(
      (strategy) =>
        `<span class="map-strategy" data-strategy="${escapeHtml(strategy)}"><span class="key" style="background:${colourOf(strategy)};width:14px;height:14px"></span><span class="key" style="background:${colourOf(strategy)};width:11px;border-radius:50%"></span>${escapeHtml(strategy)}</span>`,
    )
    .join("");
  const keys = [
    `<span><span class="key" style="background:${NONE}"></span>no strategy runs</span>`,
    `<span><span class="key" style="background:#fff;border:3px solid ${PAST_SYNC}"></span>${escapeHtml(PAST_SYNC_LABEL)}</span>`,
    `<span><span class="key" style="height:0;border-top:2px dashed ${PAST_SYNC};border-radius:0;vertical-align:3px"></span>${escapeHtml(`${CONCURRENCY_LABEL} ${formatNumber(map.concurrencyWidth)} wide`)}</span>`,
  ].join("");
  return `<div class="legend" id="decision-map-legend"><span><strong>fill: fastest · dot: cheapest</strong></span>${strategies}</div>
<div class="legend">${keys}</div>`;
}

/** The HTML report's section for a forecast decision map: modelled, never measured. */
export function renderDecisionMapSection(map: DecisionMap): string {
  const { name, date } = map.parameterSet;
  const regions = map.regions.map((region) => `<li>${escapeHtml(region)}</li>`).join("");
  const seconds = (map.sweepMs / 1000).toFixed(1);
  return `<section id="decision-map">
<h2>Decision map: the fastest and the cheapest strategy, forecast on AWS</h2>
<p class="latency-profile emulated modelled">MODELLED, not measured: a forecast from parameter set <code>${escapeHtml(name)}</code> of ${escapeHtml(date)}. No run on AWS produced these figures.</p>
<p class="note">A task fanning out to <em>width</em> tasks of the same duration, then one gathering them; one warm run per point, every figure at its median. Hover a cell for every strategy's wall and cost.</p>
<div class="panel">
${renderDecisionMapSvg(map)}
${legend(map)}
</div>
<ul class="note regions">${regions}</ul>
<p class="note sweep">sweep of ${formatNumber(map.points.length)} points × ${strategiesOf(map).length} strategies took ${seconds} s on this machine</p>
</section>`;
}
