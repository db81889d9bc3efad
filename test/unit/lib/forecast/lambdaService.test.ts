import { describe, expect, it } from "vitest";
import { LambdaService, type SimulatedFunction } from "../../../../lib/forecast/lambdaService.js";
import { Simulation } from "../../../../lib/forecast/simulation.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import {
  forecast,
  forecastOne,
  independentTasks,
  peakConcurrency,
  taskIn,
  taskOf,
} from "../../../helpers/forecast.js";
import { type FixedOverrides, fixedPlatform } from "../../../helpers/forecastParameters.js";

const HOP_MS = 5;
/** Generous: 2,000 tasks of 1 s take a few seconds, the synchronous budget is 27.5 s. */
const BUDGET_MS = 600_000;

const fnNamed = (name: string): SimulatedFunction => ({
  name,
  role: "task",
  memoryMb: 1024,
  architecture: "arm64",
});

const serviceOn = (overrides: FixedOverrides = {}) => {
  const simulation = new Simulation(1, "median");
  return { simulation, lambda: new LambdaService(simulation, fixedPlatform(overrides)) };
};

describe("Forecast of the account's concurrency", () => {
  it("runs 1,998 tasks of 1 s in two waves at 1,000: the orchestrator holds the thousandth", () => {
    // Prepare
    const parameters = fixedPlatform({ "lambda.invokeRequest": HOP_MS });

    // Act
    const run = forecastOne("fanout", { tasks: independentTasks(1998, 1000) }, parameters, {
      budgetMs: BUDGET_MS,
    });

    // Assess
    expect(run.report.status).toBe("succeeded");
    expect(run.report.wallMs).toBeGreaterThanOrEqual(2000);
    expect(run.report.wallMs).toBeLessThan(2500);
    expect(peakConcurrency(run.report.tasks)).toBe(999);
    // 999 refused at once, and refused again when the SDK's quota retried 100 of them (500
    // tokens at 5 a retry) before the first wave ended.
    expect(run.throttles).toBe(999 + 100);
    // The second wave runs in the first wave's environments, warm.
    expect(run.coldStarts).toBe(1 + 999);
  });

  it("needs a third wave for 2,000 tasks at 1,000: the orchestrator's environment counts too", () => {
    // Prepare
    const parameters = fixedPlatform({ "lambda.invokeRequest": HOP_MS });

    // Act
    const run = forecastOne("fanout", { tasks: independentTasks(2000, 1000) }, parameters, {
      budgetMs: BUDGET_MS,
    });

    // Assess
    expect(run.report.status).toBe("succeeded");
    expect(run.report.wallMs).toBeGreaterThanOrEqual(3000);
    expect(peakConcurrency(run.report.tasks)).toBe(999);
  });

  it("runs 2,000 tasks of 1 s in one wave when the account allows 2,001", () => {
    // Prepare
    const parameters = fixedPlatform({
      "lambda.invokeRequest": HOP_MS,
      "lambda.accountConcurrency": 2001,
      "lambda.scalingPer10s": 2000,
    });

    // Act
    const run = forecastOne("fanout", { tasks: independentTasks(2000, 1000) }, parameters, {
      budgetMs: BUDGET_MS,
    });

    // Assess
    expect(run.report.wallMs).toBeCloseTo(1000 + HOP_MS, 6);
    expect(run.throttles).toBe(0);
    expect(peakConcurrency(run.report.tasks)).toBe(2000);
  });

  it("retries a refused invoke after the SDK's own backoff first, not when a unit frees", () => {
    // Prepare: the orchestrator and 2 tasks fit; the third task's invoke is refused
    const parameters = fixedPlatform({
      "lambda.invokeRequest": HOP_MS,
      "lambda.accountConcurrency": 3,
    });

    // Act
    const run = forecastOne("fanout", { tasks: independentTasks(3, 100) }, parameters, {
      budgetMs: BUDGET_MS,
    });

    // Assess: the SDK waits a draw of up to 1 s (then 2 s) before it sends the invoke again; a
    // freed unit would have started it at 100 ms + the hop
    const refused = run.report.tasks.find((task) => (task.invokeRetries ?? 0) > 0);
    expect(run.report.status).toBe("succeeded");
    expect(refused?.startedAt).toBeGreaterThan(run.report.startedAt + 100 + 2 * HOP_MS + 1);
  });

  it("starts no more of one function's environments in 10 s than its scaling rate allows", () => {
    // Prepare: 30 tasks of 1 s, 10 new environments per 10 s
    const parameters = fixedPlatform({ "lambda.scalingPer10s": 10 });

    // Act
    const run = forecastOne("fanout", { tasks: independentTasks(30, 1000) }, parameters, {
      budgetMs: BUDGET_MS,
    });

    // Assess: ten at a time, each wave in the first wave's environments
    expect(run.report.status).toBe("succeeded");
    expect(peakConcurrency(run.report.tasks)).toBe(10);
    expect(run.report.wallMs).toBeGreaterThanOrEqual(3000);
    expect(run.coldStarts).toBe(1 + 10);
  });
});

