import { SendMessageCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { Completion, CompletionSender } from "../lib/ports.js";
import { createSqsClient } from "./clients.js";
import { runAttributes } from "./runAttributes.js";

/** The worker's side: reports a completion to the reply queue named in the work message. */
export class SqsCompletionSender implements CompletionSender {
  constructor(private readonly client: SQSClient = createSqsClient()) {}

  async send(replyTo: string, completion: Completion): Promise<void> {
    await this.client.send(
      new SendMessageCommand({
        QueueUrl: replyTo,
        MessageBody: JSON.stringify(completion),
        MessageAttributes: runAttributes(completion),
      }),
    );
  }
}
