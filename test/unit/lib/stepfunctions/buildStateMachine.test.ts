import { createRequire } from "node:module";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../../lib/errors.js";
import {
  type AslDefinition,
  type AslState,
  THROTTLE_RETRY,
} from "../../../../lib/stepfunctions/asl.js";
import {
  buildStateMachine,
  type GeneratedStateMachine,
  type StateMachineForm,
} from "../../../../lib/stepfunctions/buildStateMachine.js";
import { withTaskFailures } from "../../../../lib/stepfunctions/withTaskFailures.js";
import { taskRequestSchema } from "../../../../lib/tasks/schema.js";
import { taskRequestFor } from "../../../../lib/tasks/taskRequest.js";
import type { TaskRequest } from "../../../../lib/tasks/types.js";
import { criticalPath } from "../../../../lib/workflow/dag.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import {
  asBuiltInTask,
  type PlannedTask,
  planRun,
  type RunPlan,
} from "../../../../lib/workflow/plan.js";
import type { TaskNode, Workflow } from "../../../../lib/workflow/types.js";
import { seededRandom } from "../../../helpers/seededRandom.js";
import { simulateAsl } from "../../../helpers/simulateAsl.js";

/** asl-validator 4 (CommonJS, no types): JSON schema, path syntax and transition checks. */
const validateAsl = createRequire(import.meta.url)("asl-validator") as (definition: unknown) => {
  isValid: boolean;
  errors: unknown[];
};

const functionArnOf = (fn: string) =>
  `arn:aws:lambda:us-east-1:000000000000:function:concurrency-lab-test-${fn}`;

const node = (id: string, deps: string[] = [], extra: Partial<TaskNode> = {}): TaskNode => ({
  id,
  fn: "writeLog",
  deps,
  ...extra,
});

const planOf = (workflow: Workflow): RunPlan =>
  planRun({ runId: "run-1", strategy: "stepfunctions", workflow, scale: 1 });

const build = (workflow: Workflow, form?: StateMachineForm) =>
  buildStateMachine(planOf(workflow), { functionArnOf, ...(form ? { form } : {}) });

const ms = (durationMs: number) => ({ durationMs });

const CHAIN_OF_FIVE: Workflow = {
  tasks: ["a", "b", "c", "d", "e"].map((id, index, ids) =>
    node(id, index === 0 ? [] : [ids[index - 1] ?? ""]),
  ),
};
const DIAMOND: Workflow = {
  tasks: [node("a"), node("b", ["a"]), node("c", ["a"]), node("d", ["b", "c"])],
};
/** a -> c, a -> d, b -> d: not series-parallel. c -> d costs nothing here: b + d is the longest. */
const N_SHAPE: Workflow = {
  tasks: [
    node("a", [], ms(100)),
    node("b", [], ms(1000)),
    node("c", ["a"], ms(800)),
    node("d", ["a", "b"], ms(100)),
  ],
};
const WIDE: Workflow = {
  tasks: [
    node("start"),
    ...Array.from({ length: 100 }, (_, index) => node(`w${index}`, ["start"])),
    node(
      "end",
      Array.from({ length: 100 }, (_, index) => `w${index}`),
    ),
  ],
};
/** a, then (b, then d beside e, then f) beside c, then g: a Parallel nested after known results. */
const NESTED_DIAMONDS: Workflow = {
  tasks: [
    node("a"),
    node("b", ["a"]),
    node("c", ["a"]),
    node("d", ["b"]),
    node("e", ["b"]),
    node("f", ["d", "e"]),
    node("g", ["c", "f"]),
  ],
};
/** Knotted on purpose: an N shape, a diamond and a lone task. */
const TANGLE: Workflow = {
  tasks: [
    node("q", [], { fn: "queryData", durationMs: 300, outputBytes: 64 }),
    node("r", [], ms(1200)),
    node("s", ["q"], { fn: "processData", durationMs: 500 }),
    node("t", ["q", "r"], { fn: "processData", durationMs: 700 }),
    node("u", ["s", "t"], ms(100)),
    node("v", ["s"], { durationMs: 900, kind: "cpu" }),
    node("w", [], ms(50)),
  ],
};

