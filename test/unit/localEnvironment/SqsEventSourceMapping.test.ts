import { InvokeCommand, LambdaClient, TooManyRequestsException } from "@aws-sdk/client-lambda";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { Uint8ArrayBlobAdapter } from "@smithy/util-stream";
import type { SQSEvent } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  SqsEventSourceMapping,
  type SqsEventSourceMappingOptions,
} from "../../../localEnvironment/SqsEventSourceMapping.js";

const sqsMock = mockClient(SQSClient);
const lambdaMock = mockClient(LambdaClient);
const QUEUE_URL = "http://127.0.0.1:4566/queue/us-east-1/000000000000/work";
const QUEUE_ARN = "arn:aws:sqs:us-east-1:000000000000:work";

const message = (id: string): Message => ({
  MessageId: id,
  ReceiptHandle: `handle-${id}`,
  Body: `body-${id}`,
  MD5OfBody: "md5",
  Attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1700000000000" },
  MessageAttributes: { runId: { DataType: "String", StringValue: "run-1" } },
});

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Serves the given receives in order, then empty polls (a short wait each, like a long poll). */
function queueServes(...receives: Message[][]) {
  const pending = [...receives];
  sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
    const next = pending.shift();
    if (next) return { Messages: next };
    await pause(5);
    return {};
  });
}

function functionAnswers(answer: { payload?: unknown; functionError?: string }) {
  lambdaMock.on(InvokeCommand).resolves({
    StatusCode: 200,
    ...(answer.functionError ? { FunctionError: answer.functionError } : {}),
    Payload: Uint8ArrayBlobAdapter.fromString(
      answer.payload === undefined ? "" : JSON.stringify(answer.payload),
    ),
  });
}

function deletedHandles(): string[] {
  return sqsMock
    .commandCalls(DeleteMessageBatchCommand)
    .flatMap((call) => call.args[0].input.Entries?.map((entry) => entry.ReceiptHandle ?? "") ?? []);
}

function invokedEvents(): SQSEvent[] {
  return lambdaMock
    .commandCalls(InvokeCommand)
    .map((call) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)));
}

async function waitFor(condition: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error("condition not met in time");
    await pause(5);
  }
}

let running: SqsEventSourceMapping | undefined;

function startMapping(overrides: Partial<SqsEventSourceMappingOptions> = {}) {
  running = new SqsEventSourceMapping(
    {
      queueUrl: QUEUE_URL,
      queueArn: QUEUE_ARN,
      functionName: "concurrency-lab-local-worker",
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: true,
      // One poller: the receives a test scripts are taken in order.
      scaling: { mode: "fixed", concurrentBatches: 1 },
      ...overrides,
    },
    {
      sqs: new SQSClient({ region: "us-east-1" }),
      lambda: new LambdaClient({ region: "us-east-1" }),
    },
  );
  running.start();
  return running;
}

