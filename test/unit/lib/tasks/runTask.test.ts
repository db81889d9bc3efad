import { describe, expect, it } from "vitest";
import type { Clock } from "../../../../lib/ports.js";
import { jsonDigest } from "../../../../lib/tasks/jsonDigest.js";
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

    expect(result).toMatchObject({ startedAt: 1000, endedAt: 3000 });
  });

  it("keeps the CPU busy for a cpu task until the time has passed", async () => {
    const clock = tickingClock();

    const result = await runTask(request({ kind: "cpu", durationMs: 50 }), clock);

    expect(result.endedAt - result.startedAt).toBeGreaterThanOrEqual(50);
  });

  it.each([1024, 64 * 1024, 1024 * 1024])(
    "queryData returns a record set of about outputBytes = %i (within one record)",
    async (outputBytes) => {
      const clock = new FakeClock();

      const result = await clock.drive(runTask(request({ outputBytes, durationMs: 0 }), clock));

      const bytes = Buffer.byteLength(JSON.stringify(result.output));
      expect(Math.abs(bytes - outputBytes)).toBeLessThanOrEqual(130);
    },
  );

  it("queryData's records differ from run to run, so cross-talk between runs would show", async () => {
    const clock = new FakeClock();

    const first = await clock.drive(runTask(request({ runId: "run-a", durationMs: 0 }), clock));
    const second = await clock.drive(runTask(request({ runId: "run-b", durationMs: 0 }), clock));

    expect(first.output).not.toEqual(second.output);
    expect(first.output).toEqual(
      expect.arrayContaining([expect.objectContaining({ runId: "run-a" })]),
    );
  });

  it("processData counts and digests every dep's output as received", async () => {
    // Prepare
    const clock = new FakeClock();
    const records = [{ id: 0 }, { id: 1 }, { id: 2 }];
    const inputs = { query: records, other: "x" };

    // Act
    const result = await clock.drive(
      runTask(request({ fn: "processData", inputs, durationMs: 0 }), clock),
    );

    // Assess
    expect(result.output).toEqual({
      count: 4,
      bytes: Buffer.byteLength(JSON.stringify(records)) + Buffer.byteLength('"x"'),
      digests: { other: jsonDigest("x"), query: jsonDigest(records) },
    });
  });

  it("writeLog acknowledges", async () => {
    const clock = new FakeClock();

    const result = await clock.drive(runTask(request({ fn: "writeLog", durationMs: 0 }), clock));

    expect(result.output).toBe("logged");
  });

  it("throws the given message when the node asks to fail, after doing its work", async () => {
    const clock = new FakeClock();

    await expect(clock.drive(runTask(request({ fail: "disk full" }), clock))).rejects.toThrow(
      "disk full",
    );
    expect(clock.now()).toBe(2000);
  });
});
