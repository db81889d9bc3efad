import { performance } from "node:perf_hooks";
import type { Context } from "aws-lambda";
import { lambdaBilling } from "../lib/cost/lambdaBilling.js";
import type { Architecture, LambdaBilling } from "../lib/report/types.js";

/** Module state is per execution environment: the first invocation here is the cold start. */
let cold = true;

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
 * start, whose INIT runs from the environment's start to now), and the handler's duration until
 * `billing()` is called. Memory comes from the function's configuration via the context.
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
  const initMs = coldStart ? startedAt - performance.timeOrigin : 0;
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
