import type { Architecture, LambdaBilling } from "../tasks/types.js";
import { LAMBDA_BILLING_GRANULARITY_MS, LAMBDA_MAX_INIT_MS } from "./prices.js";

const roundUp = (ms: number): number =>
  Math.ceil(Math.max(ms, 0) / LAMBDA_BILLING_GRANULARITY_MS) * LAMBDA_BILLING_GRANULARITY_MS;

/**
 * What Lambda bills one invocation for, from spans measured inside the function: the handler's
 * duration rounded up to 1 ms, and on a cold start the INIT phase, which is billed since
 * 2025-08-01.
 *
 * `initMs` is what the function measured of its INIT (functions/lambdaInvocation.ts: from the
 * bundle's first statement to the first invocation). It is capped at Lambda's 10 s INIT limit: a
 * longer gap means the environment was initialised ahead of time and waited idle.
 *
 * @example
 * lambdaBilling({ memoryMb: 1024, architecture: "arm64", handlerMs: 2000.2, initMs: 131.5 });
 * // { memoryMb: 1024, architecture: "arm64", billedMs: 2001, initMs: 132 }
 */
export function lambdaBilling(measured: {
  memoryMb: number;
  architecture: Architecture;
  handlerMs: number;
  initMs: number;
}): LambdaBilling {
  return {
    memoryMb: measured.memoryMb,
    architecture: measured.architecture,
    billedMs: roundUp(measured.handlerMs),
    initMs: roundUp(Math.min(measured.initMs, LAMBDA_MAX_INIT_MS)),
  };
}
