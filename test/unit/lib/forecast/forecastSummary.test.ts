import { describe, expect, it } from "vitest";
import { AWS_PARAMETERS } from "../../../../lib/forecast/awsParameters.js";
import {
  forecastStrategies,
  parseRate,
  SECONDS_PER_MONTH,
} from "../../../../lib/forecast/forecastSummary.js";
import { ownFunctionFactsFrom } from "../../../../lib/forecast/ownFunctionFacts.js";
import { assumptionsOf } from "../../../../lib/forecast/parameters.js";
import { STRATEGY_REGISTRY, strategyNamed } from "../../../../lib/strategies/registry.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import { aRunReport, aTaskReport } from "../../../helpers/factories.js";
import { independentTasks } from "../../../helpers/forecast.js";
import { fixedPlatform, sharedCpu } from "../../../helpers/forecastParameters.js";

describe("Function: parseRate", () => {
  it.each([
    ["50/s", 50],
    ["120/min", 2],
    ["1e6/day", 1e6 / 86_400],
    ["2592000/month", 1],
  ])("reads %s as runs per second", (text, perSecond) => {
    expect(parseRate(text)).toBeCloseTo(perSecond, 9);
  });

  it.each(["fast", "0/s", "-5/s", "10/fortnight", "10"])(
    "refuses '%s', saying what it expects",
    (text) => {
      expect(() => parseRate(text)).toThrow(/e\.g\. 50\/s/);
    },
  );
});

describe("Function: assumptionsOf", () => {
  it("lists every figure of the aws set that no measurement backs, by its path", () => {
    const assumptions = assumptionsOf(AWS_PARAMETERS);

    expect(assumptions).toContain("lambda.invokeRequest");
    expect(assumptions).toContain("lambda.idleReapMs");
    expect(assumptions).not.toContain("sqs.deliveryToWorker");
    expect(assumptions).not.toContain("durable.checkpoint");
  });

  it("finds none in a set measured throughout", () => {
    expect(assumptionsOf(fixedPlatform())).toEqual([]);
  });
});

describe("Function: forecastStrategies", () => {
  it("forecasts each strategy's p50 and p95 wall, its interval and its cost, seeded", () => {
    const forecast = forecastStrategies(SEED_WORKFLOW, STRATEGY_REGISTRY, {
      parameters: AWS_PARAMETERS,
      runs: 20,
      seed: 3,
      scale: 0.1,
    });

    expect(forecast.parameterSet.name).toBe("aws");
    expect(forecast.parameterSet.assumptions.length).toBeGreaterThan(0);
    expect(forecast.strategies.map((entry) => entry.strategy)).toEqual(
      STRATEGY_REGISTRY.map((entry) => entry.name),
    );
    for (const entry of forecast.strategies) {
      expect(entry.runs).toBe(20);
      expect(entry.wallMs?.p95).toBeGreaterThanOrEqual(entry.wallMs?.p50 ?? Number.NaN);
      expect(entry.wallMs?.interval?.coverage).toBeGreaterThanOrEqual(0.95);
      expect(entry.costPerMillionRunsUsd).toBeCloseTo((entry.costPerRunUsd ?? 0) * 1e6, 6);
    }
    const again = forecastStrategies(SEED_WORKFLOW, STRATEGY_REGISTRY, {
      parameters: AWS_PARAMETERS,
      runs: 20,
      seed: 3,
      scale: 0.1,
    });
    expect(again).toEqual(forecast);
  });

  it("names the limit when every run of a strategy stops at it", () => {
    const wide = { tasks: independentTasks(1499, 10) };

    const forecast = forecastStrategies(wide, [strategyNamed("durable")], {
      parameters: fixedPlatform(),
      runs: 2,
      seed: 1,
      scale: 1,
    });

    expect(forecast.strategies[0]?.failed).toBe(2);
    expect(forecast.strategies[0]?.error).toMatch(/durable operations per execution.*3,000/);
  });

  it("prices a month of runs at the rate given, from runs sharing one platform", () => {
    const forecast = forecastStrategies(SEED_WORKFLOW, [strategyNamed("fanout")], {
      parameters: AWS_PARAMETERS,
      runs: 5,
      seed: 1,
      scale: 0.1,
      ratePerSecond: 2,
      rateRuns: 40,
    });

    const rate = forecast.rate?.strategies[0];
    expect(forecast.rate?.runsPerMonth).toBe(2 * SECONDS_PER_MONTH);
    expect(rate?.monthlyUsd).toBeCloseTo((rate?.costPerRunUsd ?? 0) * 2 * SECONDS_PER_MONTH, 6);
    // In the steady state at 2 runs a second, the environments stay warm.
    expect(rate?.coldRunShare).toBe(0);
  });

  it("finds every run cold when runs come further apart than the platform keeps environments", () => {
    const forecast = forecastStrategies(SEED_WORKFLOW, [strategyNamed("fanout")], {
      parameters: AWS_PARAMETERS,
      runs: 5,
      seed: 1,
      scale: 0.1,
      ratePerSecond: 1 / 3600,
      rateRuns: 20,
    });

    expect(forecast.rate?.strategies[0]?.coldRunShare).toBeGreaterThan(0.8);
  });
});

describe("Function: ownFunctionFactsFrom", () => {
  const ownTask = (durationMs: number, memoryMb = 1024) =>
    aTaskReport({
      id: "summarize",
      fn: undefined,
      function: "sales-summarize",
      startedAt: 0,
      endedAt: durationMs,
      bytesOut: 300,
      billing: { memoryMb, architecture: "arm64", billedMs: durationMs, initMs: 0 },
    });

  it("takes each own function's shortest run as its work, on this machine at a full core", () => {
    const runs = [
      aRunReport({ strategy: "fanout", tasks: [ownTask(1200)] }),
      aRunReport({ strategy: "sequential", tasks: [ownTask(400)] }),
    ];

    const facts = ownFunctionFactsFrom(runs, sharedCpu(2)).get("summarize");

    expect(facts?.workMs).toBe(400);
    expect(facts?.memoryMb).toBe(1024);
    expect(facts?.bytesOut).toBe(300);
  });

  it("turns a duration measured on AWS into work at a full core by the memory's share", () => {
    const facts = ownFunctionFactsFrom(
      [aRunReport({ tasks: [ownTask(1769, 884.5)] })],
      AWS_PARAMETERS.cpu,
    ).get("summarize");

    expect(facts?.workMs).toBeCloseTo(884.5, 6);
  });

  it("leaves out built-in tasks and failed runs of own functions", () => {
    const failed = { ...ownTask(100), status: "failed" as const };
    expect(
      ownFunctionFactsFrom([aRunReport({ tasks: [aTaskReport(), failed] })], sharedCpu(2)).size,
    ).toBe(0);
  });
});
