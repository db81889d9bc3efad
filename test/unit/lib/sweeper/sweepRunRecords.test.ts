import { describe, expect, it } from "vitest";
import type {
  DurableExecutionStatus,
  DurableExecutionStatusReader,
  QueueDirectory,
} from "../../../../lib/ports.js";
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

/** A durable run carried by execution `arn`: suspended between replays, so no heartbeat. */
const aDurableRecord = (runId: string, arn: string): RunRecord =>
  aRecord({ runId, strategy: "durable", heartbeatAt: undefined, durableExecutionArn: arn });

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

/** The platform's durable executions by ARN; one it does not know answers undefined. */
const durableExecutionsOf = (
  executions: Record<string, DurableExecutionStatus> = {},
): DurableExecutionStatusReader => ({ status: async (arn) => executions[arn] });

async function sweep(
  records: RunRecord[],
  queueUrls: string[] = [],
  durableExecutions = durableExecutionsOf(),
) {
  const store = new InMemoryRunRecordStore();
  for (const record of records) await store.write(record);
  const { queues, directory } = replyQueues(queueUrls);
  const summary = await sweepRunRecords({
    store,
    queues: directory,
    replyQueuePrefix: "lab-reply-",
    durableExecutions,
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

  it("keeps a durable run while the platform says its execution is running", async () => {
    const { store } = await sweep(
      [aDurableRecord("d1", "arn:d1")],
      [],
      durableExecutionsOf({ "arn:d1": { status: "RUNNING" } }),
    );

    expect(store.records.get("d1")?.status).toBe("running");
  });

  it("fails a durable run whose execution the platform failed, with the execution's error", async () => {
    const { store } = await sweep(
      [aDurableRecord("d2", "arn:d2")],
      [],
      durableExecutionsOf({
        "arn:d2": {
          status: "FAILED",
          error: { type: "Runtime.Unknown", message: "Execution environment was stopped" },
        },
      }),
    );

    expect(store.records.get("d2")).toMatchObject({
      status: "failed",
      error: {
        type: "DurableExecutionEnded",
        message: expect.stringMatching(
          /ended failed .*Runtime\.Unknown: Execution environment was stopped/,
        ),
      },
    });
  });

  it("fails a durable run whose execution the platform no longer knows", async () => {
    const { store } = await sweep([aDurableRecord("d3", "arn:gone")]);

    expect(store.records.get("d3")?.error?.type).toBe("DurableExecutionGone");
  });

  it("leaves the ending a durable run's orchestrator wrote while the sweeper asked the platform", async () => {
    const store = new InMemoryRunRecordStore();
    const record = aDurableRecord("d4", "arn:d4");
    await store.write(record);
    const ended = { ...record, status: "succeeded" as const, endedAt: NOW };
    await sweepRunRecords({
      store,
      queues: replyQueues([]).directory,
      replyQueuePrefix: "lab-reply-",
      // The execution ends just after its last write: the record ended while the sweep asked.
      durableExecutions: {
        status: async () => {
          await store.write(ended);
          return { status: "SUCCEEDED" };
        },
      },
      clock: { now: () => NOW },
      log: { info: () => {}, warn: () => {} },
    });

    expect(store.records.get("d4")?.status).toBe("succeeded");
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
