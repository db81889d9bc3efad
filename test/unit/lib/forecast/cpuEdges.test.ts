import { describe, expect, it } from "vitest";
import { CpuModel, SerialServer } from "../../../../lib/forecast/cpu.js";
import { Simulation } from "../../../../lib/forecast/simulation.js";
import { sharedCpu } from "../../../helpers/forecastParameters.js";

/** A CPU model of `cores` shared cores on a new simulation. */
const sharedCores = (cores: number) => {
  const simulation = new Simulation(1);
  return { simulation, cpu: new CpuModel(simulation, sharedCpu(cores)) };
};

describe("Class: CpuModel, shared cores", () => {
  it("counts burners, the local stack and work jobs alike in the demand for the cores", () => {
    // Prepare: 2 cores, a burner and the busy stack beside a job of 100 ms of CPU
    const { simulation, cpu } = sharedCores(2);
    let endedAt = 0;
    cpu.startBurn();
    cpu.setStackBusy(true);

    // Act
    cpu.work(100, 1024, () => {
      endedAt = simulation.now;
    });
    simulation.run();

    // Assess: 3 want a core, 2 there are: the job runs at 2/3 of a core
    expect(endedAt).toBeCloseTo(150, 6);
  });

  it("gives the stack's core back to the work jobs when the stack is idle again", () => {
    // Prepare: one core, the stack busy for the first 100 ms, a job of 100 ms of CPU
    const { simulation, cpu } = sharedCores(1);
    let endedAt = 0;
    cpu.setStackBusy(true);
    simulation.after(100, () => cpu.setStackBusy(false));

    // Act
    cpu.work(100, 1024, () => {
      endedAt = simulation.now;
    });
    simulation.run();

    // Assess: 50 ms of CPU in the first 100 ms, the other 50 alone
    expect(endedAt).toBeCloseTo(150, 6);
  });

  it("frees a burner's core once, however often it is stopped", () => {
    // Prepare: one core, two burners, the first stopped twice
    const { simulation, cpu } = sharedCores(1);
    let endedAt = 0;
    const stopFirst = cpu.startBurn();
    cpu.startBurn();
    stopFirst();
    stopFirst();

    // Act
    cpu.work(100, 1024, () => {
      endedAt = simulation.now;
    });
    simulation.run();

    // Assess: the second burner still holds half the core
    expect(endedAt).toBeCloseTo(200, 6);
  });

  it("ends each of two jobs sharing a core exactly when its half of the core has done its work", () => {
    // Prepare
    const { simulation, cpu } = sharedCores(1);
    const ended: number[] = [];

    // Act
    cpu.work(100, 1024, () => ended.push(simulation.now));
    cpu.work(100, 1024, () => ended.push(simulation.now));
    simulation.run();

    // Assess
    expect(ended).toEqual([200, 200]);
  });

  it("counts a job within a nanosecond of its end as done (what re-timing leaves), at once", () => {
    // Prepare
    const { simulation, cpu } = sharedCores(1);
    let endedAt: number | undefined;

    // Act
    cpu.work(1e-9, 1024, () => {
      endedAt = simulation.now;
    });
    simulation.run();

    // Assess
    expect(endedAt).toBe(0);
  });

  it("wakes for the soonest end alone: a change makes the wake-up it replaces a no-op", () => {
    // Prepare: one core, a job of 1 s of CPU started every 10 ms, 100 in all
    const { simulation, cpu } = sharedCores(1);
    const ended: number[] = [];
    for (let index = 0; index < 100; index += 1) {
      simulation.after(index * 10, () => cpu.work(1000, 1024, () => ended.push(simulation.now)));
    }

    // Act
    simulation.run();

    // Assess: 100 s of CPU on one core, in a few events per job (its start, the wake-up it made
    // stale, its end), not in a wake-up per job for every change
    expect(ended).toHaveLength(100);
    expect(ended.at(-1)).toBeCloseTo(100_000, 6);
    expect(simulation.eventsRun).toBeLessThan(10 * 100);
  });
});

describe("Class: SerialServer, edges", () => {
  it("serves a request that costs nothing before the call returns, and never turns busy for it", () => {
    // Prepare
    const simulation = new Simulation(1);
    const changes: boolean[] = [];
    const server = new SerialServer(
      simulation,
      () => 1,
      (busy) => changes.push(busy),
    );
    const served: string[] = [];

    // Act
    server.serve(0, () => served.push("serve"));
    server.whenFree(() => served.push("free"));
    const servedBeforeRun = [...served];
    simulation.run();

    // Assess
    expect(servedBeforeRun).toEqual(["serve", "free"]);
    expect(changes).toEqual([]);
  });
});
