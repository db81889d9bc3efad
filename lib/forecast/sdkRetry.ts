import type { Environment } from "./lambdaService.js";

/**
 * The AWS SDK for JavaScript's standard retry strategy as it treats a throttled call, which the
 * orchestrators' Lambda clients keep on (@smithy/core 3.41.0, util-retry's StandardRetryStrategy
 * with its 2026 configuration, read 2026-12-06): at most 3 attempts; the n-th retry after a uniform
 * draw up to 1,000 ms x 2^(n-1) (20 s at most); each throttled retry paid from the client's
 * quota of 500 tokens at 5 a retry, a call that succeeds putting back its last retry's 5, or 1.
 * Once the quota is spent the 429 reaches the caller's own loop at once. A client lives as long
 * as its execution environment, so its quota carries over from run to run.
 */
export const SDK_THROTTLE_RETRY = {
  maxAttempts: 3,
  baseDelayMs: 1_000,
  maxDelayMs: 20_000,
  initialTokens: 500,
  throttledRetryCost: 5,
  successRefund: 1,
} as const;

export class SdkRetryQuota {
  private tokens: number = SDK_THROTTLE_RETRY.initialTokens;

  /**
   * How long the SDK waits before sending a throttled call again, having retried it `retries`
   * times already; undefined when it gives up and the 429 reaches the caller.
   */
  retryAfterThrottle(retries: number, uniform: () => number): number | undefined {
    const { maxAttempts, throttledRetryCost, baseDelayMs, maxDelayMs } = SDK_THROTTLE_RETRY;
    if (retries + 1 >= maxAttempts || this.tokens < throttledRetryCost) return undefined;
    this.tokens -= throttledRetryCost;
    return uniform() * Math.min(baseDelayMs * 2 ** retries, maxDelayMs);
  }

  /** The call succeeded after `retries` retries of the SDK's own. */
  succeeded(retries: number): void {
    const refund =
      retries > 0 ? SDK_THROTTLE_RETRY.throttledRetryCost : SDK_THROTTLE_RETRY.successRefund;
    this.tokens = Math.min(SDK_THROTTLE_RETRY.initialTokens, this.tokens + refund);
  }
}

const quotas = new WeakMap<Environment, SdkRetryQuota>();

/** The retry quota of the Lambda client in `environment` (one client per environment). */
export function sdkRetryQuotaOf(environment: Environment): SdkRetryQuota {
  let quota = quotas.get(environment);
  if (!quota) {
    quota = new SdkRetryQuota();
    quotas.set(environment, quota);
  }
  return quota;
}
