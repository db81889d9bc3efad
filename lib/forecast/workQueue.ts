import { SQS_BILLING_CHUNK_BYTES } from "../cost/prices.js";
import type { HandlerBody, LambdaService, SimulatedFunction } from "./lambdaService.js";

/** A work message on the simulated queue: its size, and what the worker does with it. */
export interface SimulatedMessage {
  bytes: number;
  /** The worker's handler for this message; `redeliver` says when SQS gives it out again. */
  body: HandlerBody;
  /** Called with the worker's invocation once it ran (not when it was refused). */
  handled: (outcome: { crashed: boolean; failed: boolean }) => "delete" | "redeliver";
}

/** A refused worker invoke: the event source mapping tries the batch again after this (assumed). */
const THROTTLED_BATCH_RETRY_MS = 1000;

/** SQS requests in 64 KB chunks. */
export const sqsRequestsFor = (bytes: number) =>
  Math.max(1, Math.ceil(bytes / SQS_BILLING_CHUNK_BYTES));

/**
 * The work queue and its event source mapping (batch size 1, as the template sets it): pollers
 * start at `initial` concurrent batches and add `addedPerMinute` while messages wait, up to
 * `maximum` (and the mapping's MaximumConcurrency); each takes a message, invokes the worker with
 * it (the delivery latency is send -> handler start), and deletes it when the worker succeeded.
 * A crashed worker's message comes back after the visibility timeout, a failed one's after the
 * shortened visibility the worker sets.
 */
export class SimulatedWorkQueue {
  private readonly waiting: SimulatedMessage[] = [];
  private busy = 0;
  private concurrency: number;
  private lastScaledAt = 0;
  /** The mapping's own receives and deletes (estimated on AWS: they run inside the service). */
  requests = 0;

  constructor(
    private readonly lambda: LambdaService,
    private readonly worker: SimulatedFunction,
    /** The template's MaximumConcurrency on the mapping. */
    private readonly maximumConcurrency: number,
  ) {
    // A MaximumConcurrency under the initial pollers holds them from the start.
    this.concurrency = Math.min(lambda.parameters.sqs.pollers.initial.value, this.cap());
  }

  /** The message is on the queue now. */
  send(message: SimulatedMessage): void {
    // The ramp counts from when messages started waiting, not from the last idle poll.
    this.scale();
    if (this.waiting.length === 0 && this.busy === 0)
      this.lastScaledAt = this.lambda.simulation.now;
    this.waiting.push(message);
    this.poll();
  }

  private cap(): number {
    return Math.min(this.lambda.parameters.sqs.pollers.maximum.value, this.maximumConcurrency);
  }

  /** Scales the pollers: up while messages wait, back down (as fast) while the queue is empty. */
  private scale(): void {
    const { sqs } = this.lambda.parameters;
    const now = this.lambda.simulation.now;
    const perMs = sqs.pollers.addedPerMinute.value / 60_000;
    const steps = Math.floor((now - this.lastScaledAt) * perMs);
    if (steps <= 0) return;
    this.lastScaledAt += steps / perMs;
    this.concurrency =
      this.waiting.length > 0
        ? Math.min(this.cap(), this.concurrency + steps)
        : Math.max(sqs.pollers.initial.value, this.concurrency - steps);
  }

  private scheduledScale = false;

  private poll(): void {
    this.scale();
    while (this.waiting.length > 0 && this.busy < this.concurrency) {
      this.deliver(this.waiting.shift() as SimulatedMessage);
    }
    // Messages wait for more pollers: look again when the next one is added.
    if (this.waiting.length > 0 && this.concurrency < this.cap() && !this.scheduledScale) {
      this.scheduledScale = true;
      const perMs = this.lambda.parameters.sqs.pollers.addedPerMinute.value / 60_000;
      this.lambda.simulation.after(1 / perMs, () => {
        this.scheduledScale = false;
        this.poll();
      });
    }
  }

  private deliver(message: SimulatedMessage): void {
    const { lambda } = this;
    const { simulation, parameters } = lambda;
    this.busy += 1;
    this.requests += 1; // the mapping's receive
    simulation.after(
      simulation.draw(parameters.sqs.deliveryToWorker) + lambda.sqsTransferMs(message.bytes),
      () =>
        lambda.stackRequest("sqsRequestCpuMs", () =>
          lambda.runHandler(this.worker, message.body, (record) => {
            this.busy -= 1;
            if (record.throttled) {
              simulation.after(THROTTLED_BATCH_RETRY_MS, () => this.send(message));
              this.poll();
              return;
            }
            const next = message.handled({ crashed: record.crashed, failed: record.failed });
            if (next === "redeliver") {
              const delay = record.crashed
                ? parameters.sqs.visibilityTimeoutMs.value
                : parameters.sqs.failedRedeliveryMs.value;
              simulation.after(delay, () => this.send(message));
            } else {
              this.requests += 1; // the mapping's delete
              lambda.stackRequest("sqsRequestCpuMs", () => {});
            }
            this.poll();
          }),
        ),
    );
  }
}
