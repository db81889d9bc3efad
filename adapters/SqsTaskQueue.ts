import {
  CreateQueueCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  type Message,
  type MessageAttributeValue,
  ReceiveMessageCommand,
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { sqsBilledRequests } from "../lib/cost/sqsRequests.js";
import { assertWithinLimit, byteLength, SQS_MESSAGE_LIMIT } from "../lib/payloadLimits.js";
import type {
  Completion,
  RunMailbox,
  SqsRequestMeter,
  TaskQueue,
  WorkMessage,
} from "../lib/ports.js";
import { completionSchema } from "../lib/tasks/schema.js";
import { runAttributes } from "./runAttributes.js";
import { createSqsClient } from "./sqsClient.js";

/** Long poll of the reply queue: returns as soon as a completion arrives, and is aborted at stop. */
const REPLY_WAIT_SECONDS = 5;
/** A reply queue outlives its run only if the orchestrator died: SQS drops its messages after this. */
const REPLY_RETENTION_SECONDS = 600;
/**
 * Longer than any run (API Gateway's 29 s): a completion once received stays invisible until the
 * reply queue is deleted with the run, so it need not be deleted one receive at a time.
 */
const REPLY_VISIBILITY_TIMEOUT_SECONDS = 120;

function parseCompletion(message: Message): Completion | undefined {
  try {
    return completionSchema.parse(JSON.parse(message.Body ?? ""));
  } catch (error) {
    console.warn("ignoring a malformed completion", message.MessageId, error);
    return undefined;
  }
}

/** Body plus attribute names, types and values: what SQS counts against its message size limit. */
function messageBytes(body: string, attributes: Record<string, MessageAttributeValue>): number {
  return Object.entries(attributes).reduce(
    (sum, [name, value]) =>
      sum +
      byteLength(name) +
      byteLength(value.DataType ?? "") +
      byteLength(value.StringValue ?? ""),
    byteLength(body),
  );
}

/** SendMessageBatch takes up to 10 messages of at most 1 MiB together. */
const MAX_BATCH_ENTRIES = 10;

interface PendingDispatch {
  taskId: string;
  entry: Omit<SendMessageBatchRequestEntry, "Id">;
  bytes: number;
  sent: () => void;
  refused: (error: unknown) => void;
}

/** Groups dispatches in order into batches SendMessageBatch accepts. */
function intoBatches(pending: PendingDispatch[]): PendingDispatch[][] {
  const batches: PendingDispatch[][] = [];
  let batch: PendingDispatch[] = [];
  let batchBytes = 0;
  for (const item of pending) {
    if (batch.length === MAX_BATCH_ENTRIES || batchBytes + item.bytes > SQS_MESSAGE_LIMIT.bytes) {
      batches.push(batch);
      batch = [];
      batchBytes = 0;
    }
    batch.push(item);
    batchBytes += item.bytes;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
}

/**
 * Work messages dispatched in the same turn of the event loop (a level of the DAG becoming ready)
 * go out together, ten per SendMessageBatch: a 1,000-wide level is 100 requests, not 1,000, which
 * is cheaper on AWS (billed per request and 64 KB chunk) and what keeps a local SQS from queueing
 * the workers' own receives behind the dispatch.
 */
class SqsRunMailbox implements RunMailbox {
  private pending: PendingDispatch[] = [];

  constructor(
    private readonly client: SQSClient,
    private readonly runId: string,
    private readonly workQueueUrl: string,
    readonly replyTo: string,
    private readonly meter: SqsRequestMeter,
  ) {}

  async dispatch(message: WorkMessage): Promise<void> {
    const body = JSON.stringify(message);
    const attributes = runAttributes(message);
    const bytes = messageBytes(body, attributes);
    assertWithinLimit(`${message.taskId}'s work message`, bytes, SQS_MESSAGE_LIMIT);
    // The event source mapping receives the message (billed by size) and deletes it: AWS's calls.
    this.meter.estimate(sqsBilledRequests(bytes) + 1);
    return new Promise((sent, refused) => {
      if (this.pending.length === 0) setImmediate(() => this.flush());
      this.pending.push({
        taskId: message.taskId,
        entry: { MessageBody: body, MessageAttributes: attributes },
        bytes,
        sent,
        refused,
      });
    });
  }

  private flush(): void {
    for (const batch of intoBatches(this.pending.splice(0))) void this.sendBatch(batch);
  }

  private async sendBatch(batch: PendingDispatch[]): Promise<void> {
    this.meter.count(sqsBilledRequests(batch.reduce((sum, item) => sum + item.bytes, 0)));
    try {
      const { Failed: failed = [] } = await this.client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.workQueueUrl,
          Entries: batch.map((item, index) => ({ Id: String(index), ...item.entry })),
        }),
      );
      const failures = new Map(failed.map((entry) => [entry.Id, entry]));
      for (const [index, item] of batch.entries()) {
        const failure = failures.get(String(index));
        if (!failure) {
          item.sent();
          continue;
        }
        item.refused(
          new Error(
            `SQS refused ${item.taskId}'s work message: ${failure.Code}: ${failure.Message ?? ""}`,
          ),
        );
      }
    } catch (error) {
      for (const item of batch) item.refused(error);
    }
  }

  async nextCompletions(signal: AbortSignal): Promise<Completion[]> {
    const { Messages: messages = [] } = await this.client.send(
      new ReceiveMessageCommand({
        QueueUrl: this.replyTo,
        MaxNumberOfMessages: 10,
        WaitTimeSeconds: REPLY_WAIT_SECONDS,
      }),
      { abortSignal: signal },
    );
    // Counted once answered: an aborted long poll at the end of the run is not counted.
    const bodies = messages.map((message) => byteLength(message.Body ?? ""));
    this.meter.count(sqsBilledRequests(bodies.reduce((sum, bytes) => sum + bytes, 0)));
    // Each completion is one SendMessage by a worker, billed by its size.
    for (const bytes of bodies) this.meter.count(sqsBilledRequests(bytes));
    return messages
      .map(parseCompletion)
      .filter((completion): completion is Completion => completion?.runId === this.runId);
  }

  async close(): Promise<void> {
    this.meter.count(1);
    await this.client.send(new DeleteQueueCommand({ QueueUrl: this.replyTo }));
  }
}

