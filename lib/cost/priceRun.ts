import type { DurableUsage, RunCost, RunUsage, StepFunctionsUsage } from "../runReport/types.js";
import type { Architecture } from "../tasks/types.js";
import {
  API_GATEWAY_REST_USD_PER_REQUEST,
  DAYS_PER_MONTH,
  DURABLE_BYTES_PER_GB,
  DURABLE_USD_PER_GB_MONTH_RETAINED,
  DURABLE_USD_PER_GB_WRITTEN,
  DURABLE_USD_PER_OPERATION,
  LAMBDA_USD_PER_GB_SECOND_ARM64,
  LAMBDA_USD_PER_GB_SECOND_X86,
  LAMBDA_USD_PER_REQUEST,
  SQS_USD_PER_REQUEST,
  STEP_FUNCTIONS_EXPRESS_USD_PER_GB_SECOND,
  STEP_FUNCTIONS_EXPRESS_USD_PER_REQUEST,
  STEP_FUNCTIONS_STANDARD_USD_PER_TRANSITION,
} from "./prices.js";

const USD_PER_GB_SECOND: Record<Architecture, number> = {
  arm64: LAMBDA_USD_PER_GB_SECOND_ARM64,
  x86_64: LAMBDA_USD_PER_GB_SECOND_X86,
};

/** Lambda duration charge of `billedMs` at a function's memory and architecture. */
export function lambdaGbSecondsUsd(
  billedMs: number,
  fn: { memoryMb: number; architecture: Architecture },
): number {
  return (billedMs / 1000) * (fn.memoryMb / 1024) * USD_PER_GB_SECOND[fn.architecture];
}

/**
 * Prices what a run used at AWS list prices (us-east-1, first tier, free tier ignored).
 *
 * Lambda duration is GB-s: (billed handler ms + billed INIT ms) / 1000 × memory MB / 1024, at the
 * architecture's price, for every invocation in `usage.lambda`: the orchestrator's own wait
 * included, which is what a synchronous orchestrator pays for idling. Requests are priced per
 * request; SQS requests, counted and estimated alike, are already in 64 KB chunks. A Standard
 * state machine execution is priced per state transition, an Express one per request and GB-s.
 *
 * @example
 * priceRun({ apiGatewayRequests: 1, lambda: [], sqsRequests: { counted: 0, estimated: 0 } });
 * // { totalUsd: 0.0000035, apiGatewayUsd: 0.0000035, ... }
 */
export function priceRun(usage: RunUsage): RunCost {
  const lambdaDurationUsd = usage.lambda.reduce(
    (sum, invocation) =>
      sum + lambdaGbSecondsUsd(invocation.billedMs + invocation.initMs, invocation),
    0,
  );
  const lambdaRequestsUsd = usage.lambda.length * LAMBDA_USD_PER_REQUEST;
  const sqsUsd = (usage.sqsRequests.counted + usage.sqsRequests.estimated) * SQS_USD_PER_REQUEST;
  const apiGatewayUsd = usage.apiGatewayRequests * API_GATEWAY_REST_USD_PER_REQUEST;
  const stepFunctionsUsd = (usage.stepFunctions ?? []).reduce(
    (sum, execution) => sum + priceStateMachineExecution(execution),
    0,
  );
  const durableUsd = usage.durable ? priceDurable(usage.durable) : 0;
  return {
    totalUsd:
      lambdaDurationUsd +
      lambdaRequestsUsd +
      sqsUsd +
      apiGatewayUsd +
      stepFunctionsUsd +
      durableUsd,
    lambdaDurationUsd,
    lambdaRequestsUsd,
    sqsUsd,
    apiGatewayUsd,
    stepFunctionsUsd,
    durableUsd,
  };
}

/**
 * One state machine execution: Standard per state transition (no request or duration charge),
 * Express per request plus GB-s of its billed duration and memory.
 */
export function priceStateMachineExecution(execution: StepFunctionsUsage): number {
  if (execution.type === "standard") {
    return execution.transitions * STEP_FUNCTIONS_STANDARD_USD_PER_TRANSITION;
  }
  return (
    STEP_FUNCTIONS_EXPRESS_USD_PER_REQUEST +
    (execution.billedDurationMs / 1000) *
      (execution.billedMemoryMb / 1024) *
      STEP_FUNCTIONS_EXPRESS_USD_PER_GB_SECOND
  );
}

/** A durable execution's own charges: operations, data written, and that data kept for its retention. */
export function priceDurable(durable: DurableUsage): number {
  const gigabytes = durable.bytesWritten / DURABLE_BYTES_PER_GB;
  return (
    durable.operations * DURABLE_USD_PER_OPERATION +
    gigabytes * DURABLE_USD_PER_GB_WRITTEN +
    gigabytes * (durable.retentionDays / DAYS_PER_MONTH) * DURABLE_USD_PER_GB_MONTH_RETAINED
  );
}
