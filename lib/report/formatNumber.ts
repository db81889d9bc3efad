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
