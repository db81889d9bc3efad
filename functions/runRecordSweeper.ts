import middy from "@middy/core";
import { z } from "zod";
import { LambdaDurableHistory } from "../adapters/LambdaDurableHistory.js";
import { createLambdaClient } from "../adapters/lambdaClient.js";
import { SqsQueueDirectory } from "../adapters/SqsQueueDirectory.js";
import { parseOrThrow } from "../lib/fieldPath.js";
import { type RunSweepSummary, sweepRunRecords } from "../lib/sweeper/sweepRunRecords.js";
import { systemClock } from "../lib/systemClock.js";
import { runRecordSweeperConfig, serviceConfig } from "./config.js";
import { runRecordStore } from "./runServices.js";

/**
 * The scheduled event carries EventBridge's own fields, which are ignored. `aheadSeconds` judges
 * the runs as if that much later, for one invocation: how a test sees a crashed orchestrator's
 * run swept without waiting out its heartbeat. Only a principal allowed to invoke this function
 * can pass it, and it can only end runs that have not ended.
 */
const sweepEventSchema = z
  .object({ aheadSeconds: z.number().int().nonnegative().max(86_400).optional() })
  .nullish();

let queues: SqsQueueDirectory | undefined;
let durableExecutions: LambdaDurableHistory | undefined;

/**
 * Ends every accepted run that no one will end (rate schedule, serverless.yml): failed, with the
 * reason, its reply queue deleted. Answers `{ examined, failed, kept, replyQueuesDeleted }`.
 */
export const handler = middy(async (event: unknown): Promise<RunSweepSummary> => {
  const request = parseOrThrow(sweepEventSchema, event, "event");
  const aheadMs = (request?.aheadSeconds ?? 0) * 1000;
  if (aheadMs > 0) console.warn(`run record sweep: judged ${aheadMs / 1000} s ahead`);
  queues ??= new SqsQueueDirectory();
  durableExecutions ??= new LambdaDurableHistory(
    createLambdaClient(runRecordSweeperConfig().DURABLE_SERVICE_ENDPOINT),
  );
  return sweepRunRecords({
    store: await runRecordStore(),
    queues,
    replyQueuePrefix: serviceConfig().REPLY_QUEUE_PREFIX,
    durableExecutions,
    clock: { now: () => systemClock.now() + aheadMs },
  });
});
