import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";

export interface SqsEventSourceMappingOptions {
  queueUrl: string;
  queueArn: string;
  functionName: string;
  /** 1..10000, AWS's default 10. */
  batchSize: number;
  /** 0..300; 0 invokes as soon as a receive returns records. */
  maximumBatchingWindowSeconds: number;
  /** `functionResponseType: ReportBatchItemFailures`. */
  reportBatchItemFailures: boolean;
  /** Batches invoked at once; polling goes on while they run. */
  maxConcurrentBatches?: number;
  region?: string;
}

export interface EventSourceMappingStats {
  batches: number;
  records: number;
  deleted: number;
  failedRecords: number;
  invokeErrors: number;
  receiveErrors: number;
}

/** AWS long-polls for 20 s while the queue is empty. */
const LONG_POLL_SECONDS = 20;
const MAX_RECEIVE = 10;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 2000;
const decoder = new TextDecoder();

function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const messageAttributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? "String",
        ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
        ...(value.BinaryValue === undefined
          ? {}
          : { binaryValue: Buffer.from(value.BinaryValue).toString("base64") }),
        stringListValues: value.StringListValues ?? [],
        binaryListValues: [],
      },
    ]),
  );
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: (message.Attributes ?? {}) as unknown as SQSRecord["attributes"],
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * Plays AWS Lambda's SQS event source mapping against a local queue and a local Lambda endpoint
 * (LocalStack's SQS + serverless-offline), with AWS's documented semantics:
 * - batches of up to `batchSize` records; with a batching window it keeps receiving until the batch
 *   is full or the window (opened by the first record) closes; without one it invokes at once;
 * - a function error or a failed invoke fails the whole batch: nothing is deleted, the records
 *   reappear after the visibility timeout and the queue's redrive policy moves them to the DLQ;
 * - with ReportBatchItemFailures only the listed records stay on the queue; an answer naming an
 *   unknown or empty itemIdentifier fails the whole batch, an empty list means all succeeded;
 * - a failed receive never stops polling: it is retried with a capped backoff.
 * Not modelled: AWS's scaling of pollers and Lambda concurrency limits (here a fixed number of
 * batches run at once), and the 6 MB payload limit beyond ten 256 KB records.
 */
export class SqsEventSourceMapping {
  readonly stats: EventSourceMappingStats = {
    batches: 0,
    records: 0,
    deleted: 0,
    failedRecords: 0,
    invokeErrors: 0,
    receiveErrors: 0,
  };
  private readonly stopping = new AbortController();
  private readonly inFlight = new Set<Promise<void>>();
  private polling: Promise<void> | undefined;

  constructor(
    private readonly options: SqsEventSourceMappingOptions,
    private readonly clients: { sqs: SQSClient; lambda: LambdaClient },
  ) {}

  start(): void {
    this.polling ??= this.pollUntilStopped();
  }

