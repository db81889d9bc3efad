import { randomUUID } from "node:crypto";
import {
  CreateQueueCommand,
  DeleteMessageCommand,
  DeleteQueueCommand,
  ListQueuesCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, inject, it } from "vitest";
import { runStrategy } from "../../adapters/runsApiClient.js";
import type { Workflow } from "../../lib/workflow/types.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { queueDepth } from "../../localEnvironment/queueDepth.js";

const apiUrl = inject("apiUrl");
/** Every /runs route is private (serverless.yml): the deployed key goes with each run. */
const api = { apiKey: inject("apiKey") };
const workQueueUrl = inject("workQueueUrl");
const deadLetterQueueUrl = inject("deadLetterQueueUrl");
const REPLY_PREFIX = inject("replyQueuePrefix");

const sqs = new SQSClient(localClientOptions());

/** Run i: the seed shape with its own ids, plus i % 4 extra writeLogs and its own durations. */
function distinctWorkflow(index: number): Workflow {
  return {
    tasks: [
      { id: `query${index}`, fn: "queryData", deps: [], durationMs: 40 + index * 5 },
      { id: `process${index}`, fn: "processData", deps: [`query${index}`], durationMs: 60 },
      ...Array.from({ length: 1 + (index % 4) }, (_, log) => ({
        id: `log${index}-${log}`,
        fn: "writeLog" as const,
        deps: [],
        durationMs: 30 + log * 10,
      })),
    ],
  };
}

async function eventually<T>(probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`not within ${timeoutMs} ms`);
}

describe("The queue strategy on LocalStack SQS", () => {
  const testQueues: string[] = [];

  afterAll(async () => {
    await Promise.all(testQueues.map((url) => sqs.send(new DeleteQueueCommand({ QueueUrl: url }))));
  });

  it("20 concurrent runs with distinct workflows each get their own complete, correct report", async () => {
    const workflows = Array.from({ length: 20 }, (_, index) => distinctWorkflow(index));

    const reports = await Promise.all(
      workflows.map((workflow) => runStrategy(apiUrl, "queue", { workflow }, api)),
    );

    reports.forEach((report, index) => {
      const workflow = workflows[index] as Workflow;
      expect(report.status).toBe("succeeded");
      expect(report.tasks.map((task) => task.id).sort()).toEqual(
        workflow.tasks.map((task) => task.id).sort(),
      );
      // queryData's records carry the run id: a completion seen by the wrong run would not match.
      const query = report.tasks.find((task) => task.fn === "queryData");
      const processed = report.tasks.find((task) => task.fn === "processData")?.output as {
        digests: Record<string, string>;
      };
      expect(Object.values(processed.digests)).toEqual([query?.outputDigest]);
      expect(report.tasks.every((task) => task.status === "succeeded" && task.transport)).toBe(
        true,
      );
    });
    expect(new Set(reports.map((report) => report.runId)).size).toBe(20);
    // Every run deleted its reply queue, and the work queue drained.
    for (const report of reports) {
      const { QueueUrls = [] } = await sqs.send(
        new ListQueuesCommand({ QueueNamePrefix: `${REPLY_PREFIX}${report.runId}` }),
      );
      expect(QueueUrls).toEqual([]);
    }
    await eventually(
      async () => ((await queueDepth(sqs, workQueueUrl)) === 0 ? true : undefined),
      10_000,
    );
  });

  it("a poison message fails alone: the messages sent with it complete, it lands in the DLQ, and other runs go on", {
    timeout: 240_000,
  }, async () => {
    const marker = randomUUID();
    const { QueueUrl: replyTo = "" } = await sqs.send(
      new CreateQueueCommand({ QueueName: `it-reply-${marker}` }),
    );
    testQueues.push(replyTo);
    const goodTask = (index: number) => ({
      runId: `it-${marker}`,
      taskId: `good${index}`,
      fn: "writeLog",
      durationMs: 20,
      kind: "io",
      inputs: {},
      replyTo,
      sentAt: Date.now(),
    });
    const poison = { runId: `it-${marker}`, taskId: "poison", replyTo, fn: "noSuchTask" };

    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: workQueueUrl,
        Entries: [
          ...[0, 1, 2, 3].map((index) => ({
            Id: `good${index}`,
            MessageBody: JSON.stringify(goodTask(index)),
          })),
          { Id: "poison", MessageBody: JSON.stringify(poison) },
        ],
      }),
    );
    const meanwhile = await runStrategy(apiUrl, "queue", { scale: 0.05 }, api);

    expect(meanwhile.status).toBe("succeeded");
    const seen = new Map<string, { ok: boolean; error?: { type: string } }>();
    await eventually(async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: replyTo,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      for (const message of Messages) {
        const completion = JSON.parse(message.Body ?? "{}");
        seen.set(completion.taskId, completion);
        await sqs.send(
          new DeleteMessageCommand({ QueueUrl: replyTo, ReceiptHandle: message.ReceiptHandle }),
        );
      }
      return seen.size >= 5 ? true : undefined;
    }, 20_000);
    expect([0, 1, 2, 3].map((index) => seen.get(`good${index}`)?.ok)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    // The run a poison message names is told at once, not left to wait out its budget.
    expect(seen.get("poison")).toMatchObject({ ok: false, error: { type: "MalformedMessage" } });

    // After maxReceiveCount failed receives, SQS's redrive policy moves it to the DLQ.
    const deadLetter = await eventually(async () => {
      const { Messages = [] } = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: deadLetterQueueUrl,
          MaxNumberOfMessages: 10,
          WaitTimeSeconds: 1,
        }),
      );
      const found = Messages.find((message) => message.Body?.includes(marker));
      for (const message of Messages) {
        if (message === found) {
          await sqs.send(
            new DeleteMessageCommand({
              QueueUrl: deadLetterQueueUrl,
              ReceiptHandle: message.ReceiptHandle,
            }),
          );
        }
      }
      return found;
    }, 150_000);
    expect(JSON.parse(deadLetter.Body ?? "{}")).toEqual(poison);
  });
});
