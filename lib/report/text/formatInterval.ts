import { formatNumber, formatUsd } from "./formatNumber.js";

const percent = new Intl.NumberFormat("en-US", { maximumFractionDigits: 2 });

/**
 * An interval for people: "812–901" when both ends are positive, "-40 to 56" when the low end is
 * negative (a dash between a minus and a number would read as a second minus).
 *
 * @example
 * formatRange(812.4, 901); // "812–901"
 * formatRange(-40, 56); // "-40 to 56"
 */
export function formatRange(
  low: number,
  high: number,
  format: (value: number) => string = formatNumber,
): string {
  return low < 0 ? `${format(low)} to ${format(high)}` : `${format(low)}–${format(high)}`;
}

/** A USD amount that may be negative: "-$1.20", never "$-1.20". */
export function formatSignedUsd(value: number): string {
  return value < 0 ? `-${formatUsd(-value)}` : formatUsd(value);
}

/**
 * A probability as a percentage, to at most two decimals.
 *
 * @example
 * formatCoverage(0.978515625); // "97.85 %"
 * formatCoverage(0.75); // "75 %"
 */
export function formatCoverage(coverage: number): string {
  return `${percent.format(coverage * 100)} %`;
}
