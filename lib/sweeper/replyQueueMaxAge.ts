/**
 * Added to the queue orchestrator's Lambda timeout before a reply queue counts as left behind.
 * A live run's reply queue can never be older than that timeout: the orchestrator creates it
 * inside its invocation and deletes it before answering, and Lambda ends the invocation at the
 * timeout at the latest. The margin absorbs what blurs that bound: SQS reports creation times in
 * whole seconds, the sweeper's clock and SQS's differ a little, and the orchestrator's timeout
 * could be raised in serverless.yml without the sweeper being redeployed. The costs are lopsided:
 * deleting a live run's reply queue fails that run, while an orphan left for one more sweep costs
 * nothing (an idle queue is not billed and its messages expire after 10 minutes).
 */
export const REPLY_QUEUE_SAFETY_MARGIN_SECONDS = 60;

/**
 * How old a reply queue must be before the sweeper deletes it: the queue orchestrator's Lambda
 * timeout (its run budget is that less a response margin) plus the safety margin.
 *
 * @example
 * replyQueueMaxAgeSeconds(29); // 89
 */
export function replyQueueMaxAgeSeconds(orchestratorTimeoutSeconds: number): number {
  return orchestratorTimeoutSeconds + REPLY_QUEUE_SAFETY_MARGIN_SECONDS;
}
