import { describe, expect, it } from "vitest";
import { UsageMeter } from "../../../../lib/cost/UsageMeter.js";
import type { StateMachineExecution, StateMachineRunner } from "../../../../lib/ports.js";
import { runStepFunctions } from "../../../../lib/strategies/stepfunctions.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { FakeClock } from "../../../helpers/FakeClock.js";

/** Answers every execution with `execution`, and remembers what it was asked to run. */
class FakeStateMachines implements StateMachineRunner {
  readonly runs: Array<{ definition: object; input: object }> = [];
  constructor(private readonly execution: StateMachineExecution) {}

  async run(definition: object, input: object): Promise<StateMachineExecution> {
    this.runs.push({ definition, input });
    return this.execution;
  }
}

const result = (output: unknown, startedAt: number) => ({
  output,
  startedAt,
  endedAt: startedAt + 2000,
  coldStart: false,
  billing: { memoryMb: 1024, architecture: "arm64", billedMs: 2001, initMs: 0 },
});

function run(stateMachines: StateMachineRunner, workflow: Workflow = SEED_WORKFLOW) {
  const clock = new FakeClock();
  const plan = planRun({ runId: "run-1", strategy: "stepfunctions", workflow, scale: 1 });
  return runStepFunctions(plan, {
    clock,
    budgetMs: 60_000,
    meter: new UsageMeter(),
    stateMachines,
    functionArnOf: (fn) => `arn:${fn}`,
  });
}

describe("Function: runStepFunctions", () => {
  it("builds the run report from the tasks' own results, as the execution collected them", async () => {
    // Prepare
    const machines = new FakeStateMachines({
      status: "SUCCEEDED",
      output: {
        runId: "run-1",
        results: {
          queryData: result(["row"], 0),
          processData: result({ count: 1 }, 2000),
          writeLog: result("logged", 0),
        },
      },
    });

    // Act
    const report = await run(machines);

    // Assess
    expect(machines.runs[0]?.input).toEqual({ runId: "run-1" });
    expect(report.status).toBe("succeeded");
    expect(report.tasks.map((task) => task.status)).toEqual([
      "succeeded",
      "succeeded",
      "succeeded",
    ]);
    expect(report.criticalPathMs).toBe(4000);
    expect(report.tasks.find((task) => task.id === "processData")).toMatchObject({
      output: { count: 1 },
      bytesIn: Buffer.byteLength(JSON.stringify({ queryData: ["row"] })),
      billing: { billedMs: 2001 },
    });
    expect(report.stateMachine).toMatchObject({ form: "seriesParallel", addedEdges: [] });
  });

  it("names the failed task and its own error from the Fail state, and runs nothing after it", async () => {
    const machines = new FakeStateMachines({
      status: "FAILED",
      error: "TaskFailed:queryData",
      cause: JSON.stringify({ errorType: "DiskFullError", errorMessage: "no space left" }),
    });

    const report = await run(machines);

    expect(report.status).toBe("failed");
    expect(report.error).toEqual({
      taskId: "queryData",
      type: "DiskFullError",
      message: "no space left",
    });
    expect(report.tasks.map((task) => [task.id, task.status])).toEqual([
      ["queryData", "failed"],
      ["processData", "skipped"],
      ["writeLog", "skipped"],
    ]);
  });

  it("refuses, before starting anything, data that cannot fit Step Functions' 256 KB state", async () => {
    const machines = new FakeStateMachines({ status: "SUCCEEDED", output: {} });
    const workflow: Workflow = {
      tasks: [{ id: "q", fn: "queryData", deps: [], outputBytes: 300_000 }],
    };

    const report = await run(machines, workflow);

    expect(machines.runs).toEqual([]);
    expect(report).toMatchObject({ status: "failed", error: { type: "PayloadTooLargeError" } });
    expect(report.error?.message).toContain("Step Functions payload (256 KB)");
  });
});
