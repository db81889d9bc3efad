/**
 * Money is summed in integer cents: adding 48,000 float revenues would drift by fractions of a
 * cent, and a merged total would then differ from the sum of its parts' rounded totals.
 */
export function toCents(amount: number): number {
  return Math.round(amount * 100);
}

export function fromCents(cents: number): number {
  return cents / 100;
}
