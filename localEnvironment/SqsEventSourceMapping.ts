import { setMaxListeners } from "node:events";
import { InvokeCommand, type LambdaClient, TooManyRequestsException } from "@aws-sdk/client-lambda";
import {
  DeleteMessageBatchCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { SQSEvent } from "aws-lambda";
import { isDroppedConnection, MAX_DROPPED_CONNECTIONS } from "../adapters/droppedConnections.js";
import { backoffCeilingMs, jitteredMs } from "../lib/backoff.js";
import { AWS_SQS_SCALING, PollerScaling, type QueueScaling } from "./pollerScaling.js";
import { recordsToDelete, toRecord } from "./sqsBatches.js";

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
  /** How many batches run at once: AWS's poller scaling, or a fixed pool. */
  scaling: QueueScaling;
  /** Modelled delay between a batch's receive and its invoke (a latency profile); none by default. */
  deliveryDelayMs?: () => number;

  region?: string;
}

export interface EventSourceMappingStats {
  batches: number;
  records: number;
  deleted: number;
  failedRecords: number;
  invokeErrors: number;
  receiveErrors: number;
  /** Invokes refused with 429 by the local Lambda's concurrency limit, and retried. */
  throttles: number;
  /** Most batches in flight at once so far. */
  peakConcurrentBatches: number;
  /** Batches invoked twice (the duplicateDeliveries fault). */
  duplicatedBatches: number;
}

/** AWS long-polls for 20 s while the queue is empty. */
export const LONG_POLL_SECONDS = 20;
const MAX_RECEIVE = 10;
const FIRST_RETRY_DELAY_MS = 100;
const MAX_RETRY_DELAY_MS = 2000;
/** How often the number of pollers follows the scaling: 300 per minute is one per 200 ms. */
const SCALING_TICK_MS = 200;
const decoder = new TextDecoder();

/**
 * Plays AWS Lambda's SQS event source mapping against a local queue and a local Lambda endpoint
 * (LocalStack's SQS + serverless-offline), with AWS's documented semantics:
 * - batches of up to `batchSize` records; with a batching window it keeps receiving until the batch
 *   is full or the window (opened by the first record) closes; without one it invokes at once;
 * - a function error or a failed invoke fails the whole batch: nothing is deleted, the records
 *   reappear after the visibility timeout and the queue's redrive policy moves them to the DLQ;
 * - with ReportBatchItemFailures only the listed records stay on the queue; an answer naming an
 *   unknown or empty itemIdentifier fails the whole batch, an empty list means all succeeded;
 * - a failed receive never stops polling: it is retried with a capped backoff;
 * - at most `scaling`'s limit of batches are invoked at once (AWS's documented scaling, or a fixed
 *   pool); pollers receive up to 10 messages for the free slots, invoke each batch side by side
 *   and delete what succeeded with one DeleteMessageBatch.
 * Not modelled: the 6 MB payload limit beyond ten 256 KB records; a throttled invoke is retried
 * in place (invokeUnlessStopped), where AWS would return the batch to the queue.
 */
export class SqsEventSourceMapping {
  /**
   * An injected fault (bench:faults): every batch is also invoked a second time, at once, as
   * SQS's at-least-once delivery may do; the first answer decides what is deleted.
   */
  duplicateDeliveries = false;
  readonly stats: EventSourceMappingStats = {
    batches: 0,
    records: 0,
    deleted: 0,
    failedRecords: 0,
    invokeErrors: 0,
    receiveErrors: 0,
    throttles: 0,
    peakConcurrentBatches: 0,
    duplicatedBatches: 0,
  };
  private readonly stopping = new AbortController();
  private readonly scaling: PollerScaling;
  /** Receive loops, and groups of batches still being invoked or deleted: stop() awaits both. */
  private readonly pollers = new Set<Promise<void>>();
  private readonly groups = new Set<Promise<void>>();
  private batchesInFlight = 0;
  /** Slots a poller has claimed for the receive it is waiting on. */
  private slotsClaimed = 0;
  /** Pollers not yet retired: counted synchronously, so a shrinking limit retires only the excess. */
  private activePollers = 0;
  private slotFreed: Array<() => void> = [];
  private polling: Promise<void> | undefined;

