import { formatNumber, formatUsd } from "../text/formatNumber.js";

/** Failed and timed-out tasks, failed payload points. */
export const WARNING = "#d62728";
/** The outline of a task that paid a cold start. */
export const COLD = "#0b5cad";

export const isFiniteNumber = (value: number | undefined): value is number =>
  value !== undefined && Number.isFinite(value);

export const ms = (value: number | undefined): string =>
  isFiniteNumber(value) ? `${formatNumber(value)} ms` : "n/a";

export const plainMs = (value: number | undefined): string =>
  isFiniteNumber(value) ? formatNumber(value) : "n/a";

export const usd = (value: number | undefined): string =>
  isFiniteNumber(value) ? formatUsd(value) : "n/a";

const cents = new Intl.NumberFormat("en-US", {
  minimumFractionDigits: 2,
  maximumFractionDigits: 2,
});
export const usd2 = (value: number | undefined): string =>
  isFiniteNumber(value) ? `$${cents.format(value)}` : "n/a";

export const truncate = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(max - 1, 1))}…`;

export const swatch = (colour: string): string =>
  `<span class="swatch" style="background:${colour}"></span>`;