/** Every optional field of a request, on a task with a dep and one without. */
const OPTIONAL_FIELDS: Workflow = {
  tasks: [
    node("q", [], { fn: "queryData", outputBytes: 64, fail: "boom", kind: "cpu" }),
    node("p", ["q"], { fn: "processData", fail: "bust", durationMs: 300 }),
  ],
};

/** Each task's state key (its Task state's name, its key under `results`), by task id. */
const keysOf =
  (machine: GeneratedStateMachine) =>
  (id: string): string =>
    machine.stateKeys.get(id) ?? `no state key for '${id}'`;

/** Every state, nested branches included, by name. */
function allStates(states: Record<string, AslState>): Record<string, AslState> {
  return Object.fromEntries(
    Object.entries(states).flatMap(([name, state]) => [
      [name, state],
      ...(state.Type === "Parallel"
        ? state.Branches.flatMap((branch) => Object.entries(allStates(branch.States)))
        : []),
    ]),
  );
}

const parallelsOf = (definition: AslDefinition) =>
  Object.values(allStates(definition.States)).flatMap((state) =>
    state.Type === "Parallel" ? [state] : [],
  );

/** A state's Parameters (a Task's or a Pass's), or nothing. */
const parametersOf = (state: AslState | undefined): Record<string, unknown> =>
  state && "Parameters" in state ? state.Parameters : {};

/** State names in the order a chain runs them, from StartAt following Next. */
function chainOf(branch: { StartAt: string; States: Record<string, AslState> }): string[] {
  const names: string[] = [];
  let name: string | undefined = branch.StartAt;
  while (name !== undefined) {
    names.push(name);
    const state: AslState | undefined = branch.States[name];
    name = state && "Next" in state ? state.Next : undefined;
  }
  return names;
}

interface Invocation {
  /** The event Step Functions sent, as is. */
  payload: Record<string, unknown>;
  /** The event as the task Lambda sees it: parsed with its own schema. */
  request: TaskRequest;
  startedAt: number;
  endedAt: number;
}

/**
 * The request the strategies that call tasks themselves send (executeWorkflow), given the deps'
 * outputs: a generated machine must send the same.
 */
function requestOf(plan: RunPlan, task: PlannedTask, outputOf: (dep: string) => unknown) {
  return taskRequestFor(
    plan,
    asBuiltInTask(task),
    Object.fromEntries(task.deps.map((dep) => [dep, outputOf(dep)])),
  );
}

/**
 * Runs a generated machine on its execution input in the simulator, with a fake Lambda that
 * parses each event with the task Lambda's own schema, records both, and returns
 * `{ output: "<taskId>-out", ... }` after the planned duration.
 */
function simulate(machine: GeneratedStateMachine) {
  const invocations: Invocation[] = [];
  const { output, endedAt } = simulateAsl(
    machine.definition,
    machine.input,
    ({ payload, startedAt }) => {
      const request = taskRequestSchema.parse(payload);
      const ended = startedAt + request.durationMs;
      invocations.push({
        payload: payload as Record<string, unknown>,
        request,
        startedAt,
        endedAt: ended,
      });
      return {
        result: { output: `${request.taskId}-out`, startedAt, endedAt: ended, coldStart: false },
        durationMs: request.durationMs,
      };
    },
  );
  return { output, endedAt, invocations };
}

