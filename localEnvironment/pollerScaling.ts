/**
 * How many batches an SQS event source mapping runs at once, per AWS's documented scaling for
 * standard queues. Source: AWS Lambda developer guide, "Configuring scaling behavior for SQS event
 * source mappings" (https://docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html): "When
 * messages are available, Lambda starts processing five batches at a time with five concurrent
 * invocations of your function. If messages are still available, Lambda increases the number of
 * processes that are reading batches by up to 300 more instances per minute. The maximum number of
 * batches that an event source mapping can process simultaneously is 1,000. When traffic is low,
 * Lambda scales back the processing to five concurrent batches". MaximumConcurrency (2-1,000) caps
 * it (AWS::Lambda::EventSourceMapping ScalingConfig).
 */
export const AWS_SQS_SCALING = {
  initialConcurrentBatches: 5,
  addedBatchesPerMinute: 300,
  maximumConcurrentBatches: 1000,
  /** Bounds of the `maximumConcurrency` setting of an sqs event. */
  maximumConcurrencyRange: [2, 1000],
  /**
   * AWS documents no rate for scaling down on an idle queue: assumed symmetric to the growth, so
   * a pause between two DAG levels does not throw the warm pollers away at once.
   */
  removedBatchesPerMinuteWhenIdle: 300,
} as const;

/**
 * `aws`: AWS's poller scaling, capped by `maximumConcurrency` when the sqs event sets it.
 * `fixed`: always this many batches at once, like a Celery or RQ worker pool of that size.
 */
export type QueueScaling =
  | { mode: "aws"; maximumConcurrency?: number }
  | { mode: "fixed"; concurrentBatches: number };

/** Parses `aws` or a positive integer (a fixed pool), as the CLI and environment spell it. */
export function parseQueueScaling(text: string, maximumConcurrency?: number): QueueScaling {
  if (text === "aws") {
    return maximumConcurrency === undefined ? { mode: "aws" } : { mode: "aws", maximumConcurrency };
  }
  const concurrentBatches = Number(text);
  if (!Number.isInteger(concurrentBatches) || concurrentBatches < 1) {
    throw new Error(`queue scaling must be "aws" or a whole number of batches, got "${text}"`);
  }
  return { mode: "fixed", concurrentBatches };
}

export function describeQueueScaling(scaling: QueueScaling): string {
  if (scaling.mode === "fixed") return `fixed pool of ${scaling.concurrentBatches} batches`;
  const cap = scaling.maximumConcurrency ?? AWS_SQS_SCALING.maximumConcurrentBatches;
  return `AWS poller scaling (${AWS_SQS_SCALING.initialConcurrentBatches} batches at first, +${AWS_SQS_SCALING.addedBatchesPerMinute}/min while messages remain, at most ${cap})`;
}

/**
 * The number of batches allowed in flight, as time passes and the queue is seen busy or idle. The
 * level moves continuously (300 per minute is one batch every 200 ms); `limit()` floors it.
 */
export class PollerScaling {
  private level: number;
  private readonly cap: number;
  private queueBusy = false;
  private updatedAt: number;

  constructor(
    private readonly scaling: QueueScaling,
    private readonly now: () => number = Date.now,
  ) {
    if (scaling.mode === "fixed") {
      this.level = scaling.concurrentBatches;
      this.cap = scaling.concurrentBatches;
    } else {
      const [lowest, highest] = AWS_SQS_SCALING.maximumConcurrencyRange;
      const cap = scaling.maximumConcurrency ?? AWS_SQS_SCALING.maximumConcurrentBatches;
      if (!Number.isInteger(cap) || cap < lowest || cap > highest) {
        throw new Error(
          `maximumConcurrency must be an integer from ${lowest} to ${highest}, got ${cap}`,
        );
      }
      this.cap = cap;
      this.level = Math.min(AWS_SQS_SCALING.initialConcurrentBatches, cap);
    }
    this.updatedAt = now();
  }

  /** Batches that may run at once now. */
  limit(): number {
    this.advance();
    return Math.floor(this.level);
  }

  /** A receive returned messages: the queue has a backlog, so pollers are added. */
  sawMessages(): void {
    this.advance();
    this.queueBusy = true;
  }

  /** A receive came back empty: pollers are removed again. */
  sawEmptyQueue(): void {
    this.advance();
    this.queueBusy = false;
  }

  private advance(): void {
    const now = this.now();
    const minutes = Math.max(0, now - this.updatedAt) / 60_000;
    this.updatedAt = now;
    if (this.scaling.mode === "fixed") return;
    const floor = Math.min(AWS_SQS_SCALING.initialConcurrentBatches, this.cap);
    this.level = this.queueBusy
      ? Math.min(this.cap, this.level + minutes * AWS_SQS_SCALING.addedBatchesPerMinute)
      : Math.max(floor, this.level - minutes * AWS_SQS_SCALING.removedBatchesPerMinuteWhenIdle);
  }
}
