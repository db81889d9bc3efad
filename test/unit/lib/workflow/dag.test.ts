import { describe, expect, it } from "vitest";
import {
  criticalPath,
  taskLevels,
  topologicalOrder,
  validateWorkflow,
} from "../../../../lib/workflow/dag.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import { MAX_TASKS } from "../../../../lib/workflow/schema.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { rejection } from "../../../helpers/rejection.js";

const node = (id: string, deps: string[] = [], extra: Record<string, unknown> = {}) => ({
  id,
  fn: "writeLog",
  deps,
  ...extra,
});

const DIAMOND: Workflow = validateWorkflow({
  tasks: [
    node("top"),
    node("left", ["top"]),
    node("right", ["top"]),
    node("bottom", ["left", "right"]),
  ],
});

describe("Function: validateWorkflow", () => {
  it("accepts the seed workflow", () => {
    expect(validateWorkflow(SEED_WORKFLOW)).toEqual(SEED_WORKFLOW);
  });

  it("defaults deps to an empty list", () => {
    const workflow = validateWorkflow({ tasks: [{ id: "a", fn: "queryData" }] });

    expect(workflow.tasks[0]?.deps).toEqual([]);
  });

  it.each([
    [
      "a duplicate id",
      { tasks: [node("a"), node("a")] },
      "workflow.tasks[1].id",
      /duplicate id 'a'/,
    ],
    [
      "an unknown dep",
      { tasks: [node("a", ["ghost"])] },
      "workflow.tasks[0].deps[0]",
      /unknown task 'ghost'/,
    ],
    [
      "a dep listed twice",
      { tasks: [node("a"), node("b", ["a", "a"])] },
      "workflow.tasks[1].deps",
      /twice/,
    ],
    ["an unknown fn", { tasks: [{ id: "a", fn: "sendMail" }] }, "workflow.tasks[0].fn", /.+/],
    [
      "a negative duration",
      { tasks: [node("a", [], { durationMs: -1 })] },
      "workflow.tasks[0].durationMs",
      /.+/,
    ],
    [
      "a too long duration",
      { tasks: [node("a", [], { durationMs: 900_001 })] },
      "workflow.tasks[0].durationMs",
      /.+/,
    ],
    [
      "an unknown kind",
      { tasks: [node("a", [], { kind: "gpu" })] },
      "workflow.tasks[0].kind",
      /.+/,
    ],
    ["an unknown property", { tasks: [node("a", [], { retry: 3 })] }, "workflow.tasks[0]", /retry/],
    ["no tasks", { tasks: [] }, "workflow.tasks", /.+/],
    [
      "too many tasks",
      { tasks: Array.from({ length: MAX_TASKS + 1 }, (_, i) => node(`t${i}`)) },
      "workflow.tasks",
      /at most 1000|<=1000/,
    ],
    ["an id with spaces", { tasks: [node("a b")] }, "workflow.tasks[0].id", /letters, digits/],
  ])("rejects %s, naming the field", (_case, raw, field, problem) => {
    const error = rejection(raw);

    expect(error.field).toBe(field);
    expect(error.problem).toMatch(problem);
  });

  it("names a cycle in execution order", () => {
    const error = rejection({
      tasks: [node("a", ["c"]), node("b", ["a"]), node("c", ["b"]), node("d")],
    });

    expect(error.field).toBe("workflow.tasks");
    expect(error.problem).toBe("dependency cycle a -> b -> c -> a");
  });

  it("names only the cycle, not a branch finished before it nor a task leading into it", () => {
    // Walked from "a": the branch "done" is finished first, then "b" leads back to "a".
    const error = rejection({
      tasks: [node("a", ["done", "b"]), node("done"), node("b", ["a"]), node("tail", ["a"])],
    });

    expect(error.problem).toBe("dependency cycle a -> b -> a");
  });

  it("visits a shared dependency once: a ladder of 40 levels, each on the two before, is checked at once", () => {
    // Walked again from every task that depends on it, the ladder would take 2^40 visits.
    const tasks = Array.from({ length: 40 }, (_, i) =>
      node(`t${i}`, i === 0 ? [] : i === 1 ? ["t0"] : [`t${i - 1}`, `t${i - 2}`]),
    );

    expect(validateWorkflow({ tasks }).tasks).toHaveLength(40);
  });

  it("names a self-dependency as a cycle", () => {
    expect(rejection({ tasks: [node("a", ["a"])] }).problem).toBe("dependency cycle a -> a");
  });

  it("accepts MAX_TASKS independent tasks", () => {
    const tasks = Array.from({ length: MAX_TASKS }, (_, i) => node(`t${i}`));

    expect(validateWorkflow({ tasks }).tasks).toHaveLength(MAX_TASKS);
  });
});

describe("Function: topologicalOrder", () => {
  it("puts deps first and keeps declaration order among ready tasks", () => {
    const workflow = validateWorkflow({
      tasks: [node("late", ["early"]), node("free"), node("early")],
    });

    expect(topologicalOrder(workflow).map((task) => task.id)).toEqual(["free", "early", "late"]);
  });

  it("orders the seed as queryData, processData, writeLog", () => {
    expect(topologicalOrder(SEED_WORKFLOW).map((task) => task.id)).toEqual([
      "queryData",
      "processData",
      "writeLog",
    ]);
  });
});

describe("Function: taskLevels", () => {
  it("gives the seed two levels", () => {
    expect(Object.fromEntries(taskLevels(SEED_WORKFLOW))).toEqual({
      queryData: 0,
      processData: 1,
      writeLog: 0,
    });
  });

  it("gives a diamond three levels", () => {
    expect(Object.fromEntries(taskLevels(DIAMOND))).toEqual({
      top: 0,
      left: 1,
      right: 1,
      bottom: 2,
    });
  });
});

describe("Function: criticalPath", () => {
  it("is queryData -> processData, 4 s, for the seed at 2 s a task", () => {
    expect(criticalPath(SEED_WORKFLOW, () => 2000)).toEqual({
      lengthMs: 4000,
      taskIds: ["queryData", "processData"],
    });
  });

  it("follows the heavier branch of a diamond", () => {
    const weights: Record<string, number> = { top: 10, left: 5, right: 50, bottom: 1 };

    expect(criticalPath(DIAMOND, (task) => weights[task.id] ?? 0)).toEqual({
      lengthMs: 61,
      taskIds: ["top", "right", "bottom"],
    });
  });

  it("is the longest single task when all are independent", () => {
    const workflow = validateWorkflow({ tasks: [node("a"), node("b"), node("c")] });
    const weights: Record<string, number> = { a: 3, b: 9, c: 4 };

    expect(criticalPath(workflow, (task) => weights[task.id] ?? 0)).toEqual({
      lengthMs: 9,
      taskIds: ["b"],
    });
  });
});

describe("Function: planRun", () => {
  it("applies the 2 s io defaults, scales durations and records levels", () => {
    const plan = planRun({ runId: "r", strategy: "fanout", workflow: SEED_WORKFLOW, scale: 0.1 });

    expect(
      plan.tasks.map(({ id, durationMs, kind, level }) => ({ id, durationMs, kind, level })),
    ).toEqual([
      { id: "queryData", durationMs: 200, kind: "io", level: 0 },
      { id: "processData", durationMs: 200, kind: "io", level: 1 },
      { id: "writeLog", durationMs: 200, kind: "io", level: 0 },
    ]);
  });
});
