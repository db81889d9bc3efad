import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import type { AslDefinition } from "../../../../lib/stepfunctions/asl.js";
import { buildStateMachine } from "../../../../lib/stepfunctions/buildStateMachine.js";
import { withTaskFailures } from "../../../../lib/stepfunctions/withTaskFailures.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import type { TaskNode, Workflow } from "../../../../lib/workflow/types.js";

/** asl-validator (maintained, MIT): JSON schema and transition checks of a definition. */
const validateAsl = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => {
  isValid: boolean;
  errors: unknown[];
};

const functionArnOf = (fn: string) => `arn:aws:lambda:us-east-1:123456789012:function:lab-${fn}`;
const node = (id: string, deps: string[] = [], durationMs = 1000): TaskNode => ({
  id,
  fn: "writeLog",
  deps,
  durationMs,
});
const build = (workflow: Workflow, form?: "seriesParallel" | "levels") =>
  buildStateMachine(planRun({ runId: "r", strategy: "stepfunctions", workflow, scale: 1 }), {
    functionArnOf,
    ...(form ? { form } : {}),
  });

/** a (1 s) -> c (5 s), a -> d (1 s), b (4 s) -> d: not series-parallel. */
const N_SHAPE: Workflow = {
  tasks: [
    node("a", [], 1000),
    node("b", [], 4000),
    node("c", ["a"], 5000),
    node("d", ["a", "b"], 1000),
  ],
};

type State = Record<string, unknown>;
/** Every state of a definition, nested branches included, by name. */
function allStates(states: Record<string, State>): Record<string, State> {
  return Object.fromEntries(
    Object.entries(states).flatMap(([name, state]) => [
      [name, state],
      ...((state.Branches as Array<{ States: Record<string, State> }> | undefined) ?? []).flatMap(
        (branch) => Object.entries(allStates(branch.States)),
      ),
    ]),
  );
}
const parallels = (definition: AslDefinition) =>
  Object.values(allStates(definition.States)).filter((state) => state.Type === "Parallel");

describe("Function: buildStateMachine", () => {
  it.each([
    ["the seed", SEED_WORKFLOW],
    [
      "a chain of five",
      {
        tasks: ["a", "b", "c", "d", "e"].map((id, i, all) =>
          node(id, i ? [all[i - 1] as string] : []),
        ),
      },
    ],
    [
      "the diamond",
      { tasks: [node("a"), node("b", ["a"]), node("c", ["a"]), node("d", ["b", "c"])] },
    ],
    ["the N shape", { tasks: [node("a"), node("b"), node("c", ["a"]), node("d", ["a", "b"])] }],
  ] as Array<[string, Workflow]>)(
    "writes valid ASL for %s, with and without the failure states",
    (_name, workflow) => {
      const { definition } = build(workflow);

      expect(validateAsl(structuredClone(definition)).errors).toEqual([]);
      expect(validateAsl(structuredClone(withTaskFailures(definition))).errors).toEqual([]);
    },
  );

  it("runs the seed exactly: queryData then processData beside writeLog, nothing added", () => {
    const { definition, addedEdges, structuralDelayMs, stateKeys } = build(SEED_WORKFLOW);

    expect(addedEdges).toEqual([]);
    expect(structuralDelayMs).toBe(0);
    // State keys in plan order: queryData t0, processData t1, writeLog t2.
    expect([...stateKeys.values()]).toEqual(["t0", "t1", "t2"]);
    const [parallel] = parallels(definition);
    const branches = parallel?.Branches as Array<{
      StartAt: string;
      States: Record<string, State>;
    }>;
    expect(branches.map((branch) => Object.keys(branch.States))).toEqual([["t0", "t1"], ["t2"]]);
    expect(branches[0]?.States.t0?.Next).toBe("t1");
  });

  it("passes each dep's output as the task's input, the dep's id and the planned values as data", () => {
    const { definition, input } = build(SEED_WORKFLOW);
    const processData = allStates(definition.States).t1;

    expect(processData).toMatchObject({
      Type: "Task",
      Resource: functionArnOf("processData"),
      Parameters: {
        "runId.$": "$.runId",
        "taskId.$": "$$.Execution.Input.tasks.t1.taskId",
        fn: "processData",
        "durationMs.$": "$$.Execution.Input.tasks.t1.durationMs",
        "kind.$": "$$.Execution.Input.tasks.t1.kind",
        inputs: { "t0.$": "$.results.t0.output" },
        "inputIds.$": "$$.Execution.Input.tasks.t1.inputIds",
      },
      ResultPath: "$.results.t1",
    });
    expect(input.tasks.t1).toEqual({
      taskId: "processData",
      durationMs: 2000,
      kind: "io",
      inputIds: { t0: "queryData" },
    });
  });

  it("gathers every result known after a Parallel back into the state", () => {
    const { definition } = build(SEED_WORKFLOW);
    const [parallel] = parallels(definition);

    expect(parallel?.ResultSelector).toEqual({
      "runId.$": "$[0].runId",
      results: {
        "t0.$": "$[0].results.t0",
        "t1.$": "$[0].results.t1",
        "t2.$": "$[1].results.t2",
      },
    });
  });

  it("writes a chain without any Parallel state", () => {
    const chain = {
      tasks: ["a", "b", "c"].map((id, i, all) => node(id, i ? [all[i - 1] as string] : [])),
    };

    expect(parallels(build(chain).definition)).toEqual([]);
  });

  it("runs a 100-wide level as one Parallel of 100 branches, nothing added", () => {
    const wide = { tasks: Array.from({ length: 100 }, (_, i) => node(`t${i}`)) };

    const { definition, addedEdges } = build(wide);

    expect(parallels(definition).map((state) => (state.Branches as unknown[]).length)).toEqual([
      100,
    ]);
    expect(addedEdges).toEqual([]);
  });

  it("adds one false edge to the N shape, the one that keeps the critical path shortest", () => {
    // a (1 s) -> c (5 s), a -> d (1 s), b (4 s) -> d. Series-parallel needs one of a->... waits:
    // making c wait for b costs 4 + 5 = 9 s on the path b -> c; the generator must find a cheaper one.
    const workflow = N_SHAPE;

    const { addedEdges, structuralDelayMs } = build(workflow);

    expect(addedEdges).toHaveLength(1);
    expect(addedEdges).not.toContainEqual({ from: "b", to: "c" });
    expect(structuralDelayMs).toBeLessThan(4000);
  });

  it("level by level, every level waits for the slowest of the one before", () => {
    const workflow = N_SHAPE;

    const levels = build(workflow, "levels");
    const seriesParallel = build(workflow);

    expect(levels.form).toBe("levels");
    expect(levels.addedEdges).toContainEqual({ from: "b", to: "c" });
    // levels: max(a, b) + max(c, d) = 4 + 5 = 9 s against the DAG's a -> c = 6 s.
    expect(levels.structuralDelayMs).toBe(3000);
    expect(levels.structuralDelayMs).toBeGreaterThanOrEqual(seriesParallel.structuralDelayMs);
  });
});