describe("Class: SqsEventSourceMapping", () => {
  beforeEach(() => {
    sqsMock.on(DeleteMessageBatchCommand).resolves({});
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });

  afterEach(async () => {
    await running?.stop();
    running = undefined;
    sqsMock.reset();
    lambdaMock.reset();
    vi.restoreAllMocks();
  });

  it("invokes the function with a real-shaped SQS event", async () => {
    queueServes([message("a")]);
    functionAnswers({ payload: { batchItemFailures: [] } });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.deleted === 1);

    expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
      FunctionName: "concurrency-lab-local-worker",
      InvocationType: "RequestResponse",
    });
    expect(invokedEvents()[0]?.Records).toEqual([
      {
        messageId: "a",
        receiptHandle: "handle-a",
        body: "body-a",
        attributes: { ApproximateReceiveCount: "1", SentTimestamp: "1700000000000" },
        messageAttributes: {
          runId: {
            dataType: "String",
            stringValue: "run-1",
            stringListValues: [],
            binaryListValues: [],
          },
        },
        md5OfBody: "md5",
        eventSource: "aws:sqs",
        eventSourceARN: QUEUE_ARN,
        awsRegion: "us-east-1",
      },
    ]);
  });

  it("deletes every record when the function reports no failures", async () => {
    queueServes([message("a"), message("b"), message("c")]);
    functionAnswers({ payload: { batchItemFailures: [] } });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.batches === 1 && mapping.stats.deleted === 3);

    expect(deletedHandles().sort()).toEqual(["handle-a", "handle-b", "handle-c"]);
  });

  it("keeps only the records the function lists as failed", async () => {
    queueServes([message("a"), message("b"), message("c")]);
    functionAnswers({ payload: { batchItemFailures: [{ itemIdentifier: "b" }] } });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.deleted === 2);

    expect(deletedHandles().sort()).toEqual(["handle-a", "handle-c"]);
    expect(mapping.stats.failedRecords).toBe(1);
  });

  it("deletes nothing when the function fails: SQS redelivers the whole batch", async () => {
    queueServes([message("a"), message("b")]);
    functionAnswers({ functionError: "Unhandled", payload: { errorMessage: "boom" } });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.invokeErrors === 1);

    expect(deletedHandles()).toEqual([]);
    expect(mapping.stats.failedRecords).toBe(2);
  });

  it.each([
    ["an unknown itemIdentifier", { batchItemFailures: [{ itemIdentifier: "zzz" }] }],
    ["an empty itemIdentifier", { batchItemFailures: [{ itemIdentifier: "" }] }],
  ])("treats %s as a failure of the whole batch", async (_case, payload) => {
    queueServes([message("a"), message("b")]);
    functionAnswers({ payload });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.invokeErrors === 1);

    expect(deletedHandles()).toEqual([]);
  });

  it("deletes the whole batch on success when ReportBatchItemFailures is off", async () => {
    queueServes([message("a"), message("b")]);
    functionAnswers({ payload: { batchItemFailures: [{ itemIdentifier: "a" }] } });

    const mapping = startMapping({ reportBatchItemFailures: false });
    await waitFor(() => mapping.stats.deleted === 2);

    expect(deletedHandles().sort()).toEqual(["handle-a", "handle-b"]);
  });

  it("with a batching window, gathers several receives into one batch up to batchSize", async () => {
    queueServes([message("a")], [message("b"), message("c")], [message("d")]);
    functionAnswers({ payload: null });

    const mapping = startMapping({ batchSize: 3, maximumBatchingWindowSeconds: 1 });
    await waitFor(() => mapping.stats.records === 4, 3000);

    expect(invokedEvents().map((event) => event.Records.map((record) => record.messageId))).toEqual(
      [["a", "b", "c"], ["d"]],
    );
  });

  it("without a batching window, invokes after the first receive that returns records", async () => {
    queueServes([message("a")], [message("b")]);
    functionAnswers({ payload: null });

    const mapping = startMapping({ batchSize: 10 });
    await waitFor(() => mapping.stats.batches === 2);

    expect(invokedEvents().map((event) => event.Records.length)).toEqual([1, 1]);
  });

  it("keeps polling after a failed receive", async () => {
    let calls = 0;
    sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
      calls += 1;
      if (calls === 1) throw new Error("connection refused");
      if (calls === 2) return { Messages: [message("a")] };
      await pause(5);
      return {};
    });
    functionAnswers({ payload: null });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.deleted === 1);

    expect(mapping.stats.receiveErrors).toBe(1);
  });

  it("tries an invoke again when the local gateway dropped its connection, instead of failing the batch", async () => {
    queueServes([message("a")]);
    lambdaMock
      .on(InvokeCommand)
      .rejectsOnce(Object.assign(new Error("socket hang up"), { code: "ECONNRESET" }))
      .resolves({ StatusCode: 200, Payload: Uint8ArrayBlobAdapter.fromString("null") });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.deleted === 1);

    expect(mapping.stats.invokeErrors).toBe(0);
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(2);
  });

  it("retries a throttled invoke instead of failing the batch", async () => {
    queueServes([message("a")]);
    lambdaMock
      .on(InvokeCommand)
      .rejectsOnce(new TooManyRequestsException({ message: "Rate Exceeded.", $metadata: {} }))
      .resolves({ StatusCode: 200, Payload: Uint8ArrayBlobAdapter.fromString("null") });

    const mapping = startMapping();
    await waitFor(() => mapping.stats.deleted === 1);

    expect(mapping.stats.throttles).toBe(1);
    expect(mapping.stats.invokeErrors).toBe(0);
  });

  it("stop() aborts an invocation under way rather than wait for it, and deletes nothing: SQS redelivers", async () => {
    queueServes([message("a")]);
    // A worker that never answers until the request is aborted, as the SDK's HTTP handler does.
    const aborted: string[] = [];
    const hangingLambda = {
      send: (_command: InvokeCommand, options?: { abortSignal?: AbortSignal }) =>
        new Promise((_resolve, reject) => {
          options?.abortSignal?.addEventListener("abort", () => {
            aborted.push("invoke");
            reject(new Error("Request aborted"));
          });
        }),
    } as unknown as LambdaClient;
    const mapping = new SqsEventSourceMapping(
      {
        queueUrl: QUEUE_URL,
        queueArn: QUEUE_ARN,
        functionName: "concurrency-lab-local-worker",
        batchSize: 1,
        maximumBatchingWindowSeconds: 0,
        reportBatchItemFailures: true,
        scaling: { mode: "fixed", concurrentBatches: 1 },
      },
      { sqs: new SQSClient({ region: "us-east-1" }), lambda: hangingLambda },
    );
    mapping.start();
    await waitFor(() => mapping.stats.batches === 1);

    const stopping = mapping.stop();
    const outcome = await Promise.race([
      stopping.then(() => "stopped"),
      pause(1000).then(() => "hung"),
    ]);

    expect(outcome).toBe("stopped");
    expect(aborted).toEqual(["invoke"]);
    expect(deletedHandles()).toEqual([]);
    expect(console.warn).not.toHaveBeenCalled();
  });

  describe("scaling, on a fake clock", () => {
    /** A queue of `count` messages and a function whose every invocation takes 1 s. */
    function wideQueue(count: number) {
      const waiting = Array.from({ length: count }, (_, index) => message(`m${index}`));
      sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
        const next = waiting.shift();
        if (next) return { Messages: [next] };
        await pause(20_000); // a long poll on an empty queue
        return {};
      });
      let inFlight = 0;
      const concurrency: Array<{ at: number; running: number }> = [];
      lambdaMock.on(InvokeCommand).callsFake(async () => {
        inFlight += 1;
        concurrency.push({ at: Date.now(), running: inFlight });
        await pause(1000);
        inFlight -= 1;
        return { StatusCode: 200, Payload: Uint8ArrayBlobAdapter.fromString("null") };
      });
      return { concurrency, remaining: () => waiting.length };
    }
    const peak = (samples: Array<{ running: number }>) =>
      Math.max(0, ...samples.map((sample) => sample.running));

    beforeEach(() => {
      vi.useFakeTimers();
    });
    afterEach(async () => {
      // Let the fake long polls and invocations end, so stop() can settle them.
      const stopped = running?.stop();
      await vi.advanceTimersByTimeAsync(25_000);
      await stopped;
      running = undefined;
      vi.useRealTimers();
    });

    it("aws: a 200-message queue starts with 5 concurrent batches, then adds up to 300 a minute", async () => {
      const { concurrency } = wideQueue(200);
      const startedAt = Date.now();

      startMapping({ batchSize: 1, scaling: { mode: "aws" } });
      await vi.advanceTimersByTimeAsync(10_000);
      const firstTick = concurrency.filter((sample) => sample.at - startedAt < 200);
      const afterTenSeconds = concurrency.filter((sample) => sample.at - startedAt < 10_000);

      expect(firstTick).toHaveLength(5);
      // 300 per minute is 5 per second: at most 5 + 5 x 10 after ten seconds, and clearly more than 5.
      expect(peak(afterTenSeconds)).toBeLessThanOrEqual(55);
      expect(peak(afterTenSeconds)).toBeGreaterThan(30);
    });

    it("aws with maximumConcurrency: never more batches at once than the cap", async () => {
      const { concurrency, remaining } = wideQueue(200);

      const mapping = startMapping({
        batchSize: 1,
        scaling: { mode: "aws", maximumConcurrency: 12 },
      });
      await vi.advanceTimersByTimeAsync(60_000);

      expect(remaining()).toBe(0);
      expect(peak(concurrency)).toBe(12);
      expect(mapping.stats.peakConcurrentBatches).toBe(12);
    });

    it("fixed: a worker pool of N runs N batches at once from the start", async () => {
      const { concurrency } = wideQueue(50);

      startMapping({ batchSize: 1, scaling: { mode: "fixed", concurrentBatches: 10 } });
      await vi.advanceTimersByTimeAsync(999);

      expect(peak(concurrency)).toBe(10);
    });

    it("aws: scales back towards 5 batches once the queue is idle", async () => {
      const { concurrency } = wideQueue(400);
      const startedAt = Date.now();

      startMapping({ batchSize: 1, scaling: { mode: "aws" } });
      await vi.advanceTimersByTimeAsync(60_000);
      // a second burst after a long quiet spell
      const burstAt = Date.now();
      sqsMock.on(ReceiveMessageCommand).callsFake(async () => {
        return { Messages: [message(`late-${Date.now()}`)] };
      });
      await vi.advanceTimersByTimeAsync(999);

      expect(burstAt - startedAt).toBe(60_000);
      expect(peak(concurrency.filter((sample) => sample.at >= burstAt))).toBeLessThanOrEqual(10);
    });
  });
});
