import { describe, expect, it } from "vitest";
import type { StrategyName } from "../../../../lib/strategies/names.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { forecastOne, taskIn, taskOf } from "../../../helpers/forecast.js";
import { fixedPlatform } from "../../../helpers/forecastParameters.js";

/** a, then b and c side by side, then d: its critical path is a -> c -> d, 100 + 300 + 50 ms. */
const DIAMOND: Workflow = {
  tasks: [
    taskOf("a", [], 100),
    taskOf("b", ["a"], 200),
    taskOf("c", ["a"], 300),
    taskOf("d", ["b", "c"], 50),
  ],
};
const DIAMOND_CRITICAL_PATH_MS = 450;

const chainOf = (durations: number[]): Workflow => ({
  tasks: durations.map((durationMs, index) =>
    taskOf(`c${index}`, index === 0 ? [] : [`c${index - 1}`], durationMs),
  ),
});

describe("Forecast on a zero-latency platform", () => {
  it.each<StrategyName>(["fanout", "queue", "stepfunctions", "inline", "durable"])(
    "%s runs a diamond in exactly its critical path: no overhead",
    (strategy) => {
      // Act
      const run = forecastOne(strategy, DIAMOND, fixedPlatform());

      // Assess
      expect(run.report.status).toBe("succeeded");
      expect(run.report.criticalPathMs).toBe(DIAMOND_CRITICAL_PATH_MS);
      expect(run.report.criticalPath).toEqual(["a", "c", "d"]);
      expect(run.report.wallMs).toBe(DIAMOND_CRITICAL_PATH_MS);
      expect(run.report.overheadMs).toBe(0);
      // b and c side by side, d after both
      expect(taskIn(run, "b").startedAt).toBe(100);
      expect(taskIn(run, "c").startedAt).toBe(100);
      expect(taskIn(run, "d").startedAt).toBe(400);
    },
  );

  it("sequential runs a chain in exactly its critical path", () => {
    // Act
    const run = forecastOne("sequential", chainOf([100, 250, 50, 400]), fixedPlatform());

    // Assess
    expect(run.report.wallMs).toBe(800);
    expect(run.report.criticalPathMs).toBe(800);
    expect(run.report.overheadMs).toBe(0);
  });

  it("sequential runs independent tasks one after the other: the sum of their durations", () => {
    // Prepare
    const workflow: Workflow = {
      tasks: [taskOf("a", [], 100), taskOf("b", [], 250), taskOf("c", [], 400)],
    };

    // Act
    const run = forecastOne("sequential", workflow, fixedPlatform());

    // Assess
    expect(run.report.wallMs).toBe(750);
    expect(run.report.criticalPathMs).toBe(400);
    expect(run.report.overheadMs).toBe(350);
    expect(taskIn(run, "b").startedAt).toBe(100);
    expect(taskIn(run, "c").startedAt).toBe(350);
  });

  it("fanout runs independent tasks side by side: the longest of their durations", () => {
    // Prepare
    const workflow: Workflow = {
      tasks: [taskOf("a", [], 100), taskOf("b", [], 250), taskOf("c", [], 400)],
    };

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform());

    // Assess
    expect(run.report.wallMs).toBe(400);
    expect(run.report.overheadMs).toBe(0);
  });
});

describe("Forecast of the invoke hop", () => {
  const HOP_MS = 7;
  const DURATIONS = [100, 200, 300, 150, 50];

  it.each<StrategyName>(["sequential", "fanout"])(
    "%s pays the request hop once per task of a chain: overhead n x hop",
    (strategy) => {
      // Prepare
      const parameters = fixedPlatform({ "lambda.invokeRequest": HOP_MS });

      // Act
      const run = forecastOne(strategy, chainOf(DURATIONS), parameters);

      // Assess
      expect(run.report.criticalPathMs).toBeCloseTo(800, 6);
      expect(run.report.overheadMs).toBeCloseTo(DURATIONS.length * HOP_MS, 6);
      // Each task's handler starts one hop after the one before it ended.
      expect(taskIn(run, "c1").startedAt).toBeCloseTo(HOP_MS + 100 + HOP_MS, 6);
    },
  );

  it.each<StrategyName>(["sequential", "fanout"])(
    "%s pays the response hop once per task of a chain too, after the handler ended",
    (strategy) => {
      // Prepare
      const parameters = fixedPlatform({
        "lambda.invokeRequest": HOP_MS,
        "lambda.invokeResponse": 3,
      });

      // Act
      const run = forecastOne(strategy, chainOf(DURATIONS), parameters);

      // Assess
      expect(run.report.overheadMs).toBeCloseTo(DURATIONS.length * (HOP_MS + 3), 6);
      expect(taskIn(run, "c0").returnedAt).toBeCloseTo(HOP_MS + 100 + 3, 6);
    },
  );

  it("fanout pays one hop, not one per task, for independent tasks", () => {
    // Prepare
    const workflow: Workflow = {
      tasks: [taskOf("a", [], 100), taskOf("b", [], 250), taskOf("c", [], 400)],
    };

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform({ "lambda.invokeRequest": HOP_MS }));

    // Assess
    expect(run.report.wallMs).toBeCloseTo(400 + HOP_MS, 6);
  });
});