/** The data-flow contract, checked on one simulated run of `workflow`'s machine. */
function expectFaithfulRun(workflow: Workflow, form?: StateMachineForm) {
  const plan = planOf(workflow);
  const machine = buildStateMachine(plan, { functionArnOf, ...(form ? { form } : {}) });
  const { output, endedAt, invocations } = simulate(machine);
  const byId = new Map(invocations.map((invocation) => [invocation.request.taskId, invocation]));
  const key = keysOf(machine);

  expect(invocations.map((invocation) => invocation.request.taskId).sort()).toEqual(
    plan.tasks.map((task) => task.id).sort(),
  );
  for (const task of plan.tasks) {
    const invocation = byId.get(task.id);
    for (const dep of task.deps) {
      expect(invocation?.startedAt).toBeGreaterThanOrEqual(byId.get(dep)?.endedAt ?? Infinity);
    }
    // Exactly the other strategies' request: real ids in taskId and as the keys of inputs.
    const expected = requestOf(plan, task, (dep) => `${dep}-out`);
    expect(invocation?.request).toStrictEqual(expected);
    // And nothing else on the wire but the dep ids of the inputs' keys, when there are inputs.
    const sent = [...Object.keys(expected), ...(task.deps.length > 0 ? ["inputIds"] : [])];
    expect(Object.keys(invocation?.payload ?? {}).sort()).toEqual(sent.sort());
  }
  expect(output).toEqual({
    runId: "run-1",
    results: Object.fromEntries(
      invocations.map(({ request: { taskId }, startedAt, endedAt: ended }) => [
        key(taskId),
        { output: `${taskId}-out`, startedAt, endedAt: ended, coldStart: false },
      ]),
    ),
  });
  // With tasks as the only cost, the run takes the form's critical path: the DAG's plus the delay.
  const durations = new Map(plan.tasks.map((task) => [task.id, task.durationMs]));
  const dagPathMs = criticalPath(plan.workflow, (task) => durations.get(task.id) ?? 0).lengthMs;
  expect(endedAt).toBe(dagPathMs + machine.structuralDelayMs);
  return machine;
}

function randomWorkflow(random: () => number, size: number): Workflow {
  const density = 0.15 + random() * 0.5;
  return {
    tasks: Array.from({ length: size }, (_, index) =>
      node(
        // A '-' in some ids: their paths need bracket notation.
        index % 3 === 2 ? `task-${index}` : `task_${index}`,
        [],
        ms([100, 300, 1000, 2000][Math.floor(random() * 4)] ?? 1000),
      ),
    ).map((task, index, tasks) => ({
      ...task,
      deps: tasks
        .slice(0, index)
        .filter(() => random() < density)
        .map((dep) => dep.id),
    })),
  };
}

