/** The HTML report's cost breakdown: a stacked bar per strategy and its table. */

import type { RunCost } from "../../runReport/types.js";
import type { StrategyComparison } from "../compareRuns.js";
import type { ReportDocument } from "../document.js";
import { stateMachineLabel } from "../text/describeStateMachine.js";
import { formatNumber } from "../text/formatNumber.js";
import { isFiniteNumber, swatch, usd } from "./htmlShared.js";
import { colourOf, coord, escapeHtml } from "./svg.js";

type CostComponent = Exclude<keyof RunCost, "totalUsd">;

const COST_COMPONENTS: ReadonlyArray<{ key: CostComponent; label: string; colour: string }> = [
  { key: "lambdaDurationUsd", label: "Lambda duration", colour: "#264653" },
  { key: "lambdaRequestsUsd", label: "Lambda requests", colour: "#2a9d8f" },
  { key: "sqsUsd", label: "SQS", colour: "#e9c46a" },
  { key: "apiGatewayUsd", label: "API Gateway", colour: "#f4a261" },
  { key: "stepFunctionsUsd", label: "Step Functions", colour: "#e76f51" },
  { key: "durableUsd", label: "Durable operations and data", colour: "#8e5ea2" },
];

const COST_CHART = { width: 1100, labelWidth: 110, totalWidth: 120, rowHeight: 28 } as const;

/* ------------------------------------------------------------------ cost breakdown */

/** "Step Functions Standard" where the strategy's state machine says which type it ran as. */
function componentName(entry: StrategyComparison, key: CostComponent, name: string): string {
  return key === "stepFunctionsUsd" && entry.stateMachine
    ? `${name} ${stateMachineLabel(entry.stateMachine)}`
    : name;
}

/** The Step Functions cell's workflow type, Standard with its transitions: how it was priced. */
function workflowTypeNote(entry: StrategyComparison, key: CostComponent): string {
  const machine = entry.stateMachine;
  if (key !== "stepFunctionsUsd" || !machine) return "";
  const transitions =
    machine.type === "standard" && machine.transitions !== undefined
      ? `, ${formatNumber(machine.transitions)} transitions`
      : "";
  return ` <span class="muted state-machine-type">${stateMachineLabel(machine)}${transitions}</span>`;
}

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
    const rect = `<rect x="${coord(x)}" y="${y + 2}" width="${coord(Math.max(segmentWidth, 1))}" height="18" fill="${colour}"><title>${escapeHtml(`${entry.strategy}: ${componentName(entry, key, name)} ${usd(value)}`)}</title></rect>`;
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
    const cells = COST_COMPONENTS.map(
      ({ key }) => `<td>${usd(breakdown[key])}${workflowTypeNote(entry, key)}</td>`,
    ).join("");
    return `<tr data-strategy="${escapeHtml(entry.strategy)}">${name}${cells}<td><strong>${usd(breakdown.totalUsd)}</strong></td></tr>`;
  });
  return `<table class="cost-table"><thead>${head}</thead><tbody>${rows.join("\n")}</tbody></table>`;
}

export function renderCostBreakdown(document: ReportDocument): string {
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
