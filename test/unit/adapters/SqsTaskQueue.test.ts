import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SqsCompletionSender } from "../../../adapters/SqsCompletionSender.js";
import { SqsTaskQueue } from "../../../adapters/SqsTaskQueue.js";
import { UsageMeter } from "../../../lib/cost/UsageMeter.js";
import { PayloadTooLargeError } from "../../../lib/errors.js";
import type { Completion, WorkMessage } from "../../../lib/ports.js";

const sqsMock = mockClient(SQSClient);
const WORK_URL = "http://sqs.local/000000000000/lab-work";
const replyUrl = (runId: string) => `http://sqs.local/000000000000/lab-reply-${runId}`;

const completion = (runId: string, taskId: string): Completion => ({
  runId,
  taskId,
  ok: true,
  result: { output: "data", startedAt: 1, endedAt: 2, coldStart: false },
  receivedAt: 1,
  completedAt: 2,
});

function taskQueue() {
  return new SqsTaskQueue(
    { workQueueName: "lab-work", replyQueuePrefix: "lab-reply-" },
    new SQSClient({ region: "us-east-1" }),
  );
}

describe("Class: SqsTaskQueue", () => {
  beforeEach(() => {
    sqsMock.on(GetQueueUrlCommand).resolves({ QueueUrl: WORK_URL });
    sqsMock.on(CreateQueueCommand).callsFake((input) => ({
      QueueUrl: `http://sqs.local/000000000000/${input.QueueName}`,
    }));
  });

  afterEach(() => {
    sqsMock.reset();
  });

  describe("Method: openRun", () => {
    it("creates a reply queue for the run and looks the work queue up once", async () => {
      const queue = taskQueue();

      const first = await queue.openRun("run-a", new UsageMeter());
      const second = await queue.openRun("run-b", new UsageMeter());

      expect(first.replyTo).toBe(replyUrl("run-a"));
      expect(second.replyTo).toBe(replyUrl("run-b"));
      expect(sqsMock).toReceiveCommandWith(CreateQueueCommand, { QueueName: "lab-reply-run-a" });
      expect(sqsMock).toReceiveCommandTimes(GetQueueUrlCommand, 1);
    });

    it("asks again for the work queue's URL after a failed lookup: a failure is not cached", async () => {
      sqsMock
        .on(GetQueueUrlCommand)
        .rejectsOnce(new Error("AccessDenied"))
        .resolves({ QueueUrl: WORK_URL });
      sqsMock.on(SendMessageBatchCommand).resolves({});
      const queue = taskQueue();

      await expect(queue.openRun("run-a", new UsageMeter())).rejects.toThrow("AccessDenied");
      const mailbox = await queue.openRun("run-b", new UsageMeter());
      await mailbox.dispatch({
        runId: "run-b",
        taskId: "t",
        replyTo: mailbox.replyTo,
      } as WorkMessage);

      expect(sqsMock).toReceiveCommandTimes(GetQueueUrlCommand, 2);
      expect(sqsMock).toReceiveCommandWith(SendMessageBatchCommand, { QueueUrl: WORK_URL });
    });
  });

  describe("Method: dispatch", () => {
    it("sends the work message to the work queue with run and task attributes", async () => {
      sqsMock.on(SendMessageBatchCommand).resolves({});
      const mailbox = await taskQueue().openRun("run-a", new UsageMeter());
      const message = { runId: "run-a", taskId: "query", replyTo: mailbox.replyTo } as WorkMessage;

      await mailbox.dispatch(message);

      expect(sqsMock).toReceiveCommandWith(SendMessageBatchCommand, {
        QueueUrl: WORK_URL,
        Entries: [
          {
            Id: "0",
            MessageBody: JSON.stringify(message),
            MessageAttributes: {
              runId: { DataType: "String", StringValue: "run-a" },
              taskId: { DataType: "String", StringValue: "query" },
            },
          },
        ],
      });
    });

    it("sends the messages of one turn ten to a SendMessageBatch, each resolved when sent", async () => {
      sqsMock.on(SendMessageBatchCommand).resolves({});
      const mailbox = await taskQueue().openRun("run-a", new UsageMeter());
      const messages = Array.from(
        { length: 25 },
        (_, index) =>
          ({ runId: "run-a", taskId: `t${index}`, replyTo: mailbox.replyTo }) as WorkMessage,
      );

      await Promise.all(messages.map((message) => mailbox.dispatch(message)));

      const batches = sqsMock
        .commandCalls(SendMessageBatchCommand)
        .map((call) => call.args[0].input);
      expect(batches.map((batch) => batch.Entries?.length)).toEqual([10, 10, 5]);
      expect(
        batches.flatMap((batch) =>
          batch.Entries?.map((entry) => JSON.parse(entry.MessageBody ?? "").taskId),
        ),
      ).toEqual(messages.map((message) => message.taskId));
    });

    it("rejects only the dispatch whose entry SQS refused, naming the task", async () => {
      sqsMock.on(SendMessageBatchCommand).resolves({
        Failed: [{ Id: "1", Code: "InternalError", Message: "try again", SenderFault: false }],
      });
      const mailbox = await taskQueue().openRun("run-a", new UsageMeter());
      const dispatch = (taskId: string) =>
        mailbox.dispatch({ runId: "run-a", taskId, replyTo: mailbox.replyTo } as WorkMessage);

      const [first, second] = await Promise.allSettled([dispatch("a"), dispatch("b")]);

      expect(first.status).toBe("fulfilled");
      expect(second).toMatchObject({
        status: "rejected",
        reason: { message: "SQS refused b's work message: InternalError: try again" },
      });
    });
  });

  describe("Method: dispatch, limits and request counting", () => {
    it("refuses a work message over SQS's 1 MiB before sending it, naming the limit", async () => {
      sqsMock.on(SendMessageBatchCommand).resolves({});
      const mailbox = await taskQueue().openRun("run-a", new UsageMeter());
      const message = {
        runId: "run-a",
        taskId: "process",
        replyTo: mailbox.replyTo,
        inputs: { query: "x".repeat(1024 * 1024) },
      } as unknown as WorkMessage;

      const sending = mailbox.dispatch(message);

      await expect(sending).rejects.toThrow(PayloadTooLargeError);
      await expect(sending).rejects.toThrow(/process's work message .* SQS message size \(1 MiB\)/);
      expect(sqsMock).toReceiveCommandTimes(SendMessageBatchCommand, 0);
    });

    it("counts one request per 64 KB chunk sent, and estimates the mapping's receive and delete", async () => {
      // Prepare
      sqsMock.on(SendMessageBatchCommand).resolves({});
      const meter = new UsageMeter();
      const queue = taskQueue();
      await queue.openRun("run-a", new UsageMeter()); // looks the work queue URL up
      const mailbox = await queue.openRun("run-b", meter);
      const message = {
        runId: "run-b",
        taskId: "process",
        replyTo: mailbox.replyTo,
        inputs: { query: "x".repeat(100 * 1024) },
      } as unknown as WorkMessage;

      // Act
      await mailbox.dispatch(message);

      // Assess: CreateQueue (1) + SendMessage of ~100 KB (2 chunks) counted; the event source
      // mapping's receive of it (2 chunks) and its delete (1) estimated.
      expect(meter.sqsRequests()).toEqual({ counted: 3, estimated: 3 });
    });

    it("counts each receive, each worker's completion by size and the queue's deletion", async () => {
      // Prepare
      sqsMock
        .on(ReceiveMessageCommand)
        .resolvesOnce({
          Messages: [
            { ReceiptHandle: "h1", Body: JSON.stringify(completion("run-a", "query")) },
            { ReceiptHandle: "h2", Body: JSON.stringify(completion("run-a", "log")) },
          ],
        })
        .resolves({});
      sqsMock.on(DeleteMessageBatchCommand).resolves({});
      sqsMock.on(DeleteQueueCommand).resolves({});
      const meter = new UsageMeter();
      const mailbox = await taskQueue().openRun("run-a", meter);

      // Act
      await mailbox.nextCompletions(new AbortController().signal);
      await mailbox.nextCompletions(new AbortController().signal);
      await mailbox.close();

      // Assess: CreateQueue + GetQueueUrl (2), a receive with two small messages (1), the two
      // workers' SendMessage (2), an empty receive (1), DeleteQueue (1).
      expect(meter.sqsRequests()).toEqual({ counted: 7, estimated: 0 });
    });
  });

  describe("Method: nextCompletions", () => {
    it("returns this run's completions, and leaves them invisible until the queue goes with the run", async () => {
      sqsMock.on(ReceiveMessageCommand).resolves({
        Messages: [
          { ReceiptHandle: "h1", Body: JSON.stringify(completion("run-a", "query")) },
          { ReceiptHandle: "h2", Body: "not json" },
          { ReceiptHandle: "h3", Body: JSON.stringify(completion("run-z", "query")) },
        ],
      });
      const mailbox = await taskQueue().openRun("run-a", new UsageMeter());

      const completions = await mailbox.nextCompletions(new AbortController().signal);

      expect(completions).toEqual([completion("run-a", "query")]);
      expect(sqsMock).toReceiveCommandWith(ReceiveMessageCommand, { QueueUrl: replyUrl("run-a") });
      expect(sqsMock).toReceiveCommandTimes(DeleteMessageBatchCommand, 0);
      // A received completion must not come back during the run: hidden longer than any run lasts.
      const created = sqsMock.commandCalls(CreateQueueCommand)[0]?.args[0].input;
      expect(Number(created?.Attributes?.VisibilityTimeout)).toBeGreaterThan(29);
    });

    it("returns nothing and deletes nothing when the poll comes back empty", async () => {
      sqsMock.on(ReceiveMessageCommand).resolves({});
      const mailbox = await taskQueue().openRun("run-a", new UsageMeter());

      expect(await mailbox.nextCompletions(new AbortController().signal)).toEqual([]);
      expect(sqsMock).toReceiveCommandTimes(DeleteMessageBatchCommand, 0);
    });
  });

  describe("Method: close", () => {
    it("deletes the run's reply queue", async () => {
      sqsMock.on(DeleteQueueCommand).resolves({});
      const mailbox = await taskQueue().openRun("run-a", new UsageMeter());

      await mailbox.close();

      expect(sqsMock).toReceiveCommandWith(DeleteQueueCommand, { QueueUrl: replyUrl("run-a") });
    });
  });
});

describe("Class: SqsCompletionSender", () => {
  afterEach(() => {
    sqsMock.reset();
  });

  it("sends the completion to the reply queue named in the work message", async () => {
    sqsMock.on(SendMessageBatchCommand).resolves({});
    const sender = new SqsCompletionSender(new SQSClient({ region: "us-east-1" }));

    await sender.send(replyUrl("run-a"), completion("run-a", "query"));

    expect(sqsMock).toReceiveCommandWith(SendMessageCommand, {
      QueueUrl: replyUrl("run-a"),
      MessageBody: JSON.stringify(completion("run-a", "query")),
    });
  });
});