describe("Function: buildStateMachine", () => {
  it.each([
    ["the seed", SEED_WORKFLOW],
    ["a chain of five", CHAIN_OF_FIVE],
    ["the diamond", DIAMOND],
    ["the N shape", N_SHAPE],
    ["a 100-wide level", WIDE],
    ["a tangle", TANGLE],
    ["every optional field", OPTIONAL_FIELDS],
  ] as Array<[string, Workflow]>)(
    "writes ASL that asl-validator accepts for %s, in both forms",
    (_, workflow) => {
      for (const form of ["seriesParallel", "levels"] as const) {
        const { definition } = build(workflow, form);

        // The validator writes QueryLanguage into the states it checks: give it a copy.
        expect(validateAsl(structuredClone(definition)).errors).toEqual([]);
      }
    },
  );

  it("runs the seed exactly: queryData then processData beside writeLog", () => {
    const machine = build(SEED_WORKFLOW);
    const { definition, addedEdges, structuralDelayMs, form } = machine;
    const key = keysOf(machine);

    expect(form).toBe("seriesParallel");
    expect(addedEdges).toEqual([]);
    expect(structuralDelayMs).toBe(0);
    expect(chainOf(definition)).toEqual(["Init", "Parallel_1"]);
    const [parallel] = parallelsOf(definition);
    expect(parallel?.Branches.map(chainOf)).toEqual([
      [key("queryData"), key("processData")],
      [key("writeLog")],
    ]);
  });

  it("names states and results by position in the plan, t0, t1..., never by task id", () => {
    const machine = build(SEED_WORKFLOW);

    expect([...machine.stateKeys]).toEqual([
      ["queryData", "t0"],
      ["processData", "t1"],
      ["writeLog", "t2"],
    ]);
    expect(Object.keys(allStates(machine.definition.States)).sort()).toEqual(
      ["Init", "Parallel_1", "t0", "t1", "t2"].sort(),
    );
  });

  it("writes a chain of five as five Task states in a row, without any Parallel", () => {
    const machine = build(CHAIN_OF_FIVE);
    const { definition, addedEdges, structuralDelayMs } = machine;

    expect(chainOf(definition)).toEqual([
      "Init",
      ...["a", "b", "c", "d", "e"].map(keysOf(machine)),
    ]);
    expect(parallelsOf(definition)).toEqual([]);
    expect(addedEdges).toEqual([]);
    expect(structuralDelayMs).toBe(0);
  });

  it("runs the diamond exactly: a, then b beside c, then d", () => {
    const machine = build(DIAMOND);
    const key = keysOf(machine);

    expect(machine.addedEdges).toEqual([]);
    expect(chainOf(machine.definition)).toEqual(["Init", key("a"), "Parallel_1", key("d")]);
    expect(parallelsOf(machine.definition)[0]?.Branches.map(chainOf)).toEqual([
      [key("b")],
      [key("c")],
    ]);
  });

  it("runs a 100-wide level as one Parallel of 100 single-task branches, nothing added", () => {
    const machine = build(WIDE);
    const key = keysOf(machine);

    expect(machine.addedEdges).toEqual([]);
    expect(chainOf(machine.definition)).toEqual(["Init", key("start"), "Parallel_1", key("end")]);
    const branches = parallelsOf(machine.definition).map((parallel) =>
      parallel.Branches.map(chainOf),
    );
    expect(branches).toEqual([Array.from({ length: 100 }, (_, index) => [key(`w${index}`)])]);
  });

  it("adds one false edge to the N shape, the one that keeps the critical path shortest", () => {
    // DAG: b + d = 1100 ms. d waits for c: max(a + c, b) + d = 1100 (free). c waits for b, as
    // levels would: b + c = 1800. b waits for a: a + b + d = 1200.
    const { addedEdges, structuralDelayMs } = build(N_SHAPE);

    expect(addedEdges).toEqual([{ from: "c", to: "d" }]);
    expect(structuralDelayMs).toBe(0);
  });

  it("adds the N shape's cheapest edge even when every choice costs some time", () => {
    const workflow: Workflow = {
      tasks: [
        node("a", [], ms(50)),
        node("b", [], ms(500)),
        node("c", ["a"], ms(1000)),
        node("d", ["a", "b"], ms(600)),
      ],
    };

    // DAG: b + d = 1100. b waits for a: a + b + d = 1150; c -> d: 1650; b -> c: 1500.
    const { addedEdges, structuralDelayMs } = build(workflow);

    expect(addedEdges).toEqual([{ from: "a", to: "b" }]);
    expect(structuralDelayMs).toBe(50);
  });

  it("level by level, lists every false edge between consecutive levels and costs at least as much", () => {
    const levels = build(N_SHAPE, "levels");

    expect(levels.form).toBe("levels");
    expect(levels.addedEdges).toEqual([{ from: "b", to: "c" }]);
    // max(a, b) + max(c, d) = 1800 against the DAG's 1100.
    expect(levels.structuralDelayMs).toBe(700);
    expect(levels.structuralDelayMs).toBeGreaterThanOrEqual(build(N_SHAPE).structuralDelayMs);
    expect(chainOf(levels.definition)).toEqual(["Init", "Parallel_1", "Parallel_2"]);
  });

  it("level by level, adds the edges from each level to the next that the DAG lacks", () => {
    const plan = planOf(TANGLE);

    const { addedEdges } = buildStateMachine(plan, { functionArnOf, form: "levels" });

    const expected = plan.tasks.flatMap((to) =>
      plan.tasks
        .filter((from) => from.level === to.level - 1 && !to.deps.includes(from.id))
        .map((from) => ({ from: from.id, to: to.id })),
    );
    const order = (edge: { from: string; to: string }) => `${edge.from}>${edge.to}`;
    expect(addedEdges.map(order).sort()).toEqual(expected.map(order).sort());
  });

  it("builds each request from the task's values in the execution input, the run id and the deps' outputs", () => {
    const machine = build(SEED_WORKFLOW);
    const states = allStates(machine.definition.States);
    const [queryData, processData, writeLog] = ["queryData", "processData", "writeLog"].map(
      keysOf(machine),
    );
    const values = `$$.Execution.Input.tasks.${processData}`;

    expect(states[processData ?? ""]).toEqual({
      Type: "Task",
      Resource: functionArnOf("processData"),
      Parameters: {
        "taskId.$": `${values}.taskId`,
        fn: "processData",
        "durationMs.$": `${values}.durationMs`,
        "kind.$": `${values}.kind`,
        "runId.$": "$.runId",
        inputs: { [`${queryData}.$`]: `$.results.${queryData}.output` },
        "inputIds.$": `${values}.inputIds`,
      },
      ResultPath: `$.results.${processData}`,
      Retry: [THROTTLE_RETRY],
      End: true,
    });
    expect(states[queryData ?? ""]).toMatchObject({ Parameters: { inputs: {} } });
    expect(Object.keys(parametersOf(states[queryData ?? ""]))).not.toContain("inputIds.$");
    expect(machine.input).toEqual({
      runId: "run-1",
      tasks: {
        [queryData ?? ""]: { taskId: "queryData", durationMs: 2000, kind: "io" },
        [processData ?? ""]: {
          taskId: "processData",
          durationMs: 2000,
          kind: "io",
          inputIds: { [queryData ?? ""]: "queryData" },
        },
        [writeLog ?? ""]: { taskId: "writeLog", durationMs: 2000, kind: "io" },
      },
    });
  });

  it("sends outputBytes and fail only for the tasks whose plan sets them, their values from the input", () => {
    const machine = build({ tasks: [...OPTIONAL_FIELDS.tasks, node("w")] });
    const states = allStates(machine.definition.States);
    const [q, p, w] = ["q", "p", "w"].map(keysOf(machine));

    expect(parametersOf(states[q ?? ""])).toMatchObject({
      fn: "queryData",
      "outputBytes.$": `$$.Execution.Input.tasks.${q}.outputBytes`,
      "fail.$": `$$.Execution.Input.tasks.${q}.fail`,
    });
    expect(machine.input.tasks[q ?? ""]).toEqual({
      taskId: "q",
      durationMs: 2000,
      kind: "cpu",
      outputBytes: 64,
      fail: "boom",
    });
    expect(Object.keys(parametersOf(states[p ?? ""]))).not.toContain("outputBytes.$");
    expect(parametersOf(states[p ?? ""])).toMatchObject({
      "fail.$": `$$.Execution.Input.tasks.${p}.fail`,
    });
    expect(Object.keys(parametersOf(states[w ?? ""]))).not.toContain("outputBytes.$");
    expect(Object.keys(parametersOf(states[w ?? ""]))).not.toContain("fail.$");
    expect(machine.input.tasks[w ?? ""]).toEqual({ taskId: "w", durationMs: 2000, kind: "io" });
  });

  it("writes one definition for every workflow of one shape, whatever its ids and values", () => {
    // Prepare: the load benchmark's shape, ids and values of two different runs.
    const shaped = (
      prefix: string,
      values: { outputBytes: number; fail: string; kind: "io" | "cpu" },
    ) => ({
      tasks: [
        node(`${prefix}q`, [], {
          fn: "queryData",
          durationMs: 300,
          outputBytes: values.outputBytes,
        }),
        node(`${prefix}p`, [`${prefix}q`], {
          fn: "processData",
          durationMs: 500,
          fail: values.fail,
        }),
        node(`${prefix}l`, [], { durationMs: 200, kind: values.kind }),
        node(`${prefix}s`, [`${prefix}p`, `${prefix}l`], { fn: "processData", durationMs: 100 }),
      ],
    });
    const plan = (runId: string, workflow: Workflow) =>
      planRun({ runId, strategy: "stepfunctions", workflow, scale: 1 });
    const one = shaped("a-", { outputBytes: 256, fail: "boom", kind: "io" });
    const other = shaped("run_7_", {
      outputBytes: 2240,
      fail: "a much longer message",
      kind: "cpu",
    });

    // Act
    const first = buildStateMachine(plan("run-1", one), { functionArnOf });
    const second = buildStateMachine(plan("run-2", other), { functionArnOf });
    const moreDeps = buildStateMachine(
      plan("run-1", {
        tasks: one.tasks.map((task) =>
          task.id === "a-s" ? { ...task, deps: [...task.deps, "a-q"] } : task,
        ),
      }),
      { functionArnOf },
    );

    // Assess: the same text (with the failure states too), different inputs.
    expect(JSON.stringify(second.definition)).toBe(JSON.stringify(first.definition));
    expect(JSON.stringify(withTaskFailures(second.definition))).toBe(
      JSON.stringify(withTaskFailures(first.definition)),
    );
    expect(second.input).not.toEqual(first.input);
    for (const id of [...one.tasks, ...other.tasks].map((task) => task.id)) {
      expect(JSON.stringify(second.definition)).not.toContain(id);
    }
    // Another shape (one more dep): another definition.
    expect(JSON.stringify(moreDeps.definition)).not.toBe(JSON.stringify(first.definition));
  });

  it("starts by shaping the input into { runId, results: {} }", () => {
    const machine = build(CHAIN_OF_FIVE);

    expect(machine.definition.StartAt).toBe("Init");
    expect(machine.definition.States.Init).toEqual({
      Type: "Pass",
      Parameters: { "runId.$": "$.runId", results: {} },
      Next: keysOf(machine)("a"),
    });
  });

  it.each([
    ["nested diamonds", NESTED_DIAMONDS],
    ["a tangle", TANGLE],
  ] as Array<[string, Workflow]>)(
    "merges after each Parallel of %s every result known so far, each from the branch that has it",
    (_, workflow) => {
      const machine = build(workflow);
      const { definition } = machine;
      const checked: string[] = [];

      // Walks the chain, tracking which results exist, and checks each Parallel's ResultSelector.
      const walk = (
        branch: { StartAt: string; States: Record<string, AslState> },
        known: string[],
      ) => {
        let results = [...known];
        for (const name of chainOf(branch)) {
          const state = branch.States[name];
          if (state?.Type === "Task") results = [...results, name];
          if (state?.Type !== "Parallel") continue;
          const produced = state.Branches.map((inner) =>
            walk(inner, results).slice(results.length),
          );
          const expected = {
            "runId.$": "$[0].runId",
            results: Object.fromEntries([
              ...results.map((id) => [`${id}.$`, `$[0].results.${id}`]),
              ...produced.flatMap((ids, index) =>
                ids.map((id) => [`${id}.$`, `$[${index}].results.${id}`]),
              ),
            ]),
          };
          expect(state.ResultSelector).toEqual(expected);
          expect(state.ResultPath).toBe("$");
          checked.push(name);
          results = [...results, ...produced.flat()];
        }
        return results;
      };

      expect(walk(definition, []).sort()).toEqual(
        workflow.tasks.map((task) => keysOf(machine)(task.id)).sort(),
      );
      expect(checked.length).toBeGreaterThan(0);
    },
  );

  it.each([
    ["the seed", SEED_WORKFLOW],
    ["the diamond", DIAMOND],
    ["the N shape", N_SHAPE],
    ["nested diamonds", NESTED_DIAMONDS],
    ["a tangle", TANGLE],
    ["every optional field", OPTIONAL_FIELDS],
  ] as Array<[string, Workflow]>)(
    "runs %s faithfully in the simulator, in both forms",
    (_, workflow) => {
      expectFaithfulRun(workflow);
      expectFaithfulRun(workflow, "levels");
    },
  );

  it("runs ids that are not JSONPath shorthand names as any other: no id is in a path", () => {
    const odd: Workflow = {
      tasks: [
        node("fetch-1", [], { fn: "queryData" }),
        node("2nd", []),
        node("where", ["fetch-1", "2nd"], { fn: "processData" }),
      ],
    };
    const plain: Workflow = {
      tasks: [
        node("a", [], { fn: "queryData" }),
        node("b"),
        node("c", ["a", "b"], { fn: "processData" }),
      ],
    };

    const machine = expectFaithfulRun(odd);

    expect(JSON.stringify(machine.definition)).toBe(JSON.stringify(build(plain).definition));
    expect(validateAsl(structuredClone(machine.definition)).errors).toEqual([]);
  });

  it("keeps state names unique when a task is called Init or Parallel_1", () => {
    const workflow: Workflow = {
      tasks: [node("Init"), node("Parallel_1"), node("x", ["Init", "Parallel_1"])],
    };

    const machine = expectFaithfulRun(workflow);

    expect(chainOf(machine.definition)).toEqual(["Init", "Parallel_1", keysOf(machine)("x")]);
    expect(validateAsl(structuredClone(machine.definition)).errors).toEqual([]);
  });

  it("keeps every dependency and never saves time on 200 random DAGs of up to 8 tasks", () => {
    const random = seededRandom(42);

    for (let run = 0; run < 200; run += 1) {
      const workflow = randomWorkflow(random, 1 + Math.floor(random() * 8));

      // Checks, in the simulator, that no task starts before its deps end, and more.
      const machine = expectFaithfulRun(workflow);

      expect(machine.structuralDelayMs).toBeGreaterThanOrEqual(0);
      if (machine.addedEdges.length === 0) expect(machine.structuralDelayMs).toBe(0);
    }
  });

  it("refuses an empty plan", () => {
    const plan: RunPlan = { ...planOf(SEED_WORKFLOW), tasks: [] };

    expect(() => buildStateMachine(plan, { functionArnOf })).toThrow(InvalidInputError);
  });

  it("refuses a plan whose deps name a task it does not have", () => {
    const plan = planOf(SEED_WORKFLOW);
    const broken: RunPlan = {
      ...plan,
      tasks: plan.tasks.map((task) =>
        task.id === "writeLog" ? { ...task, deps: ["ghost"] } : task,
      ),
    };

    expect(() => buildStateMachine(broken, { functionArnOf })).toThrow(/unknown task 'ghost'/);
  });
});

