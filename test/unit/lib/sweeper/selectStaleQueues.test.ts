import { describe, expect, it } from "vitest";
import {
  REPLY_QUEUE_SAFETY_MARGIN_SECONDS,
  replyQueueMaxAgeSeconds,
} from "../../../../lib/sweeper/replyQueueMaxAge.js";
import { type ListedQueue, selectStaleQueues } from "../../../../lib/sweeper/selectStaleQueues.js";
import { FakeClock } from "../../../helpers/FakeClock.js";
import { T0 } from "../../../helpers/factories.js";

const PREFIX = "lab-test-reply-";
const policy = { prefix: PREFIX, maxAgeMs: 89_000 };

const aQueue = (name: string, createdAt?: number): ListedQueue => ({
  url: `http://sqs.local/000000000000/${name}`,
  name,
  ...(createdAt === undefined ? {} : { createdAt }),
});

const namesOf = (queues: ListedQueue[]) => queues.map((queue) => queue.name);

describe("Function: selectStaleQueues", () => {
  it("marks a reply-prefixed queue stale only once it is strictly older than the max age", () => {
    // Prepare
    const clock = new FakeClock(T0);
    const queues = [
      aQueue(`${PREFIX}older`, T0 - 89_001),
      aQueue(`${PREFIX}exactly`, T0 - 89_000),
      aQueue(`${PREFIX}young`, T0 - 5_000),
    ];

    // Act
    const { stale, kept } = selectStaleQueues(queues, policy, clock.now());

    // Assess
    expect(namesOf(stale)).toEqual([`${PREFIX}older`]);
    expect(namesOf(kept)).toEqual([`${PREFIX}exactly`, `${PREFIX}young`]);
  });

  it("keeps an old queue whose name does not start with the reply prefix", () => {
    const queues = [
      aQueue("lab-test-work", T0 - 86_400_000),
      aQueue(`other-${PREFIX}run`, T0 - 86_400_000),
      aQueue("lab-test-reply", T0 - 86_400_000),
    ];

    const { stale, kept } = selectStaleQueues(queues, policy, T0);

    expect(stale).toEqual([]);
    expect(kept).toHaveLength(3);
  });

  it("keeps a queue without a creation time, and one created in the future (clock skew)", () => {
    const queues = [aQueue(`${PREFIX}unknown`), aQueue(`${PREFIX}future`, T0 + 60_000)];

    const { stale, kept } = selectStaleQueues(queues, policy, T0);

    expect(stale).toEqual([]);
    expect(namesOf(kept)).toEqual([`${PREFIX}unknown`, `${PREFIX}future`]);
  });

  it("never treats every queue as the service's when the prefix is empty", () => {
    const { stale } = selectStaleQueues(
      [aQueue("someone-elses-queue", T0 - 86_400_000)],
      { prefix: "", maxAgeMs: 0 },
      T0,
    );

    expect(stale).toEqual([]);
  });

  it("follows the clock: a young queue becomes stale once the max age has passed", () => {
    const clock = new FakeClock(T0);
    const queue = aQueue(`${PREFIX}run`, T0);

    const before = selectStaleQueues([queue], policy, clock.now() + 89_000);
    const after = selectStaleQueues([queue], policy, clock.now() + 89_001);

    expect(before.stale).toEqual([]);
    expect(after.stale).toEqual([queue]);
  });
});

describe("Function: replyQueueMaxAgeSeconds", () => {
  it("is the orchestrator's Lambda timeout plus the safety margin", () => {
    expect(replyQueueMaxAgeSeconds(29)).toBe(29 + REPLY_QUEUE_SAFETY_MARGIN_SECONDS);
    // A live run's queue can exist for the whole timeout: the margin must leave room beyond it.
    expect(REPLY_QUEUE_SAFETY_MARGIN_SECONDS).toBeGreaterThan(0);
  });
});
