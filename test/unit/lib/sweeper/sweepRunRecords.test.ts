import { describe, expect, it } from "vitest";
import type { QueueDirectory } from "../../../../lib/ports.js";
import type { RunRecord } from "../../../../lib/runs/record.js";
import {
  DEADLINE_GRACE_MS,
  HEARTBEAT_STALE_MS,
  START_GRACE_MS,
  sweepRunRecords,
} from "../../../../lib/sweeper/sweepRunRecords.js";
import { aRunRecord, InMemoryRunRecordStore } from "../../../helpers/runRecords.js";

const NOW = 1_000_000;

/** A synchronous run started 10 s ago, its heartbeat fresh, its deadline 10 s ahead. */
const aRecord = (overrides: Partial<RunRecord>): RunRecord =>
  aRunRecord({
    strategy: "fanout",
    mode: "sync",
    acceptedAt: NOW - 10_000,
    deadlineAt: NOW + 10_000,
    startedAt: NOW - 10_000,
    heartbeatAt: NOW - 1_000,
    ...overrides,
  });

/** Reply queues by URL; deleting one removes it. */
function replyQueues(urls: string[]) {
  const queues = new Set(urls);
  const directory: QueueDirectory = {
    async *listQueueUrls(prefix) {
      yield [...queues].filter((url) => url.split("/").pop()?.startsWith(prefix));
    },
    describeQueue: async () => "gone",
    deleteQueue: async (url) => (queues.delete(url) ? "deleted" : "gone"),
  };
  return { queues, directory };
}

async function sweep(records: RunRecord[], queueUrls: string[] = []) {
  const store = new InMemoryRunRecordStore();
  for (const record of records) await store.write(record);
  const { queues, directory } = replyQueues(queueUrls);
  const summary = await sweepRunRecords({
    store,
    queues: directory,
    replyQueuePrefix: "lab-reply-",
    clock: { now: () => NOW },
    log: { info: () => {}, warn: () => {} },
  });
  return { summary, store, queues };
}

describe("Function: sweepRunRecords", () => {
  it("keeps a run whose orchestrator is alive and within its deadline", async () => {
    const { summary, store } = await sweep([aRecord({ runId: "alive" })]);

    expect(summary).toMatchObject({ examined: 1, kept: 1, failed: 0 });
    expect(store.records.get("alive")?.status).toBe("running");
  });

  it("fails a run whose heartbeat stopped, naming the orchestrator's exit", async () => {
    const { store } = await sweep([
      aRecord({ runId: "quiet", heartbeatAt: NOW - HEARTBEAT_STALE_MS - 1 }),
    ]);

    expect(store.records.get("quiet")).toMatchObject({
      status: "failed",
      endedAt: NOW,
      error: { type: "OrchestratorLost", message: expect.stringMatching(/environment exited/) },
    });
  });

  it("fails a run past its deadline and the grace, naming the deadline", async () => {
    const { store } = await sweep([
      aRecord({ runId: "late", deadlineAt: NOW - DEADLINE_GRACE_MS - 1, heartbeatAt: undefined }),
    ]);

    expect(store.records.get("late")?.error?.type).toBe("DeadlinePassed");
  });

  it("fails an asynchronous run accepted and never started", async () => {
    const { store } = await sweep([
      aRecord({
        runId: "orphan",
        mode: "async",
        status: "accepted",
        acceptedAt: NOW - START_GRACE_MS - 1,
        startedAt: undefined,
        heartbeatAt: undefined,
        deadlineAt: NOW + 600_000,
      }),
    ]);

    expect(store.records.get("orphan")?.error?.type).toBe("NeverStarted");
  });

  it("leaves a durable run without heartbeats to its deadline: its orchestrator is suspended", async () => {
    const { store } = await sweep([
      aRecord({ runId: "suspended", strategy: "durable", heartbeatAt: undefined }),
    ]);

    expect(store.records.get("suspended")?.status).toBe("running");
  });

  it("deletes a lost queue run's reply queue, and no other", async () => {
    const { summary, queues } = await sweep(
      [aRecord({ runId: "q1", strategy: "queue", heartbeatAt: NOW - HEARTBEAT_STALE_MS - 1 })],
      ["https://sqs/000/lab-reply-q1", "https://sqs/000/lab-reply-q2"],
    );

    expect(summary.replyQueuesDeleted).toBe(1);
    expect([...queues]).toEqual(["https://sqs/000/lab-reply-q2"]);
  });
});
