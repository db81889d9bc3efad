import type { Clock, QueueDirectory } from "../ports.js";
import { type ListedQueue, type StalePolicy, selectStaleQueues } from "./selectStaleQueues.js";

/** What one sweep did; `examined` = `deleted` + `kept` + `failed`. */
export interface SweepSummary {
  /** Queues listed under the prefix that still existed when their creation time was read. */
  examined: number;
  /** Stale queues now gone: deleted by this sweep, or found already deleted. */
  deleted: number;
  /** Young queues, and queues without a creation time. */
  kept: number;
  /** Queues whose creation time could not be read or that could not be deleted. */
  failed: number;
}

export interface SweepOptions {
  directory: QueueDirectory;
  clock: Pick<Clock, "now">;
  policy: StalePolicy;
  /** Where the sweep reports each deletion and failure; the console by default. */
  log?: Pick<Console, "info" | "warn">;
}

/** Requests in flight at once: enough to sweep thousands of queues in seconds, polite to SQS. */
const SWEEP_CONCURRENCY = 10;

async function forEachBounded<T>(items: readonly T[], work: (item: T) => Promise<void>) {
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const item = items[next++] as T;
      await work(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(SWEEP_CONCURRENCY, items.length) }, lane));
}

function describeError(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

/**
 * Deletes the reply queues that orchestrators which died mid-run left behind: queues named with
 * the service's reply prefix and older than the longest run (see `replyQueueMaxAgeSeconds`).
 * One queue's failure is counted and logged, never the end of the sweep.
 *
 * @example
 * const summary = await sweepReplyQueues({
 *   directory: new SqsQueueDirectory(),
 *   clock: systemClock,
 *   policy: { prefix: "concurrency-lab-dev-reply-", maxAgeMs: 89_000 },
 * });
 */
export async function sweepReplyQueues(options: SweepOptions): Promise<SweepSummary> {
  const { directory, clock, policy, log = console } = options;
  const summary: SweepSummary = { examined: 0, deleted: 0, kept: 0, failed: 0 };

  const describeAll = async (urls: string[]): Promise<ListedQueue[]> => {
    const described: ListedQueue[] = [];
    await forEachBounded(urls, async (url) => {
      try {
        const queue = await directory.describeQueue(url);
        if (queue === "gone") return;
        described.push(queue);
      } catch (error) {
        summary.examined += 1;
        summary.failed += 1;
        log.warn(`reply queue sweep: could not read ${url}: ${describeError(error)}`);
      }
    });
    return described;
  };

  const remove = async (queue: ListedQueue, nowMs: number): Promise<void> => {
    const ageSeconds = Math.round((nowMs - (queue.createdAt ?? nowMs)) / 1000);
    try {
      const outcome = await directory.deleteQueue(queue.url);
      summary.deleted += 1;
      log.info(
        outcome === "gone"
          ? `reply queue sweep: ${queue.name} (${ageSeconds} s old) was already deleted`
          : `reply queue sweep: deleted ${queue.name} (${ageSeconds} s old)`,
      );
    } catch (error) {
      summary.failed += 1;
      log.warn(`reply queue sweep: could not delete ${queue.name}: ${describeError(error)}`);
    }
  };

  // Listed to the end before anything is deleted: deleting between pages could shift what the
  // next page token points at and skip queues.
  const urls: string[] = [];
  for await (const page of directory.listQueueUrls(policy.prefix)) urls.push(...page);
  const queues = await describeAll(urls);
  const nowMs = clock.now();
  const { stale, kept } = selectStaleQueues(queues, policy, nowMs);
  summary.examined += queues.length;
  summary.kept += kept.length;
  await forEachBounded(stale, (queue) => remove(queue, nowMs));
  log.info(`reply queue sweep: ${JSON.stringify(summary)}`);
  return summary;
}
