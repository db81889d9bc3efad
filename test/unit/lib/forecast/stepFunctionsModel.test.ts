import { describe, expect, it } from "vitest";
import type { AslBranch } from "../../../../lib/stepfunctions/asl.js";
import { buildStateMachine } from "../../../../lib/stepfunctions/buildStateMachine.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import {
  EIGHTH_OF_A_MB_CHAIN,
  forecastOne,
  overheadGrowthWith,
  planOf,
  taskIn,
  taskOf,
} from "../../../helpers/forecast.js";
import { fixedPlatform, localStack, sharedCpu } from "../../../helpers/forecastParameters.js";

/**
 * a -> c, b -> c, b -> d: the N, not series-parallel. Its critical path is a -> c or b -> d,
 * 1,100 ms; any Parallel form adds a false edge (the cheapest: a waits for b, +100 ms).
 */
const N_SHAPE: Workflow = {
  tasks: [
    taskOf("a", [], 1000),
    taskOf("b", [], 100),
    taskOf("c", ["a", "b"], 100),
    taskOf("d", ["b"], 1000),
  ],
};
const N_CRITICAL_PATH_MS = 1100;

const CHAIN: Workflow = {
  tasks: [taskOf("a", [], 100), taskOf("b", ["a"], 100), taskOf("c", ["b"], 100)],
};
const DIAMOND: Workflow = {
  tasks: [
    taskOf("a", [], 100),
    taskOf("b", ["a"], 200),
    taskOf("c", ["a"], 300),
    taskOf("d", ["b", "c"], 50),
  ],
};
/** A diamond beside a lone task, then a join: a Parallel state inside a Parallel state. */
const NESTED: Workflow = {
  tasks: [
    taskOf("a", [], 100),
    taskOf("b", ["a"], 100),
    taskOf("c", ["a"], 100),
    taskOf("d", ["b", "c"], 100),
    taskOf("e", [], 100),
    taskOf("f", ["d", "e"], 100),
  ],
};

const machineOf = (workflow: Workflow) =>
  buildStateMachine(planOf("stepfunctions", workflow), { functionArnOf: (fn) => fn });

/** The definition's states that cost a transition, by type, every branch included. */
function countStates(branch: AslBranch): { pass: number; parallel: number } {
  let pass = 0;
  let parallel = 0;
  for (const state of Object.values(branch.States)) {
    if (state.Type === "Pass") pass += 1;
    if (state.Type === "Parallel") {
      parallel += 1;
      for (const inner of state.Branches) {
        const counted = countStates(inner);
        pass += counted.pass;
        parallel += counted.parallel;
      }
    }
  }
  return { pass, parallel };
}

/** Every state of a definition, every branch included: what a run that succeeds enters once each. */
function allStates(branch: AslBranch): number {
  return Object.values(branch.States).reduce(
    (sum, state) =>
      sum +
      1 +
      (state.Type === "Parallel"
        ? state.Branches.reduce((inner, each) => inner + allStates(each), 0)
        : 0),
    0,
  );
}

