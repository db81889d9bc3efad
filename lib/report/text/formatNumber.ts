const integer = new Intl.NumberFormat("en-US", { maximumFractionDigits: 0 });

/**
 * Formats a count or a duration in ms for people: rounded, with thousands separators ("6,012").
 *
 * Shared by the table and the Gantt chart so that the same run reads the same in both.
 *
 * @example
 * formatNumber(6012.4); // "6,012"
 */
export function formatNumber(value: number): string {
  return integer.format(value);
}
/**
 * Formats a USD amount for people: cents for sums of a dollar or more ("$12.34"), three
 * significant digits below that ("$0.0000712"), since a single run costs millionths of a dollar.
 *
 * @example
 * formatUsd(0.00007123); // "$0.0000712"
 * formatUsd(71.234); // "$71.23"
 */
export function formatUsd(value: number): string {
  if (value === 0) return "$0";
  if (Math.abs(value) >= 1) return `$${value.toFixed(2)}`;
  // Three significant digits as a plain decimal (toPrecision would switch to 1.38e-4).
  const decimals = 2 - Math.floor(Math.log10(Math.abs(value)));
  return `$${value.toFixed(decimals)}`;
}

/** A ratio between two measurements: "1.50x". */
export function formatRatio(value: number): string {
  return `${value.toFixed(2)}x`;
}

/**
 * A payload size in decimal units, as sizes are stated in the payload benchmark (1 MB = 1,000,000
 * bytes; platform limits are quoted in exact bytes wherever they are enforced).
 *
 * @example
 * formatBytes(64_000); // "64 KB"
 */
export function formatBytes(bytes: number): string {
  const trim = (value: number): string => String(Math.round(value * 10) / 10);
  if (!Number.isFinite(bytes)) return "n/a";
  if (bytes >= 1_000_000) return `${trim(bytes / 1_000_000)} MB`;
  if (bytes >= 1_000) return `${trim(bytes / 1_000)} KB`;
  return `${trim(bytes)} B`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * A run id as a chart's heading shows it: a generated UUID by its first 8 characters (enough to
 * tell runs apart), a client's own id whole (its distinctive part may be anywhere in it).
 *
 * @example
 * shortRunId("3f2a9c1e-7b4d-4e0a-9c1f-5d6e7f8a9b0c"); // "3f2a9c1e"
 * shortRunId("compare-20261206T104500Z-ab12-queue-3"); // unchanged
 */
export function shortRunId(runId: string): string {
  return UUID.test(runId) ? runId.slice(0, 8) : runId;
}
