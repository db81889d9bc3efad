import { STRATEGIES, type StrategyName } from "../../strategies/names.js";

/** One colour per strategy (by its place in the registry), the same in every table and chart. */
const PALETTE = ["#4e79a7", "#e8790c", "#3f8f3a", "#9c5a94", "#b07aa1", "#76b7b2", "#edc948"];

export const colourOf = (strategy: StrategyName): string =>
  PALETTE[Math.max(STRATEGIES.indexOf(strategy), 0) % PALETTE.length] ?? "#5a6478";

/** Escapes text for HTML content and double- or single-quoted attribute values. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll("&", "&amp;")
    .replaceAll("<", "&lt;")
    .replaceAll(">", "&gt;")
    .replaceAll('"', "&quot;")
    .replaceAll("'", "&#39;");
}

export const clamp = (value: number, low: number, high: number): number =>
  Math.min(Math.max(value, low), high);

/** An SVG coordinate, to 0.1 unit. */
export const coord = (value: number): string =>
  Number.isFinite(value) ? String(Math.round(value * 10) / 10) : "0";
