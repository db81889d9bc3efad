/** A queue as the sweeper sees it: its URL, its name, and when SQS says it was created. */
export interface ListedQueue {
  url: string;
  name: string;
  /** Epoch ms; absent when the queue service did not report it. */
  createdAt?: number;
}

/** Which queues count as left behind. */
export interface StalePolicy {
  /** Only queues whose name starts with this are ever stale: the service's reply prefix. */
  prefix: string;
  /** A queue is stale once it is strictly older than this. */
  maxAgeMs: number;
}

/**
 * Splits queues into the stale ones (named with the reply prefix and strictly older than the
 * policy's age) and the ones to keep. A queue with no creation time, or a creation time in the
 * future (clock skew), is kept: deleting a live run's reply queue would fail that run, while
 * leaving an orphan one more sweep costs nothing.
 *
 * @example
 * const { stale } = selectStaleQueues(queues, { prefix: "lab-dev-reply-", maxAgeMs: 89_000 }, Date.now());
 */
export function selectStaleQueues(
  queues: readonly ListedQueue[],
  policy: StalePolicy,
  nowMs: number,
): { stale: ListedQueue[]; kept: ListedQueue[] } {
  const stale: ListedQueue[] = [];
  const kept: ListedQueue[] = [];
  for (const queue of queues) {
    const isStale =
      policy.prefix.length > 0 &&
      queue.name.startsWith(policy.prefix) &&
      queue.createdAt !== undefined &&
      nowMs - queue.createdAt > policy.maxAgeMs;
    (isStale ? stale : kept).push(queue);
  }
  return { stale, kept };
}
