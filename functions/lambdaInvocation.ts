import { performance } from "node:perf_hooks";
import type { Context } from "aws-lambda";
import { lambdaBilling } from "../lib/cost/lambdaBilling.js";
import type { Architecture, LambdaBilling } from "../lib/tasks/types.js";

/** Module state is per execution environment: the first invocation here is the cold start. */
let cold = true;

/**
 * When this environment began loading our code: the bundle's first statement sets it (the esbuild
 * banner in serverless.yml); unbundled (tests), the process start stands in.
 */
const loadStartedAt =
  (globalThis as { LAB_BUNDLE_STARTED_AT?: number }).LAB_BUNDLE_STARTED_AT ??
  performance.timeOrigin;

export interface LambdaInvocation {
  coldStart: boolean;
  /** Ends the measurement: what this invocation is billed for, so far. */
  billing(): LambdaBilling;
}

/** serverless.yml passes the provider's architecture; Lambda's own default is x86_64. */
function configuredArchitecture(): Architecture {
  return process.env.LAMBDA_ARCHITECTURE === "arm64" ? "arm64" : "x86_64";
}

/**
 * Starts measuring one invocation of this Lambda: whether it is the environment's first (a cold
 * start), and the handler's duration until `billing()` is called. Memory comes from the function's
 * configuration via the context.
 *
 * A cold start's INIT is measured from the moment the bundle began loading to this first
 * invocation: module loading, the part of INIT our code controls and the same measure on AWS and
 * locally. The runtime's own start before it (tens of ms on AWS) cannot be seen from inside and is
 * left out, so billed INIT is a lower bound.
 *
 * @example
 * const invocation = startInvocation(context);
 * // ... the handler's work ...
 * return { ...result, coldStart: invocation.coldStart, billing: invocation.billing() };
 */
export function startInvocation(context: Context, now: () => number = Date.now): LambdaInvocation {
  const startedAt = now();
  const coldStart = cold;
  cold = false;
  const initMs = coldStart ? startedAt - loadStartedAt : 0;
  return {
    coldStart,
    billing: () =>
      lambdaBilling({
        memoryMb: Number(context.memoryLimitInMB),
        architecture: configuredArchitecture(),
        handlerMs: now() - startedAt,
        initMs,
      }),
  };
}
