import { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, inject, it } from "vitest";
import { runStrategy } from "../../adapters/runsApiClient.js";
import { type QueuesToCheck, runConcurrently, settledLeftovers } from "../../bench/loadRuns.js";
import { STRATEGIES } from "../../lib/strategies/names.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { queueDepth } from "../../localEnvironment/queueDepth.js";

const apiUrl = inject("apiUrl");
const apiKey = inject("apiKey");
const queues: QueuesToCheck = {
  sqs: new SQSClient(localClientOptions()),
  workQueueUrl: inject("workQueueUrl"),
  deadLetterQueueUrl: inject("deadLetterQueueUrl"),
  replyQueuePrefix: inject("replyQueuePrefix"),
};

/** `npm run bench:load` in small: 20 concurrent runs per strategy, each checked, nothing left. */
describe("20 concurrent runs of each strategy (bench:load in small)", () => {
  it.each(STRATEGIES)(
    "%s: every run answered with its own complete report, nothing left on the queues",
    {
      timeout: 180_000,
    },
    async (strategy) => {
      const deadLetterBefore = await queueDepth(queues.sqs, queues.deadLetterQueueUrl);

      const outcome = await runConcurrently({
        strategy,
        runs: 20,
        taskMs: 50,
        budgetMs: 120_000,
        post: (name, body) => runStrategy(apiUrl, name, body, { apiKey }),
      });
      const leftovers = await settledLeftovers(queues, deadLetterBefore, 30_000);

      expect(outcome.findings).toEqual([]);
      expect(outcome.reasons).toEqual([]);
      expect(outcome).toMatchObject({ started: 20, succeeded: 20, lost: 0, crossTalk: 0 });
      expect(leftovers).toEqual({ workQueueMessages: 0, deadLetterMessages: 0, replyQueues: [] });
    },
  );
});