  constructor(
    private readonly options: SqsEventSourceMappingOptions,
    private readonly clients: { sqs: SQSClient; lambda: LambdaClient },
  ) {
    this.scaling = new PollerScaling(options.scaling);
    // Every receive under way listens for the stop.
    setMaxListeners(AWS_SQS_SCALING.maximumConcurrentBatches + 10, this.stopping.signal);
  }

  start(): void {
    this.polling ??= this.scalePollersUntilStopped();
  }

  /**
   * Stops polling within moments: receives and invocations under way are aborted (a 20 s long
   * poll or an 8 s worker must not hold a shutdown); their messages are SQS's to redeliver.
   */
  async stop(): Promise<void> {
    this.stopping.abort();
    for (const wake of this.slotFreed.splice(0)) wake();
    await this.polling;
    await Promise.allSettled([...this.pollers]);
    await Promise.allSettled([...this.groups]);
  }

  private get stopped(): boolean {
    return this.stopping.signal.aborted;
  }

  /** A receive brings at most 10 messages: one poller per 10 batches the scaling allows. */
  private wantedPollers(): number {
    return Math.max(1, Math.ceil(this.scaling.limit() / MAX_RECEIVE));
  }

  /** Adds pollers as the scaling allows more batches; each one retires itself when in excess. */
  private async scalePollersUntilStopped(): Promise<void> {
    while (!this.stopped) {
      while (this.activePollers < this.wantedPollers()) {
        const poller = this.pollUntilRetired().finally(() => this.pollers.delete(poller));
        this.pollers.add(poller);
      }
      await this.pause(SCALING_TICK_MS);
    }
  }

