import type { RunRecordStore, RunStarter } from "../../lib/ports.js";
import { isEnded, type RunRecord } from "../../lib/runs/record.js";

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
