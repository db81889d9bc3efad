/**
 * A "nice" step (1, 2 or 5 times a power of ten, at least 1) that cuts `span` into 4 to 8 ticks;
 * 0 when there is nothing to cut.
 */
export function niceStep(span: number): number {
  if (!(span > 0) || !Number.isFinite(span)) return 0;
  const exponent = Math.max(Math.floor(Math.log10(span / 8)), 0);
  for (let power = exponent; power <= exponent + 2; power += 1) {
    for (const mantissa of [1, 2, 5]) {
      const step = mantissa * 10 ** power;
      if (Math.floor(span / step) + 1 <= 8) return step;
    }
  }
  return 10 ** (exponent + 3);
}

/** Tick values from `low` (rounded up to a step) to `high`. */
export function ticksBetween(low: number, high: number, step: number): number[] {
  if (step <= 0) return [low];
  const first = Math.ceil(low / step) * step;
  const count = Math.floor((high - first) / step + 1e-9) + 1;
  return Array.from({ length: Math.max(count, 0) }, (_, index) => first + index * step);
}
