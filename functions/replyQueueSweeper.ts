import middy from "@middy/core";
import { z } from "zod";
import { SqsQueueDirectory } from "../adapters/SqsQueueDirectory.js";
import { parseOrThrow } from "../lib/fieldPath.js";
import { replyQueueMaxAgeSeconds } from "../lib/sweeper/replyQueueMaxAge.js";
import { type SweepSummary, sweepReplyQueues } from "../lib/sweeper/sweepReplyQueues.js";
import { systemClock } from "../lib/systemClock.js";
import { sweeperConfig } from "./config.js";

/**
 * The scheduled event carries EventBridge's own fields, which are ignored. `olderThanSeconds`
 * replaces the computed age for one invocation: how a test (or an operator cleaning up by hand)
 * makes young queues stale without waiting out the run budget or redeploying. Only a principal
 * allowed to invoke this function can pass it, and it still only reaches the reply prefix.
 */
const sweepEventSchema = z
  .object({ olderThanSeconds: z.number().int().nonnegative().optional() })
  .nullish();

let directory: SqsQueueDirectory | undefined;

/**
 * Removes reply queues that orchestrators which died mid-run left behind (rate schedule,
 * serverless.yml) and answers with what it did: `{ examined, deleted, kept, failed }`.
 */
export const handler = middy(async (event: unknown): Promise<SweepSummary> => {
  const request = parseOrThrow(sweepEventSchema, event, "event");
  const config = sweeperConfig();
  const olderThanSeconds =
    request?.olderThanSeconds ?? replyQueueMaxAgeSeconds(config.QUEUE_ORCHESTRATOR_TIMEOUT_SECONDS);
  if (request?.olderThanSeconds !== undefined) {
    console.warn(`reply queue sweep: age overridden by the event: ${olderThanSeconds} s`);
  }
  directory ??= new SqsQueueDirectory();
  return sweepReplyQueues({
    directory,
    clock: systemClock,
    policy: { prefix: config.REPLY_QUEUE_PREFIX, maxAgeMs: olderThanSeconds * 1000 },
  });
});
