import { describe, expect, it } from "vitest";
import { UsageMeter } from "../../../../lib/cost/UsageMeter.js";
import type {
  StateMachineExecution,
  StateMachineRunner,
  StateMachineRunOptions,
} from "../../../../lib/ports.js";
import type { ExecutionInput } from "../../../../lib/stepfunctions/buildStateMachine.js";
import { runStepFunctions } from "../../../../lib/strategies/stepfunctions.js";
import { taskRequestSchema } from "../../../../lib/tasks/schema.js";
import type { TaskRequest } from "../../../../lib/tasks/types.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { FakeClock } from "../../../helpers/FakeClock.js";
import { AslExecutionFailed, simulateAsl } from "../../../helpers/simulateAsl.js";

/** Answers every execution with `execution` (or what it makes of the input), and remembers what it was asked to run. */
class FakeStateMachines implements StateMachineRunner {
  readonly runs: Array<{ definition: object; input: object; options?: StateMachineRunOptions }> =
    [];
  constructor(
    private readonly execution:
      | StateMachineExecution
      | ((input: ExecutionInput) => StateMachineExecution),
  ) {}

  async run(
    definition: object,
    input: object,
    _signal: AbortSignal,
    options?: StateMachineRunOptions,
  ): Promise<StateMachineExecution> {
    this.runs.push({ definition, input, ...(options ? { options } : {}) });
    return typeof this.execution === "function"
      ? this.execution(input as ExecutionInput)
      : this.execution;
  }
}

/**
 * Runs each definition on its input in the ASL simulator, with task Lambdas that parse their
 * event with the task Lambda's own schema, record it, and answer `<taskId>-out` after 2 s, or
 * fail as a Lambda does (its error payload as the cause) when the request says `fail`.
 */
class SimulatedStateMachines implements StateMachineRunner {
  readonly runs: Array<{ definition: string; input: object }> = [];
  readonly requests: TaskRequest[] = [];

  async run(definition: object, input: object): Promise<StateMachineExecution> {
    this.runs.push({ definition: JSON.stringify(definition), input });
    try {
      const { output } = simulateAsl(definition, input, ({ payload, startedAt }) => {
        const request = taskRequestSchema.parse(payload);
        this.requests.push(request);
        if (request.fail) {
          const cause = { errorType: "Error", errorMessage: request.fail, trace: [] };
          return { error: "Error", cause: JSON.stringify(cause), durationMs: 2000 };
        }
        const endedAt = startedAt + 2000;
        return {
          result: { output: `${request.taskId}-out`, startedAt, endedAt, coldStart: false },
          durationMs: 2000,
        };
      });
      return { type: "express", status: "SUCCEEDED", output };
    } catch (error) {
      if (!(error instanceof AslExecutionFailed)) throw error;
      return { type: "express", status: "FAILED", error: error.error, cause: error.errorCause };
    }
  }
}

/** The state key the execution input gives task `id`. */
function keyOf(input: ExecutionInput, id: string): string {
  const entry = Object.entries(input.tasks).find(([, values]) => values.taskId === id);
  if (!entry) throw new Error(`task '${id}' is not in the execution input`);
  return entry[0];
}

const result = (output: unknown, startedAt: number) => ({
  output,
  startedAt,
  endedAt: startedAt + 2000,
  coldStart: false,
  billing: { memoryMb: 1024, architecture: "arm64", billedMs: 2001, initMs: 0 },
});

function run(
  stateMachines: StateMachineRunner,
  workflow: Workflow = SEED_WORKFLOW,
  runId = "run-1",
  stateMachineType?: "express" | "standard",
) {
  const clock = new FakeClock();
  const plan = planRun({ runId, strategy: "stepfunctions", workflow, scale: 1 });
  return runStepFunctions(plan, {
    clock,
    budgetMs: 60_000,
    meter: new UsageMeter(),
    stateMachines,
    functionArnOf: (fn) => `arn:${fn}`,
    ...(stateMachineType ? { stateMachineType } : {}),
  });
}

