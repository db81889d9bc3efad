/**
 * Capped exponential backoff with jitter, the one retry pacing of the project: `first × 2^attempt`
 * capped at `max`, of which a random half to whole is waited, so that many callers refused at
 * once do not come back at once.
 *
 * @example
 * backoffCeilingMs(3, { firstMs: 50, maxMs: 1000 }); // 400
 * jitteredMs(400); // 200..400
 */
export function backoffCeilingMs(
  attempt: number,
  { firstMs, maxMs }: { firstMs: number; maxMs: number },
): number {
  return Math.min(maxMs, firstMs * 2 ** attempt);
}

/** A random wait from half of `ceilingMs` to all of it ("equal jitter"). */
export function jitteredMs(ceilingMs: number, random: () => number = Math.random): number {
  return (0.5 + random() / 2) * ceilingMs;
}
