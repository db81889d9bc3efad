import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { runStrategy } from "../../adapters/runsApiClient.js";
import { AWS_LATENCY, drawLatencies, type LatencyFigure } from "../../lib/latency/profiles.js";
import { LatencyControl } from "../../localEnvironment/latencyControl.js";

const apiUrl = inject("apiUrl");
/** Every /runs route is private (serverless.yml): the deployed key goes with each run. */
const api = { apiKey: inject("apiKey") };
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SEED = 42;

/**
 * The executor hands out the seed's draws in order, from the first after a switch: the
 * orchestrator's own invocation takes draw 0, the seed workflow's three tasks draws 1 to 3. Each
 * of the run's two levels waits for at least one of those three hops.
 */
const smallestTaskHop = (figure: LatencyFigure) =>
  Math.min(...drawLatencies(figure, SEED, 4).slice(1));

describe("the aws latency profile on the local stack", () => {
  // The profile lives in the file the Lambda executor watches: switched here, no restart.
  const latency = new LatencyControl(projectRoot);
  beforeAll(async () => {
    await runStrategy(apiUrl, "fanout", { scale: 0.05 }, api); // warm: no INIT in the measured runs
  });
  afterAll(() => latency.use("local", 1));

  it("adds at least the modelled invoke hop to every fan-out level", async () => {
    latency.use("aws", SEED);

    const report = await runStrategy(apiUrl, "fanout", { scale: 0.1 }, api);

    expect(report.status).toBe("succeeded");
    expect(report.levels).toBe(2);
    expect(report.overheadMs / report.levels).toBeGreaterThanOrEqual(
      smallestTaskHop(AWS_LATENCY.invokeHop),
    );
  });

  it("really delays every invocation: a 300 ms hop shows in each level, far above local noise", async () => {
    const slowHop = { p50Ms: 300, p99Ms: 330, source: "test" };
    latency.use("aws", SEED, { invokeHop: slowHop });

    const report = await runStrategy(apiUrl, "fanout", { scale: 0.1 }, api);

    expect(report.status).toBe("succeeded");
    expect(report.overheadMs / report.levels).toBeGreaterThanOrEqual(smallestTaskHop(slowHop));
  });
});
