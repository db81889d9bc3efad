import { describe, expect, it } from "vitest";
import { SDK_THROTTLE_RETRY, SdkRetryQuota } from "../../../../lib/forecast/sdkRetry.js";

const ALMOST_ONE = () => 0.999_999;

describe("The SDK's standard retry of a throttled call, as the forecast models it", () => {
  it("retries a call at most twice (3 attempts), within 1 s and then 2 s", () => {
    // Prepare
    const quota = new SdkRetryQuota();

    // Act
    const delays = [0, 1, 2].map((retries) => quota.retryAfterThrottle(retries, ALMOST_ONE));

    // Assess
    expect(delays[0]).toBeGreaterThan(999);
    expect(delays[0]).toBeLessThan(1000);
    expect(delays[1]).toBeGreaterThan(1999);
    expect(delays[1]).toBeLessThan(2000);
    expect(delays[2]).toBeUndefined();
  });

  it("stops retrying once its quota of 500 tokens is spent, 5 a retry", () => {
    // Prepare
    const quota = new SdkRetryQuota();
    const affordable = SDK_THROTTLE_RETRY.initialTokens / SDK_THROTTLE_RETRY.throttledRetryCost;

    // Act
    const granted = Array.from({ length: affordable + 1 }, () =>
      quota.retryAfterThrottle(0, ALMOST_ONE),
    );

    // Assess
    expect(affordable).toBe(100);
    expect(granted.slice(0, affordable).every((delay) => delay !== undefined)).toBe(true);
    expect(granted[affordable]).toBeUndefined();
  });

  it("earns a retry back with a call that succeeds after one, and 1 token with one that did not", () => {
    // Prepare: a spent quota
    const quota = new SdkRetryQuota();
    while (quota.retryAfterThrottle(0, ALMOST_ONE) !== undefined);

    // Act
    quota.succeeded(1);
    const afterRetriedSuccess = quota.retryAfterThrottle(0, ALMOST_ONE);
    for (let index = 0; index < 4; index += 1) quota.succeeded(0);
    const afterFourPlain = quota.retryAfterThrottle(0, ALMOST_ONE);
    quota.succeeded(0);
    const afterFivePlain = quota.retryAfterThrottle(0, ALMOST_ONE);

    // Assess
    expect(afterRetriedSuccess).toBeDefined();
    expect(afterFourPlain).toBeUndefined();
    expect(afterFivePlain).toBeDefined();
  });
});
