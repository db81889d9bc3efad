import { describe, expect, it } from "vitest";
import { durableOperationsOf } from "../../../../lib/durable/limits.js";
import { AWS_PARAMETERS } from "../../../../lib/forecast/awsParameters.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import {
  EIGHTH_OF_A_MB_CHAIN,
  forecastOne,
  overheadGrowthWith,
  planOf,
  taskIn,
  taskOf,
} from "../../../helpers/forecast.js";
import { fixedPlatform } from "../../../helpers/forecastParameters.js";

const SEED_WITH_A_CRASH: Workflow = {
  tasks: SEED_WORKFLOW.tasks.map((task) =>
    task.id === "processData" ? { ...task, fault: "crash" as const, retries: 1 } : task,
  ),
};

describe("Forecast of the durable strategy", () => {
  it.each([
    ["a zero-latency platform", fixedPlatform()],
    ["the aws parameters", AWS_PARAMETERS],
  ])(
    "replays the seed 3 times on %s, as a measured run did, with its 11 operations",
    (_, parameters) => {
      // Act
      const run = forecastOne("durable", SEED_WORKFLOW, parameters);

      // Assess: the first replay starts queryData and writeLog, the second sees both (they end
      // together) and starts processData, the third sees it and ends the run
      expect(run.report.status).toBe("succeeded");
      expect(run.report.durable?.replays).toHaveLength(3);
      expect(run.report.durable?.operations).toBe(
        durableOperationsOf(planOf("durable", SEED_WORKFLOW)),
      );
      expect(run.report.durable?.operations).toBe(12);
    },
  );

  it("counts one more operation for a crashed task's retry, as durableOperationsOf does", () => {
    // Act
    const run = forecastOne("durable", SEED_WITH_A_CRASH, fixedPlatform());

    // Assess
    expect(run.report.status).toBe("succeeded");
    expect(taskIn(run, "processData").attempts).toBe(2);
    expect(run.report.durable?.operations).toBe(13);
    expect(run.report.durable?.operations).toBe(
      durableOperationsOf(planOf("durable", SEED_WITH_A_CRASH)),
    );
    // The retry's replay: the one that saw the crash starts the task again.
    expect(run.report.durable?.replays).toHaveLength(4);
  });

  it("gives results that arrive apart a replay each", () => {
    // Prepare: writeLog ends a second before queryData
    const workflow: Workflow = {
      tasks: [
        taskOf("queryData", [], 2000, { fn: "queryData" }),
        taskOf("processData", ["queryData"], 2000, { fn: "processData" }),
        taskOf("writeLog", [], 1000),
      ],
    };

    // Act
    const run = forecastOne("durable", workflow, fixedPlatform());

    // Assess
    expect(run.report.durable?.replays).toHaveLength(4);
    expect(run.report.durable?.operations).toBe(12);
    expect(run.report.wallMs).toBe(4000);
  });

  it("starts a task's dependents the checkpoint, resume and dispatch latencies after its result", () => {
    // Prepare
    const workflow: Workflow = { tasks: [taskOf("a", [], 100), taskOf("b", ["a"], 100)] };
    const parameters = fixedPlatform({
      "durable.checkpoint": 10,
      "durable.resume": 90,
      "durable.invokeDispatch": 40,
      "durable.replayBase": 5,
    });

    // Act
    const run = forecastOne("durable", workflow, parameters);

    // Assess: a ends; its result is checkpointed (10), the next replay starts (90), replays (5),
    // checkpoints b's invoke (10), and the service invokes b (40)
    const a = taskIn(run, "a");
    const b = taskIn(run, "b");
    expect((b.startedAt ?? 0) - (a.endedAt ?? 0)).toBeCloseTo(10 + 90 + 5 + 10 + 40, 6);
  });

  it("writes the run's record in the first replay before its first invoke, and in no other", () => {
    // Prepare
    const workflow: Workflow = { tasks: [taskOf("a", [], 100), taskOf("b", ["a"], 100)] };
    const parameters = fixedPlatform({
      "durable.runRecordStart": 70,
      "durable.replayBase": 5,
      "durable.checkpoint": 10,
    });

    // Act
    const run = forecastOne("durable", workflow, parameters);

    // Assess: the first replay writes the record (70), replays (5) and checkpoints a's invoke
    // (10); the second only replays (5) and checkpoints b's invoke (10) after a's result (10)
    const a = taskIn(run, "a");
    const b = taskIn(run, "b");
    expect((a.invokedAt ?? 0) - run.report.startedAt).toBeCloseTo(70 + 5 + 10, 6);
    expect((b.invokedAt ?? 0) - (a.endedAt ?? 0)).toBeCloseTo(10 + 5 + 10, 6);
  });

  it("writes no record in a set calibrated before the figure existed", () => {
    // Prepare
    const { runRecordStart: _, ...durable } = fixedPlatform({ "durable.checkpoint": 10 }).durable;
    const parameters = { ...fixedPlatform({ "durable.checkpoint": 10 }), durable };

    // Act
    const run = forecastOne("durable", { tasks: [taskOf("a", [], 100)] }, parameters);

    // Assess
    expect((taskIn(run, "a").invokedAt ?? 0) - run.report.startedAt).toBeCloseTo(10, 6);
  });

  it("ends the run the last replay's own time after its resume and replay, and no earlier replay waits it", () => {
    // Prepare
    const workflow: Workflow = { tasks: [taskOf("a", [], 100), taskOf("b", ["a"], 100)] };
    const parameters = fixedPlatform({
      "durable.lastReplay": 8,
      "durable.resume": 1,
      "durable.replayBase": 2,
      "durable.checkpoint": 10,
    });

    // Act
    const run = forecastOne("durable", workflow, parameters);

    // Assess: b's result recorded, the last replay resumes (1), replays (2), then its own 8;
    // a's result -> b's invoke holds no 8: a resume (1), a replay (2) and b's checkpoint (10)
    const a = taskIn(run, "a");
    const b = taskIn(run, "b");
    expect(run.report.endedAt - (b.returnedAt ?? 0)).toBeCloseTo(1 + 2 + 8, 6);
    expect((b.invokedAt ?? 0) - (a.returnedAt ?? 0)).toBeCloseTo(1 + 2 + 10, 6);
  });

  it.each([
    [50, 2000, "soon after", (ms: number) => ms < 1000],
    [1000, 1000, "a second or more after", (ms: number) => ms >= 1000],
  ])(
    "sends a refused invoke again %i ms (doubling to %i, jittered) after its refusal: %s",
    (firstMs, maxMs, _, inTime) => {
      // Prepare: one replay's environment and 2 tasks fit; the third task's invoke is refused
      const parameters = fixedPlatform({
        "lambda.accountConcurrency": 3,
        "durable.throttleRetry.firstMs": firstMs,
        "durable.throttleRetry.maxMs": maxMs,
      });
      const workflow: Workflow = {
        tasks: [taskOf("a", [], 100), taskOf("b", [], 100), taskOf("c", [], 100)],
      };

      // Act
      const run = forecastOne("durable", workflow, parameters);

      // Assess
      const latest = Math.max(...run.report.tasks.map((task) => task.startedAt ?? 0));
      expect(run.report.status).toBe("succeeded");
      expect(inTime(latest - run.report.startedAt)).toBe(true);
    },
  );

  it("takes checkpointMsPerMb longer for each checkpoint that records a task's result", () => {
    // Act: a's result is checkpointed, and so is b's invoke with it
    const growth = overheadGrowthWith(
      "durable",
      EIGHTH_OF_A_MB_CHAIN,
      "durable.checkpointMsPerMb",
      800,
    );

    // Assess: an eighth of a MB twice, and b's own 256-byte result
    expect(growth).toBeCloseTo(2 * 100 + (256 / 1_048_576) * 800, 6);
  });
});
