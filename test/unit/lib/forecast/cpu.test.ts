import { describe, expect, it } from "vitest";
import { CpuModel, SerialServer } from "../../../../lib/forecast/cpu.js";
import { Simulation } from "../../../../lib/forecast/simulation.js";
import type { OwnFunctionFacts } from "../../../../lib/forecast/taskBodies.js";
import type { StrategyName } from "../../../../lib/strategies/names.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { forecastOne, taskIn, taskOf } from "../../../helpers/forecast.js";
import {
  fixedPlatform,
  localStack,
  PER_ENVIRONMENT_CPU,
  sharedCpu,
} from "../../../helpers/forecastParameters.js";

const TWO_CPU_TASKS: Workflow = {
  tasks: [taskOf("a", [], 1000, { kind: "cpu" }), taskOf("b", [], 1000, { kind: "cpu" })],
};

/** `count` independent tasks of the own function my-fn, each `workMs` of a full core. */
function ownTasks(count: number, workMs: number, memoryMb = 1769) {
  const ids = Array.from({ length: count }, (_, index) => `own${index}`);
  const workflow: Workflow = { tasks: ids.map((id) => ({ id, function: "my-fn", deps: [] })) };
  const facts: OwnFunctionFacts = {
    workMs,
    memoryMb,
    architecture: "arm64",
    bytesOut: 10,
    source: "test",
  };
  const ownFunctions = new Map(ids.map((id) => [id, facts]));
  return { workflow, ownFunctions };
}

describe("Forecast of CPU per environment", () => {
  it("runs two cpu tasks one after the other inline: the orchestrator's one thread", () => {
    // Act
    const run = forecastOne("inline", TWO_CPU_TASKS, fixedPlatform());

    // Assess
    expect(run.report.wallMs).toBe(2000);
    expect(taskIn(run, "b").startedAt).toBe(1000);
  });

  it.each<StrategyName>(["fanout", "queue", "stepfunctions", "durable"])(
    "runs two cpu tasks side by side under %s: an environment each",
    (strategy) => {
      // Act
      const run = forecastOne(strategy, TWO_CPU_TASKS, fixedPlatform());

      // Assess
      expect(run.report.wallMs).toBe(1000);
    },
  );

  it("runs inline io tasks side by side: a timer does not hold the thread", () => {
    // Prepare
    const workflow: Workflow = { tasks: [taskOf("a", [], 1000), taskOf("b", [], 1000)] };

    // Act
    const run = forecastOne("inline", workflow, fixedPlatform());

    // Assess
    expect(run.report.wallMs).toBe(1000);
  });

  it("runs an own function's work at its memory's share of a vCPU", () => {
    // Prepare: 1,769 MB is a vCPU, half of it half
    const full = ownTasks(1, 1000, 1769);
    const half = ownTasks(1, 1000, 1769 / 2);

    // Act
    const atFull = forecastOne("fanout", full.workflow, fixedPlatform(), full);
    const atHalf = forecastOne("fanout", half.workflow, fixedPlatform(), half);

    // Assess
    expect(atFull.report.wallMs).toBeCloseTo(1000, 6);
    expect(atHalf.report.wallMs).toBeCloseTo(2000, 6);
  });

  it("runs own functions side by side at full speed, whatever else runs", () => {
    // Prepare
    const { workflow, ownFunctions } = ownTasks(4, 1000);

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform(), { ownFunctions });

    // Assess
    expect(run.report.wallMs).toBeCloseTo(1000, 6);
  });
});

describe("Forecast of CPU shared by the machine's cores", () => {
  it("shares 2 cores among 4 own functions working at once: each takes twice as long", () => {
    // Prepare
    const { workflow, ownFunctions } = ownTasks(4, 1000);

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform({}, sharedCpu(2)), { ownFunctions });

    // Assess
    expect(run.report.wallMs).toBeCloseTo(2000, 6);
    for (const task of run.report.tasks) expect(task.endedAt).toBeCloseTo(2000, 6);
  });

  it("gives every own function a core of its own when there are cores enough", () => {
    // Prepare
    const { workflow, ownFunctions } = ownTasks(4, 1000);

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform({}, sharedCpu(4)), { ownFunctions });

    // Assess
    expect(run.report.wallMs).toBeCloseTo(1000, 6);
  });
});

describe("Forecast of own functions' calls into the local stack", () => {
  /** A local stack that costs nothing per request, and `share` of an own function's time in it. */
  const withCallsShare = (share: number, cores = 8) => ({
    ...fixedPlatform({}, sharedCpu(cores)),
    stack: localStack({ ownFunctionCallsShare: share }),
  });

  it("serves the calls of 4 own functions at once on the stack's one core: each 4 times as long", () => {
    // Prepare: all of each function's 100 ms is its calls
    const { workflow, ownFunctions } = ownTasks(4, 100);

    // Act
    const run = forecastOne("fanout", workflow, withCallsShare(1), { ownFunctions });

    // Assess: 8 cores would run them side by side; the stack's one core takes 400 ms for all
    expect(run.report.wallMs).toBeCloseTo(400, 6);
  });

  it("runs the rest of an own function's time as its own CPU, side by side on the cores", () => {
    // Prepare: half of each function's 100 ms is its calls
    const { workflow, ownFunctions } = ownTasks(4, 100);

    // Act
    const run = forecastOne("fanout", workflow, withCallsShare(0.5), { ownFunctions });

    // Assess: 4 x 50 ms of calls on one core, then 50 ms of CPU each on cores of their own
    expect(run.report.wallMs).toBeCloseTo(200 + 50, 6);
  });

  it("counts none of it as calls when the set does not say (a set from before the share)", () => {
    // Prepare
    const { workflow, ownFunctions } = ownTasks(4, 100);

    // Act
    const run = forecastOne("fanout", workflow, fixedPlatform({}, sharedCpu(8)), { ownFunctions });

    // Assess
    expect(run.report.wallMs).toBeCloseTo(100, 6);
  });
});

