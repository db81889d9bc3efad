import { randomUUID } from "node:crypto";
import { CloudFormationClient, DescribeStackResourceCommand } from "@aws-sdk/client-cloudformation";
import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  ListQueuesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, inject, it } from "vitest";
import type { SweepSummary } from "../../lib/sweeper/sweepReplyQueues.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { LOCAL_STACK_NAME } from "../../localEnvironment/settings.js";

/**
 * The deployed sweeper on LocalStack, invoked through the Lambda API. The real threshold (the
 * queue orchestrator's 29 s timeout plus a margin) cannot be waited out in a test, so the event's
 * `olderThanSeconds` lowers it for one invocation; the scheduled path runs with the default.
 */
const REPLY_PREFIX = inject("replyQueuePrefix");
const clientOptions = localClientOptions();
const sqs = new SQSClient(clientOptions);
const lambda = new LambdaClient({ ...clientOptions, maxAttempts: 1 });
const cloudFormation = new CloudFormationClient(clientOptions);
const marker = randomUUID().slice(0, 8);
const created: string[] = [];

async function createQueue(name: string): Promise<string> {
  const { QueueUrl = "" } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
  created.push(QueueUrl);
  return QueueUrl;
}

async function queueExists(name: string): Promise<boolean> {
  const { QueueUrls = [] } = await sqs.send(new ListQueuesCommand({ QueueNamePrefix: name }));
  return QueueUrls.some((url) => url.endsWith(`/${name}`));
}

async function invokeSweeper(event: object): Promise<SweepSummary> {
  const response = await lambda.send(
    new InvokeCommand({
      FunctionName: `${LOCAL_STACK_NAME}-replyQueueSweeper`,
      Payload: JSON.stringify(event),
    }),
  );
  const payload = JSON.parse(new TextDecoder().decode(response.Payload));
  if (response.FunctionError) throw new Error(`the sweeper failed: ${JSON.stringify(payload)}`);
  return payload as SweepSummary;
}

describe("The reply-queue sweeper on LocalStack", () => {
  const oldReply = `${REPLY_PREFIX}it-sweep-old-${marker}`;
  const youngReply = `${REPLY_PREFIX}it-sweep-young-${marker}`;
  const unrelated = `it-sweep-unrelated-${marker}`;

  afterAll(async () => {
    await Promise.allSettled(
      created.map((url) => sqs.send(new DeleteQueueCommand({ QueueUrl: url }))),
    );
  });

  it("is deployed with its schedule", async () => {
    const { StackResourceDetail: rule } = await cloudFormation.send(
      new DescribeStackResourceCommand({
        StackName: LOCAL_STACK_NAME,
        LogicalResourceId: "ReplyQueueSweeperEventsRuleSchedule1",
      }),
    );

    expect(rule?.ResourceType).toBe("AWS::Events::Rule");
    expect(rule?.ResourceStatus).toMatch(/COMPLETE$/);
  });

  it("deletes a reply-prefixed queue past the age, keeps a younger one and an unrelated one", async () => {
    // Prepare: SQS creation times are whole seconds. The old queue is 8 s old, over the 5 s
    // asked for below; the young one is created after a warm-up invocation (no cold start left to
    // wait for), so it is ~1-2 s old when the sweep reads it.
    await createQueue(oldReply);
    await createQueue(unrelated);
    await new Promise((resolve) => setTimeout(resolve, 8_000));
    await invokeSweeper({});
    await createQueue(youngReply);

    // Act
    const summary = await invokeSweeper({ olderThanSeconds: 5 });

    // Assess
    expect(await queueExists(oldReply)).toBe(false);
    expect(await queueExists(youngReply)).toBe(true);
    expect(await queueExists(unrelated)).toBe(true);
    expect(summary.deleted).toBeGreaterThanOrEqual(1);
    expect(summary.kept).toBeGreaterThanOrEqual(1);
    expect(summary.failed).toBe(0);
  });

  it("on a scheduled event uses the default age: a seconds-old reply queue is kept", async () => {
    const queue = `${REPLY_PREFIX}it-sweep-scheduled-${marker}`;
    await createQueue(queue);

    const summary = await invokeSweeper({
      version: "0",
      "detail-type": "Scheduled Event",
      source: "aws.events",
      detail: {},
    });

    expect(await queueExists(queue)).toBe(true);
    expect(summary.failed).toBe(0);
    expect(summary.examined).toBe(summary.deleted + summary.kept + summary.failed);
  });
});
