import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { HEARTBEAT_INTERVAL_MS, RunRecordWriter } from "../../../../lib/runs/recordWriter.js";
import { aRunRecord, InMemoryRunRecordStore } from "../../../helpers/runRecords.js";

/** Accepted, nothing started or finished yet. */
const accepted = aRunRecord({
  runId: "run-1",
  status: "accepted",
  startedAt: undefined,
  tasksFinished: undefined,
});

beforeEach(() => {
  vi.useFakeTimers({ now: 0 });
});

afterEach(() => {
  vi.useRealTimers();
});

describe("Class: RunRecordWriter", () => {
  it("writes the tasks finished at most every 2 s, not once per task", async () => {
    const store = new InMemoryRunRecordStore();
    const writer = new RunRecordWriter(store, accepted, Date.now);
    await writer.started();

    for (const id of ["a", "b", "c"]) writer.taskEnded(id);
    await vi.advanceTimersByTimeAsync(0);
    for (const id of ["d", "e"]) writer.taskEnded(id);
    await vi.advanceTimersByTimeAsync(2000);

    expect(store.writes.map((record) => record.tasksFinished)).toEqual([
      undefined,
      ["a", "b", "c"],
      ["a", "b", "c", "d", "e"],
    ]);
  });

  it("never lets a progress write come after the ending", async () => {
    const store = new InMemoryRunRecordStore();
    const writer = new RunRecordWriter(store, accepted, Date.now);
    await writer.started();
    writer.taskEnded("a");
    await vi.advanceTimersByTimeAsync(0);
    writer.taskEnded("b");

    await writer.end({ status: "succeeded" });
    const writesAtTheEnd = store.writes.length;
    await vi.advanceTimersByTimeAsync(5000);

    expect(store.writes).toHaveLength(writesAtTheEnd);
    expect(store.records.get("run-1")?.status).toBe("succeeded");
  });

  it("says the orchestrator is alive every 20 s while the run goes on, and stops at the end", async () => {
    const store = new InMemoryRunRecordStore();
    const writer = new RunRecordWriter(store, accepted, Date.now);
    await writer.started();

    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS * 2);
    await writer.end({ status: "succeeded" });
    const written = store.writes.length;
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS * 2);

    expect(store.writes.map((record) => record.heartbeatAt)).toEqual([
      0,
      HEARTBEAT_INTERVAL_MS,
      HEARTBEAT_INTERVAL_MS * 2,
      HEARTBEAT_INTERVAL_MS * 2,
    ]);
    expect(store.writes).toHaveLength(written);
  });

  it("writes neither heartbeat nor progress for an orchestrator suspended while its run goes on (durable)", async () => {
    const store = new InMemoryRunRecordStore();
    const writer = new RunRecordWriter(store, accepted, Date.now, false);
    await writer.started();

    writer.taskEnded("q");
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS * 3);

    expect(store.writes.map((record) => record.heartbeatAt)).toEqual([undefined]);
  });

  it("lets no write a durable replay queued land after a later replay ended the run", async () => {
    const store = new InMemoryRunRecordStore();
    // Two replays of one durable execution, each with a writer of its own.
    const earlier = new RunRecordWriter(store, { ...accepted, status: "running" }, Date.now, false);
    const later = new RunRecordWriter(store, { ...accepted, status: "running" }, Date.now, false);
    earlier.taskEnded("q");

    await later.end({ status: "succeeded" });
    await vi.advanceTimersByTimeAsync(HEARTBEAT_INTERVAL_MS);

    expect(store.records.get("run-1")?.status).toBe("succeeded");
  });

  it("notes the injected orchestrator crash on the record", async () => {
    const store = new InMemoryRunRecordStore();
    const writer = new RunRecordWriter(store, accepted, Date.now);

    await writer.orchestratorCrashing();

    expect(store.records.get("run-1")?.orchestratorCrashedAt).toBe(0);
  });
});