describe("Function: runStepFunctions", () => {
  it("builds the run report from the tasks' own results, as the execution collected them", async () => {
    // Prepare: results come back under the state keys the input gave the tasks.
    const machines = new FakeStateMachines((input) => ({
      type: "express",
      status: "SUCCEEDED",
      output: {
        runId: "run-1",
        results: {
          [keyOf(input, "queryData")]: result(["row"], 0),
          [keyOf(input, "processData")]: result({ count: 1 }, 2000),
          [keyOf(input, "writeLog")]: result("logged", 0),
        },
      },
    }));

    // Act
    const report = await run(machines);

    // Assess
    const input = machines.runs[0]?.input as ExecutionInput;
    expect(input.runId).toBe("run-1");
    expect(Object.values(input.tasks).map((values) => values.taskId)).toEqual([
      "queryData",
      "processData",
      "writeLog",
    ]);
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
    const machines = new FakeStateMachines((input) => ({
      type: "express",
      status: "FAILED",
      error: `TaskFailed:${keyOf(input, "queryData")}`,
      cause: JSON.stringify({ errorType: "DiskFullError", errorMessage: "no space left" }),
    }));

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
    const machines = new FakeStateMachines({ type: "express", status: "SUCCEEDED", output: {} });
    const workflow: Workflow = {
      tasks: [{ id: "q", fn: "queryData", deps: [], outputBytes: 300_000 }],
    };

    const report = await run(machines, workflow);

    expect(machines.runs).toEqual([]);
    expect(report).toMatchObject({ status: "failed", error: { type: "PayloadTooLargeError" } });
    expect(report.error?.message).toContain("Step Functions payload (256 KB)");
  });
  it("refuses, before starting anything, an execution input that cannot fit 256 KB", async () => {
    const machines = new FakeStateMachines({ type: "express", status: "SUCCEEDED", output: {} });
    // 600 tasks, each failing with a 500-character message: about 300 KB of per-task values.
    const workflow: Workflow = {
      tasks: Array.from({ length: 600 }, (_, index) => ({
        id: `w${index}`,
        fn: "writeLog" as const,
        deps: [],
        fail: "x".repeat(500),
      })),
    };

    const report = await run(machines, workflow);

    expect(machines.runs).toEqual([]);
    expect(report).toMatchObject({ status: "failed", error: { type: "PayloadTooLargeError" } });
    expect(report.error?.message).toContain("execution input");
    expect(report.error?.message).toContain("Step Functions payload (256 KB)");
  });

  it("sends each task, run by the generated machine, exactly the request the other strategies send", async () => {
    // Prepare: ids that are not JSONPath names, in a DAG with a Parallel.
    const machines = new SimulatedStateMachines();
    const workflow: Workflow = {
      tasks: [
        { id: "fetch-1", fn: "queryData", deps: [], outputBytes: 512 },
        { id: "log", fn: "writeLog", deps: [], kind: "cpu" },
        { id: "sum-up", fn: "processData", deps: ["log", "fetch-1"] },
      ],
    };

    // Act
    const report = await run(machines, workflow);

    // Assess
    const base = { runId: "run-1", durationMs: 2000 };
    expect(machines.requests).toEqual(
      expect.arrayContaining([
        { ...base, taskId: "fetch-1", fn: "queryData", kind: "io", outputBytes: 512, inputs: {} },
        { ...base, taskId: "log", fn: "writeLog", kind: "cpu", inputs: {} },
        {
          ...base,
          taskId: "sum-up",
          fn: "processData",
          kind: "io",
          inputs: { log: "log-out", "fetch-1": "fetch-1-out" },
        },
      ]),
    );
    expect(machines.requests).toHaveLength(3);
    expect(report.status).toBe("succeeded");
    expect(report.tasks.map((task) => [task.id, task.status, task.output])).toEqual([
      ["fetch-1", "succeeded", "fetch-1-out"],
      ["log", "succeeded", "log-out"],
      ["sum-up", "succeeded", "sum-up-out"],
    ]);
    expect(report.tasks.find((task) => task.id === "sum-up")?.bytesIn).toBe(
      Buffer.byteLength(JSON.stringify({ log: "log-out", "fetch-1": "fetch-1-out" })),
    );
  });

  it("names the failed task by its id when the generated machine fails inside a Parallel", async () => {
    const machines = new SimulatedStateMachines();
    const workflow: Workflow = {
      tasks: [
        { id: "fetch", fn: "queryData", deps: [] },
        { id: "crunch", fn: "processData", deps: ["fetch"], fail: "out of memory" },
        { id: "log", fn: "writeLog", deps: [] },
      ],
    };

    const report = await run(machines, workflow);

    expect(report.status).toBe("failed");
    expect(report.error).toEqual({ taskId: "crunch", type: "Error", message: "out of memory" });
    expect(report.tasks.find((task) => task.id === "crunch")).toMatchObject({
      status: "failed",
      error: { type: "Error", message: "out of memory" },
    });
  });

  it("runs workflows of one shape with their own task ids on one definition, their ids as input", async () => {
    const machines = new SimulatedStateMachines();
    // The load benchmark's workflow: every run its own ids and its own outputBytes.
    const loadRun = (index: number): Workflow => ({
      tasks: [
        { id: `q${index}`, fn: "queryData", deps: [], outputBytes: 256 + index * 64 },
        { id: `p${index}`, fn: "processData", deps: [`q${index}`] },
        { id: `l${index}`, fn: "writeLog", deps: [] },
        { id: `s${index}`, fn: "processData", deps: [`p${index}`, `l${index}`] },
      ],
    });

    const reports = [];
    for (const index of [1, 2, 3])
      reports.push(await run(machines, loadRun(index), `run-${index}`));

    expect(new Set(machines.runs.map((run) => run.definition)).size).toBe(1);
    expect(machines.runs.map((run) => (run.input as ExecutionInput).tasks.t0?.taskId)).toEqual([
      "q1",
      "q2",
      "q3",
    ]);
    expect(reports.map((report) => report.status)).toEqual(["succeeded", "succeeded", "succeeded"]);
    expect(reports[1]?.tasks.map((task) => task.id)).toEqual(["q2", "p2", "l2", "s2"]);
  });

  it("runs an Express workflow unless told, and says so in the report", async () => {
    const machines = new FakeStateMachines({
      type: "express",
      status: "SUCCEEDED",
      output: {},
      billing: { billedDurationMs: 4100, billedMemoryMb: 64 },
    });

    const report = await run(machines);

    expect(machines.runs[0]?.options).toEqual({ type: "express" });
    expect(report.stateMachine).toMatchObject({
      type: "express",
      billing: { billedDurationMs: 4100, billedMemoryMb: 64 },
    });
    expect(report.stateMachine?.transitions).toBeUndefined();
  });

  it("runs a Standard workflow when the context asks, and reports its state transitions", async () => {
    const machines = new FakeStateMachines({
      type: "standard",
      status: "SUCCEEDED",
      output: {},
      transitions: 5,
    });

    const report = await run(machines, SEED_WORKFLOW, "run-1", "standard");

    expect(machines.runs[0]?.options).toEqual({ type: "standard" });
    expect(report.stateMachine).toMatchObject({ type: "standard", transitions: 5 });
    expect(report.stateMachine?.billing).toBeUndefined();
  });

  it("reports a Standard execution it gave up on as Standard, its transitions unknown", async () => {
    // Prepare: an execution that never ends, and a budget of 1 s.
    const clock = new FakeClock();
    const never: StateMachineRunner = {
      run: (_definition, _input, signal) =>
        new Promise((_, reject) => signal.addEventListener("abort", () => reject(signal.reason))),
    };
    const plan = planRun({
      runId: "run-1",
      strategy: "stepfunctions",
      workflow: SEED_WORKFLOW,
      scale: 1,
    });

    // Act
    const report = await clock.drive(
      runStepFunctions(plan, {
        clock,
        budgetMs: 1000,
        meter: new UsageMeter(),
        stateMachines: never,
        functionArnOf: (fn) => `arn:${fn}`,
        stateMachineType: "standard",
      }),
    );

    // Assess
    expect(report.error).toMatchObject({ type: "Timeout" });
    expect(report.stateMachine).toMatchObject({ type: "standard" });
    expect(report.stateMachine?.transitions).toBeUndefined();
  });
});
