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
 * start at `initial` concurrent batches and add `addedPerMinute` while the queue is busy, up to
 * `maximum` (and the mapping's MaximumConcurrency), and go back down as fast while it is not;
 * each takes a message, invokes the worker with it (the delivery latency is send -> handler
 * start), and deletes it when the worker succeeded.
 * A crashed worker's message comes back after the visibility timeout, a failed one's after the
 * shortened visibility the worker sets.
 */
export class SimulatedWorkQueue {
  private readonly waiting: SimulatedMessage[] = [];
  private inFlight = 0;
  /** Batches allowed at once, moving continuously; the whole part of it is the limit. */
  private level: number;
  private updatedAt = 0;
  /** Pollers are being added: from a receive that returned messages until one comes back empty. */
  private busy = false;
  /** Since when a poller with a free slot has found the queue empty, while busy. */
  private emptySince: number | undefined;
  /** The mapping's own receives and deletes (estimated on AWS: they run inside the service). */
  requests = 0;

  constructor(
    private readonly lambda: LambdaService,
    private readonly worker: SimulatedFunction,
    /** The template's MaximumConcurrency on the mapping. */
    private readonly maximumConcurrency: number,
  ) {
    // A MaximumConcurrency under the initial pollers holds them from the start.
    this.level = this.floor();
  }

  /** The message is on the queue now. */
  send(message: SimulatedMessage): void {
    this.advance();
    this.waiting.push(message);
    // Messages waiting are what the pollers scale up for (AWS: "if messages are still available").
    this.busy = true;
    this.emptySince = undefined;
    this.poll();
  }

  private cap(): number {
    return Math.min(this.lambda.parameters.sqs.pollers.maximum.value, this.maximumConcurrency);
  }

  private floor(): number {
    return Math.min(this.lambda.parameters.sqs.pollers.initial.value, this.cap());
  }

  private perMs(): number {
    return this.lambda.parameters.sqs.pollers.addedPerMinute.value / 60_000;
  }

  /**
   * Moves the level to now: up while the queue is busy, back down (as fast) to the initial
   * pollers while it is not. The queue turns idle once a poller with a free batch slot has found
   * it empty for `idleAfterMs` (its long poll came back empty; absent: at once). A slot frees
   * when a batch ends or when the level passes the batches in flight.
   */
  private advance(): void {
    const now = this.lambda.simulation.now;
    const idleAfterMs = this.lambda.parameters.sqs.pollers.idleAfterMs?.value ?? 0;
    let at = this.updatedAt;
    if (this.busy) {
      if (
        this.emptySince === undefined &&
        this.waiting.length === 0 &&
        this.inFlight < this.cap()
      ) {
        const slotFreesAt = at + Math.max(0, this.inFlight + 1 - this.level) / this.perMs();
        if (slotFreesAt <= now) this.emptySince = slotFreesAt;
      }
      const idleAt =
        this.emptySince === undefined ? Number.POSITIVE_INFINITY : this.emptySince + idleAfterMs;
      const busyUntil = Math.max(at, Math.min(now, idleAt));
      this.level = Math.min(this.cap(), this.level + (busyUntil - at) * this.perMs());
      at = busyUntil;
      if (idleAt <= now) this.busy = false;
    }
    this.level = Math.max(this.floor(), this.level - (now - at) * this.perMs());
    this.updatedAt = now;
  }

  /** Batches that may run at once now. */
  private limit(): number {
    this.advance();
    // A hair under a whole number from float error still counts as that number.
    return Math.floor(this.level + 1e-9);
  }

  /** A poller with a free slot finds nothing waiting: from now it counts towards turning idle. */
  private noteEmptyPoll(): void {
    if (this.waiting.length === 0 && this.inFlight < this.limit())
      this.emptySince ??= this.lambda.simulation.now;
  }

  private scheduledScale = false;

  private poll(): void {
    while (this.waiting.length > 0 && this.inFlight < this.limit()) {
      this.busy = true;
      this.emptySince = undefined;
      this.deliver(this.waiting.shift() as SimulatedMessage);
    }
    this.noteEmptyPoll();
    // Messages wait for more pollers: look again when the next one is added.
    if (this.waiting.length > 0 && this.level < this.cap() && !this.scheduledScale) {
      this.scheduledScale = true;
      const untilNext = (Math.floor(this.level + 1e-9) + 1 - this.level) / this.perMs();
      this.lambda.simulation.after(untilNext, () => {
        this.scheduledScale = false;
        this.poll();
      });
    }
  }

  private deliver(message: SimulatedMessage): void {
    const { lambda } = this;
    const { simulation, parameters } = lambda;
    this.inFlight += 1;
    this.requests += 1; // the mapping's receive
    simulation.after(
      simulation.draw(parameters.sqs.deliveryToWorker) + lambda.sqsTransferMs(message.bytes),
      () =>
        lambda.stackRequest("sqsRequestCpuMs", () =>
          lambda.runHandler(this.worker, message.body, (record) => {
            this.inFlight -= 1;
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
