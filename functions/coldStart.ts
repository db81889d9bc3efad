let cold = true;

/** True on the first call in this execution environment, false after: one cold start each. */
export function takeColdStart(): boolean {
  const wasCold = cold;
  cold = false;
  return wasCold;
}
