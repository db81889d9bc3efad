import {
  ChangeMessageVisibilityCommand,
  GetQueueUrlCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import { createSqsClient } from "./sqsClient.js";

/**
 * Makes a failed record visible again soon, instead of after the queue's visibility timeout (180 s
 * on AWS, 48 s locally: six times the worker's timeout, so that a slow invocation is never
 * redelivered while it runs). SQS then delivers it again, counts the receive, and moves it to the
 * DLQ past maxReceiveCount: the queue strategy's own retry, on a run's time scale.
 */
export class SqsRedelivery {
  private readonly queueUrls = new Map<string, Promise<string>>();

  constructor(private readonly client: SQSClient = createSqsClient()) {}

  async deliverAgainIn(queueArn: string, receiptHandle: string, seconds: number): Promise<void> {
    await this.client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await this.queueUrlOf(queueArn),
        ReceiptHandle: receiptHandle,
        VisibilityTimeout: seconds,
      }),
    );
  }

  private queueUrlOf(queueArn: string): Promise<string> {
    let url = this.queueUrls.get(queueArn);
    if (!url) {
      const name = queueArn.split(":").pop() ?? queueArn;
      url = this.client
        .send(new GetQueueUrlCommand({ QueueName: name }))
        .then(({ QueueUrl }) => QueueUrl ?? Promise.reject(new Error(`no URL for ${name}`)));
      url.catch(() => this.queueUrls.delete(queueArn));
      this.queueUrls.set(queueArn, url);
    }
    return url;
  }
}
