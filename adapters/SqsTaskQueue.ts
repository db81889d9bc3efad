import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  DeleteQueueCommand,
  GetQueueUrlCommand,
  type Message,
  ReceiveMessageCommand,
  SendMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { Completion, RunMailbox, TaskQueue, WorkMessage } from "../lib/ports.js";
import { completionSchema } from "../lib/tasks/schema.js";
import { createSqsClient } from "./clients.js";
import { runAttributes } from "./runAttributes.js";

/** Long poll of the reply queue: returns as soon as a completion arrives, and is aborted at stop. */
const REPLY_WAIT_SECONDS = 5;
/** A reply queue outlives its run only if the orchestrator died: SQS drops its messages after this. */
const REPLY_RETENTION_SECONDS = 600;

function parseCompletion(message: Message): Completion | undefined {
  try {
    return completionSchema.parse(JSON.parse(message.Body ?? ""));
  } catch (error) {
    console.warn("ignoring a malformed completion", message.MessageId, error);
    return undefined;
  }
}

class SqsRunMailbox implements RunMailbox {
  constructor(
    private readonly client: SQSClient,
    private readonly runId: string,
    private readonly workQueueUrl: string,
    readonly replyTo: string,
  ) {}

  async dispatch(message: WorkMessage): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: this.workQueueUrl,
        MessageBody: JSON.stringify(message),
        MessageAttributes: runAttributes(message),
      }),
    );
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
    if (messages.length === 0) return [];
    await this.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: this.replyTo,
        Entries: messages.map((message, index) => ({
          Id: String(index),
          ReceiptHandle: message.ReceiptHandle,
        })),
      }),
    );
    return messages
      .map(parseCompletion)
      .filter((completion): completion is Completion => completion?.runId === this.runId);
  }

  async close(): Promise<void> {
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

  async openRun(runId: string): Promise<RunMailbox> {
    const [workQueueUrl, reply] = await Promise.all([
      this.resolveWorkQueueUrl(),
      this.client.send(
        new CreateQueueCommand({
          QueueName: `${this.options.replyQueuePrefix}${runId}`,
          Attributes: { MessageRetentionPeriod: String(REPLY_RETENTION_SECONDS) },
          tags: { runId },
        }),
      ),
    ]);
    if (!reply.QueueUrl) throw new Error(`CreateQueue returned no URL for run ${runId}`);
    return new SqsRunMailbox(this.client, runId, workQueueUrl, reply.QueueUrl);
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