describe("Forecast of warm and cold environments", () => {
  const COLD = { "lambda.init.task": 50, "lambda.init.orchestrator": 50 } as const;

  it("reuses a warm environment: the second run back to back starts none", () => {
    // Act
    const [first, second] = forecast(
      "fanout",
      { tasks: [taskOf("a", [], 100)] },
      fixedPlatform(COLD),
      {
        runs: 2,
      },
    );

    // Assess
    expect(first?.coldStarts).toBe(2); // the orchestrator and the task's
    expect(first?.report.wallMs).toBeCloseTo(150, 6);
    expect(second?.coldStarts).toBe(0);
    expect(second?.report.coldStarts).toBe(0);
    expect(second?.report.wallMs).toBeCloseTo(100, 6);
  });

  /** writeLog, then queryData for 500 ms, then writeLog again: its environment idles ~550 ms. */
  const IDLE_BETWEEN: Workflow = {
    tasks: [
      taskOf("a", [], 100),
      taskOf("b", ["a"], 500, { fn: "queryData" }),
      taskOf("c", ["b"], 100),
    ],
  };

  it("reaps an environment idle longer than idleReapMs: its next task starts cold", () => {
    // Act
    const run = forecastOne(
      "fanout",
      IDLE_BETWEEN,
      fixedPlatform({ ...COLD, "lambda.idleReapMs": 400 }),
    );

    // Assess
    expect(taskIn(run, "c").coldStart).toBe(true);
    expect(run.coldStarts).toBe(4);
    expect(run.report.wallMs).toBeCloseTo(3 * (50 + 100) + 400, 6);
  });

  it("keeps an environment idle less than idleReapMs: its next task starts warm", () => {
    // Act
    const run = forecastOne(
      "fanout",
      IDLE_BETWEEN,
      fixedPlatform({ ...COLD, "lambda.idleReapMs": 1000 }),
    );

    // Assess
    expect(taskIn(run, "c").coldStart).toBe(false);
    expect(run.coldStarts).toBe(3);
  });
});

describe("Class: LambdaService", () => {
  it("refuses a new environment once the account's concurrency is in use, and gives it back on release", () => {
    // Prepare
    const { lambda } = serviceOn({ "lambda.accountConcurrency": 2 });
    const first = lambda.acquire(fnNamed("a"));
    lambda.acquire(fnNamed("b"));

    // Act
    const refused = lambda.acquire(fnNamed("c"));
    if (first) lambda.release(first.environment);
    const afterRelease = lambda.acquire(fnNamed("c"));

    // Assess
    expect(refused).toBeUndefined();
    expect(afterRelease).toBeDefined();
    expect(lambda.coldStarts).toBe(3);
  });

  it("hands a released environment to the next invoke of its function, warm, and not after a crash", () => {
    // Prepare
    const { lambda } = serviceOn({ "lambda.init.task": 80 });
    const first = lambda.acquire(fnNamed("a"));
    const crashed = lambda.acquire(fnNamed("a"));
    if (!first || !crashed) throw new Error("no environment");

    // Act
    lambda.release(first.environment);
    lambda.release(crashed.environment, true);
    const warm = lambda.acquire(fnNamed("a"));
    const cold = lambda.acquire(fnNamed("a"));

    // Assess
    expect(first.initMs).toBeCloseTo(80, 6);
    expect(warm?.environment).toBe(first.environment);
    expect(warm?.initMs).toBe(0);
    expect(cold?.environment).not.toBe(crashed.environment);
    expect(cold?.initMs).toBeCloseTo(80, 6);
  });

  it("runs a handler after INIT on a cold start and bills its duration rounded up to the ms", () => {
    // Prepare
    const { simulation, lambda } = serviceOn({
      "lambda.init.task": 40,
      "lambda.coldPlacement": 10,
    });
    const records: Array<{
      startedAt?: number;
      endedAt?: number;
      coldStart: boolean;
      billedMs?: number;
    }> = [];

    // Act
    lambda.runHandler(
      fnNamed("a"),
      (_handler, finish) => simulation.after(99.5, () => finish()),
      (record) =>
        records.push({
          ...(record.startedAt === undefined ? {} : { startedAt: record.startedAt }),
          ...(record.endedAt === undefined ? {} : { endedAt: record.endedAt }),
          coldStart: record.coldStart,
          ...(record.billing ? { billedMs: record.billing.billedMs } : {}),
        }),
    );
    simulation.run();

    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]?.startedAt).toBeCloseTo(50, 6);
    expect(records[0]?.endedAt).toBeCloseTo(149.5, 6);
    expect(records[0]?.coldStart).toBe(true);
    expect(records[0]?.billedMs).toBe(100);
  });
});
