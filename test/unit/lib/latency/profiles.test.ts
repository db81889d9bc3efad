import { describe, expect, it } from "vitest";
import { AWS_PARAMETERS } from "../../../../lib/forecast/awsParameters.js";
import { LOCAL_PARAMETERS } from "../../../../lib/forecast/localParameters.js";
import {
  AWS_LATENCY,
  describeLatencyProfile,
  drawLatencies,
  parseLatencyProfile,
  SQS_DELIVERY,
} from "../../../../lib/latency/profiles.js";

const percentile = (values: number[], p: number) => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};

describe("Module: latency profiles", () => {
  it.each([
    ["a short hop", { p50Ms: 12, p99Ms: 40, source: "test" }],
    ["a narrow one", { p50Ms: 129, p99Ms: 155, source: "test" }],
    ["a skewed one", { p50Ms: 16.2, p99Ms: 105, source: "test" }],
  ])("draws %s through its p50 and p99", (_name, figure) => {
    const draws = drawLatencies(figure, 7, 20_000);

    expect(percentile(draws, 50)).toBeGreaterThan(figure.p50Ms * 0.95);
    expect(percentile(draws, 50)).toBeLessThan(figure.p50Ms * 1.05);
    expect(percentile(draws, 99)).toBeGreaterThan(figure.p99Ms * 0.85);
    expect(percentile(draws, 99)).toBeLessThan(figure.p99Ms * 1.15);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
  });

  it("adds only what AWS takes beyond the local stack's own hop, never less than nothing", () => {
    for (const figure of [...Object.values(AWS_LATENCY), SQS_DELIVERY]) {
      expect(figure.p50Ms).toBeGreaterThanOrEqual(0);
      expect(figure.p99Ms).toBeGreaterThanOrEqual(figure.p50Ms);
    }
    const aws = AWS_PARAMETERS.sqs.deliveryToWorker.p50Ms;
    const local = LOCAL_PARAMETERS.sqs.deliveryToWorker.p50Ms;
    expect(AWS_LATENCY.sqsToLambda.p50Ms).toBeCloseTo(Math.max(0.1, aws - local), 5);
  });

  it("repeats the same draws for the same seed, and others for another", () => {
    const hop = { p50Ms: 12, p99Ms: 40, source: "test" };
    const first = drawLatencies(hop, 1, 50);

    expect(drawLatencies(hop, 1, 50)).toEqual(first);
    expect(drawLatencies(hop, 2, 50)).not.toEqual(first);
  });

  it("says plainly that the aws profile is emulated, not measured on AWS", () => {
    expect(describeLatencyProfile("aws")).toMatch(
      /EMULATED on the local stack \(not measured on AWS\)/,
    );
    expect(describeLatencyProfile("local")).toMatch(/no latency added/);
  });

  it("names every figure's source", () => {
    for (const figure of Object.values(AWS_LATENCY)) expect(figure.source).not.toBe("");
    // Each drawn from the forecast's aws set less what this machine already takes for the hop.
    expect(AWS_LATENCY.invokeHop.source).toMatch(/aws parameter set.*less the local set/);
  });

  it("refuses an unknown profile, listing the known ones", () => {
    expect(() => parseLatencyProfile("azure")).toThrow(/local, aws/);
  });
});
