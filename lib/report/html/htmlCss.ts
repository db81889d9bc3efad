import { COLD, WARNING } from "./htmlShared.js";

export const CSS = `
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
  margin: 16px 0 0; padding: 12px 16px 12px 34px; font-size: 15px;
  background: #fff; border-left: 6px solid #1d2330; border-radius: 4px;
}
.verdict li + li { margin-top: 4px; }
.verdict li:first-child { font-size: 17px; font-weight: 600; }
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
.cost-table .state-machine-type { color: #5f6777; font-size: 12px; }
@media print {
  html, body { background: #fff; }
  main { max-width: none; padding: 0; }
  .panel, .verdict, table { border-color: #bbb; }
  .gantt-figure, .panel, table, svg { break-inside: avoid; page-break-inside: avoid; }
  h2 { break-after: avoid; }
}
`;