  /** Waits `ms`, or less when stop() comes first (global timers: fake clocks drive them). */
  private pause(ms: number): Promise<void> {
    const { signal } = this.stopping;
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal.addEventListener("abort", done, { once: true });
    });
  }

  /** Until a batch ends, or the next scaling tick (the limit may have grown). */
  private untilSlotFreed(): Promise<void> {
    return Promise.race([
      new Promise<void>((resolve) => this.slotFreed.push(resolve)),
      this.pause(SCALING_TICK_MS),
    ]);
  }

  private async pollUntilRetired(): Promise<void> {
    this.activePollers += 1;
    try {
      await this.pollWhileNeeded();
    } finally {
      this.activePollers -= 1;
    }
  }

  /**
   * Claims the batch slots still free under the scaling's limit, receives that many batches'
   * worth of messages (at most 10 per receive, SQS's maximum), invokes each batch in the
   * background and polls again: a poller never waits for its invocations, only for free slots.
   */
  private async pollWhileNeeded(): Promise<void> {
    let failedReceives = 0;
    while (!this.stopped && this.activePollers <= this.wantedPollers()) {
      const freeSlots = this.scaling.limit() - this.batchesInFlight - this.slotsClaimed;
      if (freeSlots <= 0) {
        await this.untilSlotFreed();
        continue;
      }
      const { batchSize } = this.options;
      const slots = Math.min(freeSlots, Math.max(1, Math.floor(MAX_RECEIVE / batchSize)));
      this.slotsClaimed += slots;
      let received: Message[];
      try {
        received = await this.receiveBatches(slots);
        failedReceives = 0;
      } catch (error) {
        if (this.stopped) break;
        this.stats.receiveErrors += 1;
        const retryDelayMs = backoffCeilingMs(failedReceives, {
          firstMs: FIRST_RETRY_DELAY_MS,
          maxMs: MAX_RETRY_DELAY_MS,
        });
        failedReceives += 1;
        console.warn(
          `event source mapping ${this.options.functionName}: receive failed (${String(error)}), retrying in ${retryDelayMs} ms`,
        );
        await this.pause(retryDelayMs);
        continue;
      } finally {
        this.slotsClaimed -= slots;
      }
      if (received.length === 0) {
        this.scaling.sawEmptyQueue();
        continue;
      }
      this.scaling.sawMessages();
      const batches: Message[][] = [];
      for (let first = 0; first < received.length; first += batchSize) {
        batches.push(received.slice(first, first + batchSize));
      }
      const group = this.invokeGroup(batches).finally(() => this.groups.delete(group));
      this.groups.add(group);
    }
  }

  /**
   * Messages for `slots` batches. With a batching window, one batch gathered over several
   * receives until it is full or the window (opened by its first record) closes; without one,
   * what a single receive returns, invoked at once.
   */
  private async receiveBatches(slots: number): Promise<Message[]> {
    const { batchSize, maximumBatchingWindowSeconds } = this.options;
    if (maximumBatchingWindowSeconds === 0) {
      return this.receive(Math.min(MAX_RECEIVE, slots * batchSize), LONG_POLL_SECONDS);
    }
    const batch = await this.receive(Math.min(MAX_RECEIVE, batchSize), LONG_POLL_SECONDS);
    if (batch.length === 0) return batch;
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

  /** Invokes the batches of one receive side by side, then deletes what succeeded in one go. */
  private async invokeGroup(batches: Message[][]): Promise<void> {
    const succeeded = await Promise.all(batches.map((batch) => this.invokeBatch(batch)));
    await this.deleteMessages(succeeded.flat());
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

  /** Invokes one batch; resolves with the messages to delete, by AWS's rules. */
  private async invokeBatch(batch: Message[]): Promise<Message[]> {
    this.stats.batches += 1;
    this.stats.records += batch.length;
    this.batchesInFlight += 1;
    this.stats.peakConcurrentBatches = Math.max(
      this.stats.peakConcurrentBatches,
      this.batchesInFlight,
    );
    try {
      const delayMs = this.options.deliveryDelayMs?.() ?? 0;
      if (delayMs > 0) await this.pause(delayMs);
      const succeeded = await this.invoke(batch);
      this.stats.failedRecords += batch.length - succeeded.length;
      return succeeded;
    } finally {
      this.batchesInFlight -= 1;
      for (const wake of this.slotFreed.splice(0)) wake();
    }
  }

  private async invoke(batch: Message[]): Promise<Message[]> {
    const region = this.options.region ?? "us-east-1";
    const event: SQSEvent = {
      Records: batch.map((message) => toRecord(message, this.options.queueArn, region)),
    };
    try {
      if (this.duplicateDeliveries) {
        this.stats.duplicatedBatches += 1;
        void this.invokeUnlessStopped(event).catch(() => {});
      }
      const response = await this.invokeUnlessStopped(event);
      const payload = response.Payload ? decoder.decode(response.Payload) : "";
      if (response.FunctionError) {
        throw new Error(`${response.FunctionError}: ${payload.slice(0, 300)}`);
      }
      return recordsToDelete(batch, payload, this.options.reportBatchItemFailures);
    } catch (error) {
      this.stats.invokeErrors += 1;
      // Stopping aborts invocations under way: their messages go back to the queue, unremarked.
      if (this.stopped) return [];
      console.warn(
        `event source mapping ${this.options.functionName}: batch of ${batch.length} failed (${String(error)}); SQS will redeliver it`,
      );
      return [];
    }
  }

  /**
   * A throttled invoke (the local Lambda allows far fewer concurrent invocations than AWS's 1,000)
   * is retried here after a backoff. AWS instead returns the batch to the queue and backs its
   * pollers off; here that would cost a whole visibility timeout for a limit AWS would not have.
   */
  private async invokeUnlessStopped(event: SQSEvent) {
    const command = new InvokeCommand({
      FunctionName: this.options.functionName,
      InvocationType: "RequestResponse",
      Payload: new TextEncoder().encode(JSON.stringify(event)),
    });
    let drops = 0;
    for (let attempt = 1; ; attempt += 1) {
      try {
        return await this.clients.lambda.send(command, { abortSignal: this.stopping.signal });
      } catch (error) {
        // A keep-alive socket the local gateway dropped under load: AWS's mapping invokes inside
        // AWS and has no such socket to lose, so this one is tried again here.
        if (isDroppedConnection(error) && drops < MAX_DROPPED_CONNECTIONS && !this.stopped) {
          drops += 1;
          continue;
        }
        if (!(error instanceof TooManyRequestsException) || this.stopped) throw error;
        this.stats.throttles += 1;
        const ceilingMs = backoffCeilingMs(attempt, {
          firstMs: FIRST_RETRY_DELAY_MS,
          maxMs: MAX_RETRY_DELAY_MS,
        });
        await this.pause(jitteredMs(ceilingMs));
      }
    }
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
