import type { RunRecordStore, RunStarter } from "../../lib/ports.js";
import { isEnded, type RunRecord } from "../../lib/runs/record.js";
import { SEED_WORKFLOW } from "../../lib/workflow/defaults.js";
import { aRunReport, T0 } from "./factories.js";

/** Run records in a Map, with the S3 store's conditional creation. */
export class InMemoryRunRecordStore implements RunRecordStore {
  readonly records = new Map<string, RunRecord>();
  /** Every write in order, for tests of what was recorded when. */
  readonly writes: RunRecord[] = [];

  async create(
    record: RunRecord,
  ): Promise<{ created: true } | { created: false; existing: RunRecord }> {
    const existing = this.records.get(record.runId);
    if (existing) return { created: false, existing };
    this.records.set(record.runId, record);
    this.writes.push(record);
    return { created: true };
  }

  async read(runId: string): Promise<RunRecord | undefined> {
    return this.records.get(runId);
  }

  async write(record: RunRecord): Promise<void> {
    this.records.set(record.runId, record);
    this.writes.push(record);
  }

  async *listLive(): AsyncIterable<string[]> {
    yield [...this.records.values()]
      .filter((record) => !isEnded(record))
      .map((record) => record.runId);
  }
}

/** Remembers the runs it was asked to start. */
export class RecordingRunStarter implements RunStarter {
  readonly started: string[] = [];

  async start(runId: string): Promise<void> {
    this.started.push(runId);
  }
}

export const RUN_ID = "compare-20261205T101112Z-3f9a-queue-1";

/**
 * A run's record as GET /runs/{runId} answers it: running, with one task finished; override what
 * the test is about.
 */
export function aRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: RUN_ID,
    strategy: "queue",
    mode: "async",
    status: "running",
    requestHash: "0".repeat(64),
    request: { workflow: SEED_WORKFLOW, scale: 1 },
    acceptedAt: T0,
    deadlineAt: T0 + 15 * 60_000,
    startedAt: T0 + 100,
    tasksFinished: ["queryData"],
    ...overrides,
  };
}

/** A record that ended with its report. */
export function anEndedRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  const { tasksFinished: _running, ...record } = aRunRecord();
  return {
    ...record,
    status: "succeeded",
    endedAt: T0 + 5000,
    report: aRunReport({ runId: RUN_ID, strategy: "queue" }),
    ...overrides,
  };
}
