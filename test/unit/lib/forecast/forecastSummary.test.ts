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
    ["3 / sec", 3],
    ["4/second", 4],
    ["60/minute", 1],
    ["7200/h", 2],
    ["3600/hour", 1],
    [" 2.5e1/s ", 25],
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

  it("gives the median overhead of the runs, and no cost when the runs carry none", () => {
    // Prepare: every latency 0 and no cost model's usage beyond Lambda's
    const forecast = forecastStrategies(
      { tasks: independentTasks(3, 100) },
      [strategyNamed("fanout")],
      { parameters: fixedPlatform({ "lambda.invokeRequest": 10 }), runs: 3, seed: 1, scale: 1 },
    );

    // Assess: three invokes of 10 ms each way in, in parallel
    const entry = forecast.strategies[0];
    expect(entry?.failed).toBe(0);
    expect(entry?.overheadMs).toBeCloseTo(10, 6);
    expect(entry?.wallMs?.p50).toBeCloseTo(110, 6);
    expect(entry?.wallMs?.p95).toBeCloseTo(110, 6);
  });

  it("counts the failed runs among those simulated, and forecasts from the rest", () => {
    // Prepare: a task that fails its first attempt, with no retry: every run fails
    const failing = {
      tasks: [{ id: "a", fn: "queryData" as const, deps: [], durationMs: 10, fail: "boom" }],
    };

    // Act
    const forecast = forecastStrategies(failing, [strategyNamed("sequential")], {
      parameters: fixedPlatform(),
      runs: 4,
      seed: 1,
      scale: 1,
    });

    // Assess
    const entry = forecast.strategies[0];
    expect(entry?.runs).toBe(4);
    expect(entry?.failed).toBe(4);
    expect(entry?.wallMs).toBeUndefined();
    expect(entry?.error).toMatch(/^\S+: /);
  });

  it("forecasts own functions from the facts given: their work, not a built-in task's", () => {
    // Prepare
    const workflow = { tasks: [{ id: "own", function: "my-fn", deps: [] }] };
    const ownFunctions = new Map([
      [
        "own",
        {
          workMs: 500,
          memoryMb: 1769,
          architecture: "arm64" as const,
          bytesOut: 10,
          source: "test",
        },
      ],
    ]);

    // Act
    const forecast = forecastStrategies(workflow, [strategyNamed("sequential")], {
      parameters: fixedPlatform(),
      runs: 2,
      seed: 1,
      scale: 1,
      ownFunctions,
    });

    // Assess
    expect(forecast.strategies[0]?.wallMs?.p50).toBeCloseTo(500, 6);
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
    expect(forecast.rate?.perSecond).toBe(2);
    expect(forecast.rate?.runs).toBe(40);
    expect(rate?.failed).toBe(0);
    expect(rate?.wallP95Ms).toBeGreaterThanOrEqual(rate?.wallP50Ms ?? Number.POSITIVE_INFINITY);
    expect(rate?.wallP50Ms).toBeGreaterThan(0);
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

  it("keeps the shortest run whichever comes first, and the largest output of any", () => {
    // Prepare: the shortest first, a longer one with a larger output after
    const runs = [
      aRunReport({ strategy: "sequential", tasks: [ownTask(400)] }),
      aRunReport({ strategy: "fanout", tasks: [{ ...ownTask(900), bytesOut: 5000 }] }),
    ];

    // Act
    const facts = ownFunctionFactsFrom(runs, sharedCpu(2)).get("summarize");

    // Assess
    expect(facts?.workMs).toBe(400);
    expect(facts?.bytesOut).toBe(5000);
    expect(facts?.source).toBe(
      "measured: the shortest of sequential and the other runs given (the task's own span)",
    );
  });

  it("measures a span from its start, not from 0, and says where a REPORT line measured it", () => {
    // Prepare
    const task = {
      ...ownTask(0),
      startedAt: 10_000,
      endedAt: 10_250,
      measurement: { source: "REPORT line" },
    } as ReturnType<typeof ownTask>;

    // Act
    const facts = ownFunctionFactsFrom([aRunReport({ tasks: [task] })], sharedCpu(2)).get(
      "summarize",
    );

    // Assess
    expect(facts?.workMs).toBe(250);
    expect(facts?.source).toMatch(/\(REPORT line\)$/);
  });

  it("takes the billed duration when the span is missing, and skips a task with neither", () => {
    // Prepare
    const billedOnly = { ...ownTask(0), startedAt: undefined, endedAt: undefined };
    billedOnly.billing = { memoryMb: 512, architecture: "x86_64", billedMs: 300, initMs: 0 };
    const unmeasured = { ...billedOnly, id: "other", billing: undefined };

    // Act
    const facts = ownFunctionFactsFrom(
      [aRunReport({ tasks: [billedOnly, unmeasured] })],
      sharedCpu(2),
    );

    // Assess
    expect(facts.get("summarize")).toMatchObject({
      workMs: 300,
      memoryMb: 512,
      architecture: "x86_64",
    });
    expect(facts.has("other")).toBe(false);
  });

  it("takes the unmeasured defaults of memory and architecture when the run gave none", () => {
    // Prepare: a span but no billing
    const task = { ...ownTask(200), billing: undefined };

    // Act
    const facts = ownFunctionFactsFrom([aRunReport({ tasks: [task] })], sharedCpu(2)).get(
      "summarize",
    );

    // Assess
    expect(facts?.memoryMb).toBe(1024);
    expect(facts?.architecture).toBe("arm64");
  });

  it("leaves out built-in tasks and failed runs of own functions", () => {
    const failed = { ...ownTask(100), status: "failed" as const };
    expect(
      ownFunctionFactsFrom([aRunReport({ tasks: [aTaskReport(), failed] })], sharedCpu(2)).size,
    ).toBe(0);
  });
});
