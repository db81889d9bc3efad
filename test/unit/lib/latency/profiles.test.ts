import { describe, expect, it } from "vitest";
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
    ["the invoke hop", AWS_LATENCY.invokeHop],
    ["a cold start's INIT", AWS_LATENCY.coldStartInit],
    ["SQS delivery", SQS_DELIVERY],
  ])("draws %s through its published p50 and p99", (_name, figure) => {
    const draws = drawLatencies(figure, 7, 20_000);

    expect(percentile(draws, 50)).toBeGreaterThan(figure.p50Ms * 0.95);
    expect(percentile(draws, 50)).toBeLessThan(figure.p50Ms * 1.05);
    expect(percentile(draws, 99)).toBeGreaterThan(figure.p99Ms * 0.85);
    expect(percentile(draws, 99)).toBeLessThan(figure.p99Ms * 1.15);
    expect(Math.min(...draws)).toBeGreaterThanOrEqual(0);
  });

  it("repeats the same draws for the same seed, and others for another", () => {
    const first = drawLatencies(AWS_LATENCY.invokeHop, 1, 50);

    expect(drawLatencies(AWS_LATENCY.invokeHop, 1, 50)).toEqual(first);
    expect(drawLatencies(AWS_LATENCY.invokeHop, 2, 50)).not.toEqual(first);
  });

  it("says plainly that the aws profile is emulated, not measured on AWS", () => {
    expect(describeLatencyProfile("aws")).toMatch(
      /EMULATED on the local stack \(not measured on AWS\)/,
    );
    expect(describeLatencyProfile("local")).toMatch(/no latency added/);
  });

  it("names every figure's source", () => {
    for (const figure of Object.values(AWS_LATENCY)) expect(figure.source).not.toBe("");
    expect(AWS_LATENCY.invokeHop.source).toMatch(/^assumption/);
  });

  it("refuses an unknown profile, listing the known ones", () => {
    expect(() => parseLatencyProfile("azure")).toThrow(/local, aws/);
  });
});