/**
 * Work goes out on one shared work queue; each run gets a reply queue of its own, created at the
 * start and deleted at the end, so completions of run A can never be consumed by run B.
 */
export class SqsTaskQueue implements TaskQueue {
  private workQueueUrl: Promise<string> | undefined;

  constructor(
    private readonly options: { workQueueName: string; replyQueuePrefix: string },
    private readonly client: SQSClient = createSqsClient(),
  ) {}

  async openRun(runId: string, meter: SqsRequestMeter): Promise<RunMailbox> {
    // CreateQueue, and GetQueueUrl when this environment has not looked the work queue up yet.
    meter.count(this.workQueueUrl ? 1 : 2);
    const [workQueueUrl, reply] = await Promise.all([
      this.resolveWorkQueueUrl(),
      this.client.send(
        new CreateQueueCommand({
          QueueName: `${this.options.replyQueuePrefix}${runId}`,
          Attributes: {
            MessageRetentionPeriod: String(REPLY_RETENTION_SECONDS),
            VisibilityTimeout: String(REPLY_VISIBILITY_TIMEOUT_SECONDS),
          },
          tags: { runId },
        }),
      ),
    ]);
    if (!reply.QueueUrl) throw new Error(`CreateQueue returned no URL for run ${runId}`);
    return new SqsRunMailbox(this.client, runId, workQueueUrl, reply.QueueUrl, meter);
  }

  private resolveWorkQueueUrl(): Promise<string> {
    this.workQueueUrl ??= this.client
      .send(new GetQueueUrlCommand({ QueueName: this.options.workQueueName }))
      .then(({ QueueUrl }) => {
        if (!QueueUrl) throw new Error(`no URL for queue ${this.options.workQueueName}`);
        return QueueUrl;
      });
    // A failed lookup is not cached: the next run asks again.
    this.workQueueUrl.catch(() => {
      this.workQueueUrl = undefined;
    });
    return this.workQueueUrl;
  }
}
