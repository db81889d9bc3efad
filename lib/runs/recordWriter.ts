import type { RunRecordStore } from "../ports.js";
import type { RunRecord } from "./record.js";

/** Progress is written at most this often: a 1,000-task run must not make 1,000 writes. */
const PROGRESS_INTERVAL_MS = 2000;
/**
 * How often a running orchestrator says it is alive. The sweeper takes a run whose heartbeat is
 * three of these old for one whose orchestrator's environment has gone (lib/sweeper/sweepRunRecords.ts).
 */
export const HEARTBEAT_INTERVAL_MS = 20_000;

/**
 * The one writer of a run's record while it runs: writes go out one after another (a late
 * progress write can never overwrite the ending), progress at most every 2 s, and nothing after
 * the record has ended.
 */
export class RunRecordWriter {
  private pending: Promise<void> = Promise.resolve();
  private ended = false;
  private readonly finished: string[] = [];
  private lastProgressAt = Number.NEGATIVE_INFINITY;
  private progressQueued = false;

  private heartbeat: ReturnType<typeof setInterval> | undefined;

  constructor(
    private readonly store: RunRecordStore,
    private record: RunRecord,
    private readonly now: () => number,
    /**
     * Whether the orchestrator lives as long as the run (a Lambda orchestrator): it then says it
     * is alive every 20 s and shows progress. A durable orchestrator is suspended between replays
     * and each replay has a writer of its own: it writes neither, since a write one replay queued
     * could land after a later replay ended the run (it put 4 of 100 succeeded durable runs' records
     * back to running in a burst, 2026-12-06).
     */
    private readonly livesForTheRun = true,
  ) {}

  get current(): RunRecord {
    return this.record;
  }

  /** Whether the run's ending has been written (or is being). */
  get hasEnded(): boolean {
    return this.ended;
  }

  started(): Promise<void> {
    const now = this.now();
    if (this.livesForTheRun) {
      this.heartbeat = setInterval(() => {
        this.update({ heartbeatAt: this.now() }).catch((error) =>
          console.warn("run record: heartbeat not written", error),
        );
      }, HEARTBEAT_INTERVAL_MS);
      this.heartbeat.unref?.();
    }
    return this.update({
      status: "running",
      startedAt: now,
      ...(this.livesForTheRun ? { heartbeatAt: now } : {}),
    });
  }

  /** A task finished (succeeded, failed or timed out): shown on the record soon. */
  taskEnded(taskId: string): void {
    this.finished.push(taskId);
    if (this.ended || this.progressQueued || !this.livesForTheRun) return;
    const waitMs = Math.max(0, this.lastProgressAt + PROGRESS_INTERVAL_MS - this.now());
    this.progressQueued = true;
    setTimeout(() => {
      this.progressQueued = false;
      this.lastProgressAt = this.now();
      // A failed progress write is not the run's failure: the ending is written regardless.
      this.update({ tasksFinished: [...this.finished] }).catch((error) =>
        console.warn("run record: progress not written", error),
      );
    }, waitMs).unref?.();
  }

  /**
   * Notes, before the injected crash, that it is being made: a durable orchestrator replayed after
   * it reads this and does not crash again.
   */
  orchestratorCrashing(): Promise<void> {
    return this.update({ orchestratorCrashedAt: this.now() });
  }

  /** The last write: the run's ending (status, report or error). */
  end(fields: Pick<RunRecord, "status"> & Partial<RunRecord>): Promise<void> {
    clearInterval(this.heartbeat);
    const write = this.update({ ...fields, endedAt: this.now() });
    this.ended = true;
    return write;
  }

  private update(fields: Partial<RunRecord>): Promise<void> {
    if (this.ended) return this.pending;
    this.record = { ...this.record, ...fields };
    const snapshot = this.record;
    this.pending = this.pending.catch(() => {}).then(() => this.store.write(snapshot));
    return this.pending;
  }
}
