import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import { ReplyChannelGoneError } from "../lib/errors.js";
import type { Completion, CompletionSender } from "../lib/ports.js";
import { runAttributes } from "./runAttributes.js";
import { createSqsClient } from "./sqsClient.js";
import { isQueueGone } from "./sqsErrors.js";

/** The worker's side: reports a completion to the reply queue named in the work message. */
export class SqsCompletionSender implements CompletionSender {
  constructor(private readonly client: SQSClient = createSqsClient()) {}

  /** @throws ReplyChannelGoneError when the run's reply queue is gone: the run is over. */
  async send(replyTo: string, completion: Completion): Promise<void> {
    try {
      await this.client.send(
        new SendMessageCommand({
          QueueUrl: replyTo,
          MessageBody: JSON.stringify(completion),
          MessageAttributes: runAttributes(completion),
        }),
      );
    } catch (error) {
      if (isQueueGone(error)) throw new ReplyChannelGoneError(completion.runId, { cause: error });
      throw error;
    }
  }
}