  /** Stops polling and waits for the batches already invoked to be settled. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await this.polling;
    await Promise.allSettled([...this.inFlight]);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  private async pollUntilStopped(): Promise<void> {
    const maxConcurrentBatches = this.options.maxConcurrentBatches ?? 10;
    let retryDelayMs = 0;
    while (!this.stopped) {
      if (this.inFlight.size >= maxConcurrentBatches) {
        await Promise.race(this.inFlight);
        continue;
      }
      try {
        const batch = await this.gatherBatch();
        retryDelayMs = 0;
        if (batch.length > 0) this.invokeInBackground(batch);
      } catch (error) {
        if (this.stopped) break;
        this.stats.receiveErrors += 1;
        retryDelayMs = Math.min(
          Math.max(retryDelayMs * 2, FIRST_RETRY_DELAY_MS),
          MAX_RETRY_DELAY_MS,
        );
        console.warn(
          `event source mapping ${this.options.functionName}: receive failed (${String(error)}), retrying in ${retryDelayMs} ms`,
        );
        await new Promise((resolve) => setTimeout(resolve, retryDelayMs));
      }
    }
  }

  private async gatherBatch(): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.options;
    const batch = await this.receive(Math.min(MAX_RECEIVE, batchSize), LONG_POLL_SECONDS);
    if (batch.length === 0 || maximumBatchingWindowSeconds === 0) return batch;
    const windowClosesAt = Date.now() + maximumBatchingWindowSeconds * 1000;
    while (batch.length < batchSize && !this.stopped) {
      const remainingMs = windowClosesAt - Date.now();
      if (remainingMs <= 0) break;
      const more = await this.receive(
        Math.min(MAX_RECEIVE, batchSize - batch.length),
        Math.floor(remainingMs / 1000),
      );
      batch.push(...more);
    }
    return batch;
  }

  private async receive(maxMessages: number, waitSeconds: number): Promise<Message[]> {
    const { Messages = [] } = await this.clients.sqs.send(
      new ReceiveMessageCommand({
        QueueUrl: this.options.queueUrl,
        MaxNumberOfMessages: maxMessages,
        WaitTimeSeconds: waitSeconds,
        AttributeNames: ["All"],
        MessageSystemAttributeNames: ["All"],
        MessageAttributeNames: ["All"],
      }),
      { abortSignal: this.stopping.signal },
    );
    return Messages;
  }

  private invokeInBackground(batch: Message[]): void {
    const invocation = this.invokeAndSettle(batch).finally(() => this.inFlight.delete(invocation));
    this.inFlight.add(invocation);
  }

  private async invokeAndSettle(batch: Message[]): Promise<void> {
    this.stats.batches += 1;
    this.stats.records += batch.length;
    const region = this.options.region ?? "us-east-1";
    const event: SQSEvent = {
      Records: batch.map((message) => toRecord(message, this.options.queueArn, region)),
    };
    let succeeded: Message[];
    try {
      const response = await this.clients.lambda.send(
        new InvokeCommand({
          FunctionName: this.options.functionName,
          InvocationType: "RequestResponse",
          Payload: new TextEncoder().encode(JSON.stringify(event)),
        }),
      );
      const payload = response.Payload ? decoder.decode(response.Payload) : "";
      if (response.FunctionError) {
        throw new Error(`${response.FunctionError}: ${payload.slice(0, 300)}`);
      }
      succeeded = this.successfulRecords(batch, payload);
    } catch (error) {
      this.stats.invokeErrors += 1;
      console.warn(
        `event source mapping ${this.options.functionName}: batch of ${batch.length} failed (${String(error)}); SQS will redeliver it`,
      );
      succeeded = [];
    }
    this.stats.failedRecords += batch.length - succeeded.length;
    await this.deleteMessages(succeeded);
  }

  /** The records to delete after a successful invocation, by AWS's partial-batch rules. */
  private successfulRecords(batch: Message[], payload: string): Message[] {
    if (!this.options.reportBatchItemFailures) return batch;
    const response = (payload === "" ? null : JSON.parse(payload)) as SQSBatchResponse | null;
    const failures = response?.batchItemFailures ?? [];
    const batchIds = new Set(batch.map((message) => message.MessageId));
    const failedIds = new Set<string>();
    for (const failure of failures) {
      if (!failure?.itemIdentifier || !batchIds.has(failure.itemIdentifier)) {
        throw new Error(`invalid batchItemFailures entry ${JSON.stringify(failure)}`);
      }
      failedIds.add(failure.itemIdentifier);
    }
    return batch.filter((message) => !failedIds.has(message.MessageId ?? ""));
  }

  private async deleteMessages(messages: Message[]): Promise<void> {
    for (let start = 0; start < messages.length; start += MAX_RECEIVE) {
      const chunk = messages.slice(start, start + MAX_RECEIVE);
      try {
        const { Failed = [] } = await this.clients.sqs.send(
          new DeleteMessageBatchCommand({
            QueueUrl: this.options.queueUrl,
            Entries: chunk.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
        this.stats.deleted += chunk.length - Failed.length;
        for (const failed of Failed) {
          console.warn(
            `event source mapping ${this.options.functionName}: delete failed (${failed.Code}: ${failed.Message})`,
          );
        }
      } catch (error) {
        console.warn(
          `event source mapping ${this.options.functionName}: delete failed (${String(error)})`,
        );
      }
    }
  }
}