describe("Function: buildStateMachine, the user's own functions", () => {
  const arn = "arn:aws:lambda:us-east-1:000000000000:function:fetch";
  const withConfiguration = (plan: RunPlan): RunPlan => ({
    ...plan,
    tasks: plan.tasks.map((task) =>
      task.function
        ? { ...task, configuration: { arn, memoryMb: 512, architecture: "arm64", timeoutS: 10 } }
        : task,
    ),
  });
  const workflow: Workflow = {
    tasks: [
      node("q", [], { fn: "queryData" }),
      { id: "own", function: "fetch", deps: ["q"], payload: { part: 2, nested: { a: [1] } } },
      node("after", ["own"]),
    ],
  };

  it("invokes the function's ARN with the payload and the deps' outputs by dep id, timed by the execution", () => {
    const machine = buildStateMachine(withConfiguration(planOf(workflow)), { functionArnOf });
    const states = allStates(machine.definition.States);
    const key = keysOf(machine)("own");
    const task = states[key];

    expect(task).toMatchObject({
      Type: "Task",
      Resource: arn,
      Parameters: {
        part: 2,
        nested: { a: [1] },
        inputs: { "q.$": `$.results.${keysOf(machine)("q")}.output` },
      },
      ResultSelector: { "output.$": "$", "startedAt.$": "$$.State.EnteredTime" },
      ResultPath: `$.results.${key}`,
    });
    // The answer's time: the state after it notes when it was entered.
    const answered = task && "Next" in task ? states[task.Next] : undefined;
    expect(answered).toMatchObject({
      Type: "Pass",
      Parameters: { "at.$": "$$.State.EnteredTime" },
      ResultPath: `$.results.${key}.endedAt`,
    });
    expect(validateAsl(structuredClone(machine.definition)).errors).toEqual([]);
  });

  it("sends the payload as is with inputsKey null, and refuses a payload key Step Functions would read as a path", () => {
    const asIs: Workflow = {
      tasks: [{ id: "own", function: "fetch", deps: [], payload: { a: 1 }, inputsKey: null }],
    };
    const machine = buildStateMachine(withConfiguration(planOf(asIs)), { functionArnOf });
    expect(parametersOf(machine.definition.States.t0)).toEqual({ a: 1 });

    const pathLike: Workflow = {
      tasks: [{ id: "own", function: "fetch", deps: [], payload: { "x.$": "$.y" } }],
    };
    expect(() => buildStateMachine(withConfiguration(planOf(pathLike)), { functionArnOf })).toThrow(
      /payload\.x\.\$: ends in '\.\$'/,
    );
  });
});