describe("Class: CpuModel", () => {
  it("speeds up the remaining jobs when one ends (processor sharing, re-timed at each change)", () => {
    // Prepare: one core, jobs of 100 and 300 ms of CPU
    const simulation = new Simulation(1);
    const cpu = new CpuModel(simulation, sharedCpu(1));
    const ended: Record<string, number> = {};

    // Act
    cpu.work(100, 1024, () => {
      ended.short = simulation.now;
    });
    cpu.work(300, 1024, () => {
      ended.long = simulation.now;
    });
    simulation.run();

    // Assess: both at half a core until the short one ends at 200 ms, then the long one
    // alone for its last 200 ms
    expect(ended.short).toBeCloseTo(200, 6);
    expect(ended.long).toBeCloseTo(400, 6);
  });

  it("slows work jobs down while a burner holds a core, and not after it stopped", () => {
    // Prepare: one core, a burner for the first 100 ms, a job of 100 ms of CPU
    const simulation = new Simulation(1);
    const cpu = new CpuModel(simulation, sharedCpu(1));
    let endedAt = 0;
    const stop = cpu.startBurn();
    simulation.after(100, stop);

    // Act
    cpu.work(100, 1024, () => {
      endedAt = simulation.now;
    });
    simulation.run();

    // Assess: 50 ms of CPU in the first 100 ms, the other 50 alone
    expect(endedAt).toBeCloseTo(150, 6);
  });

  it("gives an environment its memory's share of a vCPU per environment, at most one", () => {
    // Prepare
    const cpu = new CpuModel(new Simulation(1), PER_ENVIRONMENT_CPU);

    // Act + Assess
    expect(cpu.speed(1769)).toBe(1);
    expect(cpu.speed(884.5)).toBe(0.5);
    expect(cpu.speed(10_240)).toBe(1);
  });
});

describe("Class: SerialServer", () => {
  it("serves requests one after the other, in order, each at the speed it starts at", () => {
    // Prepare: half a core
    const simulation = new Simulation(1);
    const server = new SerialServer(simulation, () => 0.5);
    const ended: Array<[string, number]> = [];

    // Act
    server.serve(10, () => ended.push(["first", simulation.now]));
    server.serve(20, () => ended.push(["second", simulation.now]));
    server.hold(30, () => ended.push(["held", simulation.now]));
    simulation.run();

    // Assess: CPU at half speed (20, then 40 ms), a hold for its wall time whatever the speed
    expect(ended).toEqual([
      ["first", 20],
      ["second", 60],
      ["held", 90],
    ]);
  });

  it("runs a free request at once when nothing is queued, after the queue otherwise", () => {
    // Prepare
    const simulation = new Simulation(1);
    const server = new SerialServer(simulation, () => 1);
    const seen: Array<[string, number]> = [];

    // Act
    server.whenFree(() => seen.push(["free before", simulation.now]));
    server.hold(50, () => seen.push(["held", simulation.now]));
    server.whenFree(() => seen.push(["free after", simulation.now]));
    simulation.run();

    // Assess
    expect(seen).toEqual([
      ["free before", 0],
      ["held", 50],
      ["free after", 50],
    ]);
  });

  it.each([
    [1, 10],
    [0.5, 20],
  ])(
    "admits a request when the thread takes it up, and stays busy for its CPU at its speed after (speed %s)",
    (speed, busyMs) => {
      // Prepare
      const simulation = new Simulation(1);
      const server = new SerialServer(simulation, () => speed);
      const admitted: Array<[string, number]> = [];

      // Act
      server.admit(10, () => admitted.push(["first", simulation.now]));
      server.admit(10, () => admitted.push(["second", simulation.now]));
      server.whenFree(() => admitted.push(["free", simulation.now]));
      simulation.run();

      // Assess: the first at once, the second behind the first's 10 ms of CPU at that speed
      expect(admitted).toEqual([
        ["first", 0],
        ["second", busyMs],
        ["free", 2 * busyMs],
      ]);
    },
  );

  it("tells its owner when it is busy and when it is idle again", () => {
    // Prepare
    const simulation = new Simulation(1);
    const changes: Array<[boolean, number]> = [];
    const server = new SerialServer(
      simulation,
      () => 1,
      (busy) => changes.push([busy, simulation.now]),
    );

    // Act
    server.serve(10, () => {});
    server.serve(5, () => {});
    simulation.run();

    // Assess
    expect(changes).toEqual([
      [true, 0],
      [false, 15],
    ]);
  });
});