describe("Forecast of the stepfunctions strategy", () => {
  it("runs the N through the false edge its built state machine adds", () => {
    // Prepare
    const machine = machineOf(N_SHAPE);

    // Act
    const run = forecastOne("stepfunctions", N_SHAPE, fixedPlatform());

    // Assess
    expect(run.report.stateMachine?.addedEdges).toEqual(machine.addedEdges);
    expect(run.report.stateMachine?.addedEdges).toEqual([{ from: "b", to: "a" }]);
    expect(run.report.criticalPathMs).toBe(N_CRITICAL_PATH_MS);
    // The form's critical path: the DAG's plus what the false edge adds.
    expect(machine.structuralDelayMs).toBe(100);
    expect(run.report.wallMs).toBe(N_CRITICAL_PATH_MS + machine.structuralDelayMs);
    expect(run.report.overheadMs).toBe(machine.structuralDelayMs);
    // a waits for b, which the DAG does not ask for
    expect(taskIn(run, "a").startedAt).toBe(taskIn(run, "b").endedAt);
  });

  it("runs the N level after level in the levels form: each level waits for its slowest", () => {
    // Act
    const run = forecastOne("stepfunctions", N_SHAPE, fixedPlatform(), {
      stateMachineForm: "levels",
    });

    // Assess
    expect(run.report.stateMachine?.form).toBe("levels");
    expect(run.report.wallMs).toBe(1000 + 1000);
    expect(run.report.overheadMs).toBe(2000 - N_CRITICAL_PATH_MS);
  });

  it("runs a series-parallel DAG with no false edge and no overhead", () => {
    // Act
    const run = forecastOne("stepfunctions", DIAMOND, fixedPlatform());

    // Assess
    expect(run.report.stateMachine?.addedEdges).toEqual([]);
    expect(run.report.overheadMs).toBe(0);
  });

  it.each([
    ["a chain", CHAIN, 0],
    ["a diamond", DIAMOND, 1],
    ["a diamond beside a task", NESTED, 2],
    ["the N", N_SHAPE, 1],
  ] as const)(
    "pays a transition for %s's Pass state and two for each Parallel state on its path",
    (_, workflow, parallels) => {
      // Prepare
      const TRANSITION_MS = 10;
      const states = countStates(machineOf(workflow).definition);

      // Act
      const free = forecastOne("stepfunctions", workflow, fixedPlatform());
      const paid = forecastOne(
        "stepfunctions",
        workflow,
        fixedPlatform({ "stepFunctions.transition": TRANSITION_MS }),
      );

      // Assess: every Parallel state of these lies on the critical path
      expect(states.parallel).toBe(parallels);
      expect(states.pass).toBe(1);
      expect(paid.report.overheadMs - free.report.overheadMs).toBeCloseTo(
        TRANSITION_MS * (states.pass + 2 * states.parallel),
        6,
      );
    },
  );

  it("pays the start, each task's dispatch and return, and the end, once each along a chain", () => {
    // Prepare
    const parameters = fixedPlatform({
      "stepFunctions.startExecution": 25,
      "stepFunctions.taskDispatch": 50,
      "stepFunctions.taskReturn": 15,
      "stepFunctions.endExecution": 20,
    });

    // Act
    const run = forecastOne("stepfunctions", CHAIN, parameters);

    // Assess
    expect(run.report.overheadMs).toBeCloseTo(25 + 3 * (50 + 15) + 20, 6);
    expect(taskIn(run, "a").startedAt).toBeCloseTo(25 + 50, 6);
  });

  it("queues a Parallel state's branches on the local stack: each branch's start and Task state a state's work", () => {
    // Prepare: a stack that serves a state in 10 ms and nothing else, on 2 shared cores
    const parameters = {
      ...fixedPlatform({}, sharedCpu(2)),
      stack: localStack({ stateTransitionCpuMs: 10 }),
    };

    const workflow: Workflow = {
      tasks: ["a", "b", "c", "d"].map((id) => taskOf(id, [], 100)),
    };

    // Act
    const run = forecastOne("stepfunctions", workflow, parameters);

    // Assess: the 4 branch starts are served first (0-40 ms), then the Task states in turn: the
    // last Task state is taken up at 70 ms
    const starts = run.report.tasks.map((task) => (task.startedAt ?? 0) - run.report.startedAt);
    expect(Math.min(...starts)).toBeGreaterThanOrEqual(40);
    expect(Math.max(...starts)).toBeGreaterThanOrEqual(70);
  });

  it("takes payloadMsPerMb longer for a Task's payload, each way, by its size", () => {
    // Act: a's result comes back from its Lambda, and goes to b's
    const growth = overheadGrowthWith(
      "stepfunctions",
      EIGHTH_OF_A_MB_CHAIN,
      "stepFunctions.payloadMsPerMb",
      800,
    );

    // Assess: an eighth of a MB back from a and into b, and b's own 256-byte result back
    expect(growth).toBeCloseTo(2 * 100 + (256 / 1_048_576) * 800, 6);
  });

  describe("as a Standard workflow", () => {
    it.each([
      ["a chain", CHAIN],
      ["a diamond", DIAMOND],
      ["a diamond beside a task", NESTED],
    ] as const)(
      "prices %s per state transition, one for each state it enters, through collectUsage",
      (_, workflow) => {
        // Prepare
        const transitions = allStates(machineOf(workflow).definition);

        // Act
        const run = forecastOne("stepfunctions", workflow, fixedPlatform(), {
          stateMachineType: "standard",
        });

        // Assess
        expect(run.report.stateMachine).toMatchObject({ type: "standard", transitions });
        expect(run.report.usage?.stepFunctions).toEqual([{ type: "standard", transitions }]);
        expect(run.report.cost?.stepFunctionsUsd).toBeCloseTo(transitions * 0.000025, 15);
      },
    );

    it("adds a transition for each retry, and one for the Fail state a failed task enters", () => {
      // Prepare: a -> b -> c, b failing twice (one try and one retry) and the run with it.
      const failing: Workflow = {
        tasks: [
          taskOf("a", [], 100),
          taskOf("b", ["a"], 100, { fail: "boom", retries: 1 }),
          taskOf("c", ["b"], 100),
        ],
      };
      const entered = allStates(machineOf(failing).definition) - 1; // all but c

      // Act
      const run = forecastOne("stepfunctions", failing, fixedPlatform(), {
        stateMachineType: "standard",
      });

      // Assess
      expect(run.report.status).toBe("failed");
      expect(run.report.stateMachine?.transitions).toBe(entered + 1 + 1);
    });

    it("counts no transitions for a run that gave up on its execution, and says so", () => {
      const run = forecastOne("stepfunctions", CHAIN, fixedPlatform(), {
        stateMachineType: "standard",
        budgetMs: 150,
      });

      expect(run.report.error).toMatchObject({ type: "Timeout" });
      expect(run.report.stateMachine?.transitions).toBeUndefined();
      expect(run.report.usage?.stepFunctions).toEqual([
        { type: "standard", transitions: 0, estimated: true },
      ]);
    });
  });

  it("prices an Express workflow per request and GB-s, as before", () => {
    const run = forecastOne("stepfunctions", CHAIN, fixedPlatform());

    expect(run.report.stateMachine?.type).toBe("express");
    expect(run.report.stateMachine?.transitions).toBeUndefined();
    expect(run.report.usage?.stepFunctions).toEqual([
      expect.objectContaining({ type: "express", billedMemoryMb: 64, estimated: true }),
    ]);
  });
});
