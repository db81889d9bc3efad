import type {
  Clock,
  DurableExecutionStatusReader,
  QueueDirectory,
  RunRecordStore,
} from "../ports.js";
import { isEnded, type RunRecord } from "../runs/record.js";
import { HEARTBEAT_INTERVAL_MS } from "../runs/recordWriter.js";
import { STRATEGY } from "../strategies/names.js";

/** A run this long past its deadline without an ending has lost its orchestrator. */
export const DEADLINE_GRACE_MS = 30_000;
/** Three heartbeats missed: the orchestrator's environment is gone (a heartbeat every 20 s). */
export const HEARTBEAT_STALE_MS = 3 * HEARTBEAT_INTERVAL_MS;
/** An accepted asynchronous run not started within this was never invoked. */
export const START_GRACE_MS = 60_000;

export interface RunSweepSummary {
  /** Live runs looked at. */
  examined: number;
  /** Runs no one had ended, now recorded as failed with the reason. */
  failed: number;
  /** Runs still going within their bounds. */
  kept: number;
  /** Reply queues of failed queue runs deleted. */
  replyQueuesDeleted: number;
}

export interface RunSweepOptions {
  store: RunRecordStore;
  /** The queue strategy's reply queues, deleted with a run that was lost. */
  queues: QueueDirectory;
  replyQueuePrefix: string;
  /** Whether a durable run's execution goes on: it has no heartbeat while suspended. */
  durableExecutions: DurableExecutionStatusReader;
  clock: Pick<Clock, "now">;
  log?: Pick<Console, "info" | "warn">;
}

/**
 * Why a run that has not ended is lost, or undefined while it may still end: past its deadline
 * (and a grace), its heartbeat gone quiet, or, accepted asynchronously, never started.
 */
export function lostRunReason(
  record: RunRecord,
  now: number,
): { type: string; message: string } | undefined {
  if (isEnded(record)) return undefined;
  if (now > record.deadlineAt + DEADLINE_GRACE_MS) {
    return {
      type: "DeadlinePassed",
      message: `deadline passed: the run had not ended ${Math.round((now - record.deadlineAt) / 1000)} s after its deadline (its orchestrator's environment exited or it overran); no report`,
    };
  }
  if (record.heartbeatAt !== undefined && now - record.heartbeatAt > HEARTBEAT_STALE_MS) {
    return {
      type: "OrchestratorLost",
      message: `orchestrator's environment exited: no heartbeat for ${Math.round((now - record.heartbeatAt) / 1000)} s (one every ${HEARTBEAT_INTERVAL_MS / 1000} s while it runs); tasks in flight may have run on, billed`,
    };
  }
  if (
    record.status === "accepted" &&
    record.mode === "async" &&
    now - record.acceptedAt > START_GRACE_MS
  ) {
    return {
      type: "NeverStarted",
      message: `never started: accepted ${Math.round((now - record.acceptedAt) / 1000)} s ago, and its orchestrator's asynchronous invocation never ran it`,
    };
  }
  return undefined;
}

/**
 * Why a durable run no one has ended is lost, or undefined while its execution goes on: the
 * platform ended the execution (it failed, for example after its invocations kept failing, timed
 * out or was stopped) before the run's record did.
 */
export async function durableRunLostReason(
  record: RunRecord,
  durableExecutions: DurableExecutionStatusReader,
): Promise<{ type: string; message: string } | undefined> {
  if (isEnded(record) || record.durableExecutionArn === undefined) return undefined;
  const execution = await durableExecutions.status(record.durableExecutionArn);
  if (execution === undefined) {
    return {
      type: "DurableExecutionGone",
      message: `its durable execution is no longer known to the platform (${record.durableExecutionArn}); no report`,
    };
  }
  if (execution.status === "RUNNING") return undefined;
  const why = execution.error ? `: ${execution.error.type}: ${execution.error.message}` : "";
  return {
    type: "DurableExecutionEnded",
    message: `its durable execution ended ${execution.status.toLowerCase().replace("_", " ")} before the run's record did${why}`,
  };
}

/**
 * Ends every run that no one will end: a record left accepted or running after its orchestrator
 * died (a crash, a timeout, a saturated stack) is turned into failed with the reason, and a queue
 * run's reply queue goes with it. Runs until the next schedule bound how late (serverless.yml).
 */
export async function sweepRunRecords(options: RunSweepOptions): Promise<RunSweepSummary> {
  const { store, queues, replyQueuePrefix, durableExecutions, clock, log = console } = options;
  const summary: RunSweepSummary = { examined: 0, failed: 0, kept: 0, replyQueuesDeleted: 0 };
  for await (const page of store.listLive()) {
    for (const runId of page) {
      const record = await store.read(runId);
      if (!record) continue;
      summary.examined += 1;
      if (isEnded(record)) {
        // Ended, its live marker left over (a failed delete): written again, which removes it.
        await store.write(record);
        continue;
      }
      const now = clock.now();
      const reason =
        lostRunReason(record, now) ?? (await durableRunLostReason(record, durableExecutions));
      if (!reason) {
        summary.kept += 1;
        continue;
      }
      // Its orchestrator may have ended it since it was read (a durable execution ends just
      // after its last write): the ending it wrote stands.
      const latest = await store.read(runId);
      if (!latest || isEnded(latest)) continue;
      await store.write({ ...latest, status: "failed", endedAt: now, error: reason });
      summary.failed += 1;
      log.warn(`run ${runId} (${record.strategy}): ${reason.message}`);
      if (record.strategy === STRATEGY.queue) {
        for await (const urls of queues.listQueueUrls(`${replyQueuePrefix}${runId}`)) {
          for (const url of urls) {
            if ((await queues.deleteQueue(url)) === "deleted") summary.replyQueuesDeleted += 1;
          }
        }
      }
    }
  }
  return summary;
}
