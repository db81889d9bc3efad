import { describe, expect, it } from "vitest";
import {
  constantFigure,
  drawFigure,
  type Figure,
  logNormalOf,
} from "../../../../lib/forecast/figure.js";
import { Simulation } from "../../../../lib/forecast/simulation.js";

const SPREAD: Figure = { p50Ms: 40, p99Ms: 400, source: "test" };

describe("Class: Simulation", () => {
  it("runs events in time order, whatever the order they were scheduled in", () => {
    // Prepare
    const simulation = new Simulation(1);
    const seen: Array<[string, number]> = [];
    const note = (name: string) => () => seen.push([name, simulation.now]);
    for (const [name, at] of [
      ["e", 50],
      ["b", 10],
      ["f", 70],
      ["a", 5],
      ["d", 40],
      ["c", 20],
    ] as const) {
      simulation.schedule(at, note(name));
    }

    // Act
    simulation.run();

    // Assess
    expect(seen).toEqual([
      ["a", 5],
      ["b", 10],
      ["c", 20],
      ["d", 40],
      ["e", 50],
      ["f", 70],
    ]);
  });

  it("runs events due at the same time first in, first out, those scheduled by an event too", () => {
    // Prepare
    const simulation = new Simulation(1);
    const seen: string[] = [];
    for (let index = 0; index < 40; index += 1) {
      simulation.schedule(100, () => {
        seen.push(`first-${index}`);
        // Due now: after everything already due now.
        if (index === 0) simulation.after(0, () => seen.push("scheduled-by-first"));
      });
    }
    simulation.schedule(100, () => seen.push("last"));

    // Act
    simulation.run();

    // Assess
    expect(seen).toEqual([
      ...Array.from({ length: 40 }, (_, index) => `first-${index}`),
      "last",
      "scheduled-by-first",
    ]);
  });

  it("delays each event by its delay from the time it was scheduled at", () => {
    // Prepare
    const simulation = new Simulation(1);
    const times: number[] = [];

    // Act
    simulation.after(30, () => simulation.after(20, () => times.push(simulation.now)));
    simulation.after(-5, () => times.push(simulation.now));
    simulation.run();

    // Assess: a negative delay is now, the nested one 30 + 20
    expect(times).toEqual([0, 50]);
  });

  it("neither runs a cancelled event nor moves the clock to it", () => {
    // Prepare
    const simulation = new Simulation(1);
    const seen: string[] = [];
    simulation.after(10, () => seen.push("kept"));
    const cancel = simulation.after(1000, () => seen.push("cancelled"));

    // Act
    cancel();
    simulation.run();

    // Assess
    expect(seen).toEqual(["kept"]);
    expect(simulation.now).toBe(10);
    expect(simulation.eventsRun).toBe(1);
  });

  it("stops before the first event past `untilMs`, leaving it to a later run", () => {
    // Prepare
    const simulation = new Simulation(1);
    const seen: number[] = [];
    for (const at of [10, 20, 30]) simulation.schedule(at, () => seen.push(at));

    // Act
    simulation.run(25);
    const before = [...seen];
    simulation.run();

    // Assess
    expect(before).toEqual([10, 20]);
    expect(seen).toEqual([10, 20, 30]);
  });

  it("throws when a model runs over the events it may run", () => {
    // Prepare: an event that always schedules another
    const simulation = new Simulation(1);
    const again = () => {
      simulation.after(1, again);
    };
    simulation.after(0, again);

    // Act + Assess
    expect(() => simulation.run(Number.POSITIVE_INFINITY, 100)).toThrow("ran over 100 events");
    expect(simulation.eventsRun).toBe(101);
  });

  it("repeats every draw exactly for the same seed, and draws others for another", () => {
    // Prepare
    const drawsOf = (seed: number) => {
      const simulation = new Simulation(seed, "random");
      return Array.from({ length: 50 }, () => simulation.draw(SPREAD));
    };

    // Act
    const first = drawsOf(7);
    const again = drawsOf(7);
    const other = drawsOf(8);

    // Assess
    expect(again).toEqual(first);
    expect(other).not.toEqual(first);
    expect(new Set(first).size).toBe(50);
  });

  it("draws a figure's median in median mode, every time", () => {
    // Prepare
    const simulation = new Simulation(1, "median");

    // Act
    const draws = Array.from({ length: 20 }, () => simulation.draw(SPREAD));

    // Assess
    for (const draw of draws) expect(draw).toBeCloseTo(SPREAD.p50Ms, 9);
  });

  it("draws around the median in random mode: about half below it, about 1 % above its p99", () => {
    // Prepare
    const simulation = new Simulation(3, "random");

    // Act
    const draws = Array.from({ length: 20_000 }, () => simulation.draw(SPREAD));

    // Assess
    const below = draws.filter((draw) => draw < SPREAD.p50Ms).length / draws.length;
    const abovePercentile = draws.filter((draw) => draw > 400).length / draws.length;
    expect(below).toBeGreaterThan(0.48);
    expect(below).toBeLessThan(0.52);
    expect(abovePercentile).toBeGreaterThan(0.005);
    expect(abovePercentile).toBeLessThan(0.015);
    expect(Math.min(...draws)).toBeGreaterThan(0);
  });

  it("draws uniform values strictly between 0 and 1", () => {
    // Prepare
    const simulation = new Simulation(1);

    // Act
    const values = Array.from({ length: 10_000 }, () => simulation.uniform());

    // Assess
    expect(Math.min(...values)).toBeGreaterThan(0);
    expect(Math.max(...values)).toBeLessThan(1);
  });
});

describe("Function: drawFigure", () => {
  it("gives a constant figure's value whatever the normal value", () => {
    // Prepare
    const figure = constantFigure(25, "test");

    // Act
    const draws = [-3, -1, 0, 1, 3].map((normal) => drawFigure(figure, normal));

    // Assess
    for (const draw of draws) expect(draw).toBeCloseTo(25, 9);
    expect(logNormalOf(figure).sigma).toBe(0);
  });

  it("puts a figure's p99 at z = 2.326 and its p95 at z = 1.645", () => {
    // Act
    const atP99 = drawFigure({ p50Ms: 10, p99Ms: 90, source: "test" }, 2.326_347_874);
    const atP95 = drawFigure({ p50Ms: 10, p95Ms: 30, source: "test" }, 1.644_853_627);

    // Assess
    expect(atP99).toBeCloseTo(90, 6);
    expect(atP95).toBeCloseTo(30, 6);
  });

  it("draws 0 for a figure whose median is 0", () => {
    // Act + Assess
    expect(drawFigure(constantFigure(0, "test"), 2)).toBe(0);
  });
});
