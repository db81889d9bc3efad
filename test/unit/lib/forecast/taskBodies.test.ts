import { describe, expect, it } from "vitest";
import {
  functionOfTask,
  type OwnFunctionFacts,
  outputBytesOf,
  TASK_FUNCTION_TIMEOUT_MS,
  TEMPLATE_FUNCTION,
} from "../../../../lib/forecast/taskBodies.js";
import { DEFAULT_OUTPUT_BYTES } from "../../../../lib/tasks/catalog.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { forecastOne, planOf, taskIn, taskOf } from "../../../helpers/forecast.js";
import { fixedPlatform, sharedCpu } from "../../../helpers/forecastParameters.js";

const facts: OwnFunctionFacts = {
  workMs: 300,
  memoryMb: 512,
  architecture: "x86_64",
  bytesOut: 4096,
  source: "test",
};

/** The seed-like plan's tasks: an own function `own` and a built-in `log` returning 2 KB. */
const plannedTasks = () =>
  planOf("fanout", {
    tasks: [
      { id: "own", function: "my-fn", deps: [] },
      taskOf("log", [], 100, { outputBytes: 2048 }),
      taskOf("plain", [], 100),
    ],
  }).tasks;
const plannedTask = (id: string) => {
  const task = plannedTasks().find((candidate) => candidate.id === id);
  if (!task) throw new Error(`no task ${id}`);
  return task;
};

describe("Function: functionOfTask", () => {
  it("runs an own function at the memory and architecture measured of it", () => {
    expect(functionOfTask(plannedTask("own"), new Map([["own", facts]]))).toEqual({
      name: "my-fn",
      role: "task",
      memoryMb: 512,
      architecture: "x86_64",
    });
  });

  it("runs an own function nothing was measured of at the template's size", () => {
    expect(functionOfTask(plannedTask("own"), new Map())).toMatchObject({
      name: "my-fn",
      memoryMb: TEMPLATE_FUNCTION.memoryMb,
      architecture: TEMPLATE_FUNCTION.architecture,
    });
  });

  it("runs a built-in task in its task function, at the template's size", () => {
    expect(functionOfTask(plannedTask("log"), new Map([["log", facts]]))).toEqual({
      name: "writeLog",
      role: "task",
      ...TEMPLATE_FUNCTION,
    });
  });
});

describe("Function: outputBytesOf", () => {
  it("takes an own function's measured output, or the default when nothing was measured", () => {
    expect(outputBytesOf(plannedTask("own"), new Map([["own", facts]]))).toBe(4096);
    expect(outputBytesOf(plannedTask("own"), new Map())).toBe(DEFAULT_OUTPUT_BYTES);
  });

  it("takes a built-in task's planned output, or the default", () => {
    expect(outputBytesOf(plannedTask("log"), new Map([["log", facts]]))).toBe(2048);
    expect(outputBytesOf(plannedTask("plain"), new Map())).toBe(DEFAULT_OUTPUT_BYTES);
  });
});

describe("Forecast of a task's work", () => {
  it("ends a crashed first attempt half-way through the task, then runs it again", () => {
    // Prepare
    const workflow: Workflow = {
      retries: 1,
      tasks: [taskOf("a", [], 100, { fault: "crash" })],
    };

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform());

    // Assess: 50 ms until the crash, then the whole 100 ms again
    expect(run.report.status).toBe("succeeded");
    expect(taskIn(run, "a").attempts).toBe(2);
    expect(run.report.wallMs).toBeCloseTo(150, 6);
  });

  it("holds a hung first attempt until the function's timeout, then runs it again", () => {
    // Prepare
    const workflow: Workflow = {
      retries: 1,
      tasks: [taskOf("a", [], 100, { fault: "hang" })],
    };

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform(), {
      budgetMs: 2 * TASK_FUNCTION_TIMEOUT_MS,
    });

    // Assess
    expect(run.report.status).toBe("succeeded");
    expect(taskIn(run, "a").attempts).toBe(2);
    expect(run.report.wallMs).toBeCloseTo(TASK_FUNCTION_TIMEOUT_MS + 100, 6);
  });

  it("burns a core for a cpu task's time: an own function beside it gets half of the one core", () => {
    // Prepare: one core; a cpu task of 100 ms beside an own function of 300 ms of work
    const workflow: Workflow = {
      tasks: [taskOf("burn", [], 100, { kind: "cpu" }), { id: "own", function: "my-fn", deps: [] }],
    };
    const own = new Map([["own", { ...facts, memoryMb: 1769 }]]);

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform({}, sharedCpu(1)), {
      ownFunctions: own,
    });

    // Assess: 50 ms of work in the first 100 ms, the other 250 ms alone after the burn stops
    expect(taskIn(run, "burn").endedAt).toBeCloseTo(100, 6);
    expect(taskIn(run, "own").endedAt).toBeCloseTo(350, 6);
  });

  it("lets an io task wait without a core: an own function beside it works at full speed", () => {
    // Prepare
    const workflow: Workflow = {
      tasks: [taskOf("wait", [], 100), { id: "own", function: "my-fn", deps: [] }],
    };
    const own = new Map([["own", { ...facts, memoryMb: 1769 }]]);

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform({}, sharedCpu(1)), {
      ownFunctions: own,
    });

    // Assess
    expect(taskIn(run, "own").endedAt).toBeCloseTo(300, 6);
  });
});

describe("Forecast of an own function's span, as each strategy measures it", () => {
  const own = new Map([["own", { ...facts, memoryMb: 1769 }]]);
  const workflow: Workflow = { tasks: [{ id: "own", function: "my-fn", deps: [] }] };

  it("under stepfunctions: from its Task state's entry to the Pass state's after it, hops and all", () => {
    // Prepare: 10 ms to dispatch, 20 ms to return
    const parameters = fixedPlatform({
      "stepFunctions.taskDispatch": 10,
      "stepFunctions.taskReturn": 20,
    });

    // Act
    const run = forecastOne("stepfunctions", workflow, parameters, { ownFunctions: own });

    // Assess: 300 ms of work and both hops in the span, so no overhead beside it
    const span = taskIn(run, "own");
    expect((span.endedAt ?? 0) - (span.startedAt ?? 0)).toBeCloseTo(330, 6);
    expect(run.report.overheadMs).toBeCloseTo(0, 6);
  });

  it("under durable: from the checkpoint that starts its invoke to the one that records its result", () => {
    // Prepare: 10 ms to dispatch, a checkpoint of 5 ms
    const parameters = fixedPlatform({ "durable.invokeDispatch": 10, "durable.checkpoint": 5 });

    // Act
    const run = forecastOne("durable", workflow, parameters, { ownFunctions: own });

    // Assess: the dispatch, 300 ms of work and the result's checkpoint
    const span = taskIn(run, "own");
    expect((span.endedAt ?? 0) - (span.startedAt ?? 0)).toBeCloseTo(315, 6);
  });

  it("under fanout: its handler's own span, as its REPORT line gives it", () => {
    // Prepare
    const parameters = fixedPlatform({ "lambda.invokeRequest": 10 });

    // Act
    const run = forecastOne("fanout", workflow, parameters, { ownFunctions: own });

    // Assess
    const span = taskIn(run, "own");
    expect((span.endedAt ?? 0) - (span.startedAt ?? 0)).toBeCloseTo(300, 6);
  });
});
