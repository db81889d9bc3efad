import { describe, expect, it } from "vitest";
import type { Clock } from "../../../../lib/ports.js";
import { runTask } from "../../../../lib/tasks/runTask.js";
import type { TaskRequest } from "../../../../lib/tasks/types.js";
import { FakeClock } from "../../../helpers/FakeClock.js";

const request = (overrides: Partial<TaskRequest> = {}): TaskRequest => ({
  runId: "run",
  taskId: "task",
  fn: "queryData",
  durationMs: 2000,
  kind: "io",
  inputs: {},
  ...overrides,
});

/** A clock that moves 1 ms each time it is read and never waits: for the CPU-burning loop. */
function tickingClock(): Clock & { reads: number } {
  const clock = {
    reads: 0,
    now: () => {
      clock.reads += 1;
      return clock.reads;
    },
    sleep: () => Promise.reject(new Error("a cpu task must not sleep")),
  };
  return clock;
}

describe("Function: runTask", () => {
  it("waits durationMs for an io task and reports its own span", async () => {
    const clock = new FakeClock(1000);

    const result = await clock.drive(runTask(request(), clock));

    expect(result).toEqual({ output: "data", startedAt: 1000, endedAt: 3000 });
  });

  it("keeps the CPU busy for a cpu task until the time has passed", async () => {
    const clock = tickingClock();

    const result = await runTask(request({ kind: "cpu", durationMs: 50 }), clock);

    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(50);
  });

  it.each([
    ["queryData", {}, "data"],
    ["processData", { queryData: "data" }, "processed(data)"],
    ["processData", { b: "y", a: "x" }, "processed(x,y)"],
    ["processData", { a: { rows: 2 } }, 'processed({"rows":2})'],
    ["writeLog", {}, "logged"],
  ] as const)("%s with inputs %j returns %s", async (fn, inputs, output) => {
    const clock = new FakeClock();

    const result = await clock.drive(runTask(request({ fn, inputs, durationMs: 0 }), clock));

    expect(result.output).toBe(output);
  });

  it("throws the given message when the node asks to fail, after doing its work", async () => {
    const clock = new FakeClock();

    await expect(clock.drive(runTask(request({ fail: "disk full" }), clock))).rejects.toThrow(
      "disk full",
    );
    expect(clock.now()).toBe(2000);
  });
});
