/** Milliseconds per unit a duration may be written in. */
const UNIT_MS = { ms: 1, s: 1000, m: 60_000, min: 60_000 } as const;
type DurationUnit = keyof typeof UNIT_MS;

/**
 * A duration as people write it on a command line, in ms: `1500ms`, `2s`, `1.5s`, `3m` (or
 * `3min`); a plain number is in `plainUnit`, and is refused when none is given (a latency
 * target's `2` could mean seconds or ms: better to ask than to guess).
 *
 * @throws Error saying what was expected, for the caller to attach to its flag.
 * @example
 * parseDuration("3m"); // 180000
 * parseDuration("90", { plainUnit: "s" }); // 90000
 */
export function parseDuration(
  text: string,
  { plainUnit }: { plainUnit?: DurationUnit } = {},
): number {
  const match = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|min|m)?\s*$/.exec(text);
  const unit = (match?.[2] as DurationUnit | undefined) ?? plainUnit;
  const value = match ? Number(match[1]) : Number.NaN;
  if (!match || unit === undefined || !(value > 0)) {
    const plain = plainUnit ? ` (a plain number is in ${plainUnit})` : "";
    throw new Error(`expected a duration such as 1500ms, 2s or 3m${plain}; got '${text}'`);
  }
  return value * UNIT_MS[unit];
}

/**
 * A duration for people, to the second: "45 s", "1m 58s", "12m".
 *
 * @example
 * formatDuration(118_400); // "1m 58s"
 */
export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.floor(seconds / 60);
  const rest = seconds % 60;
  return rest === 0 ? `${minutes}m` : `${minutes}m ${rest}s`;
}
