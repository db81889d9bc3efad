import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { QueueDirectory } from "../lib/ports.js";
import type { ListedQueue } from "../lib/sweeper/selectStaleQueues.js";
import { createSqsClient } from "./sqsClient.js";
import { isQueueGone } from "./sqsErrors.js";

/** ListQueues' largest page; without MaxResults SQS returns at most 1,000 and no NextToken. */
const LIST_PAGE_SIZE = 1000;

/** The last path segment of a queue URL is its name. */
function queueNameOf(url: string): string {
  return url.slice(url.lastIndexOf("/") + 1);
}

/** The reply-queue sweeper's view of SQS: list by name prefix, read creation times, delete. */
export class SqsQueueDirectory implements QueueDirectory {
  constructor(private readonly client: SQSClient = createSqsClient()) {}

  async *listQueueUrls(prefix: string): AsyncIterable<string[]> {
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new ListQueuesCommand({
          QueueNamePrefix: prefix,
          MaxResults: LIST_PAGE_SIZE,
          NextToken: nextToken,
        }),
      );
      yield page.QueueUrls ?? [];
      nextToken = page.NextToken;
    } while (nextToken);
  }

  async describeQueue(url: string): Promise<ListedQueue | "gone"> {
    try {
      const { Attributes = {} } = await this.client.send(
        new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["CreatedTimestamp"] }),
      );
      // Epoch seconds, as a string.
      const createdSeconds = Number(Attributes.CreatedTimestamp);
      return {
        url,
        name: queueNameOf(url),
        ...(Attributes.CreatedTimestamp && Number.isFinite(createdSeconds)
          ? { createdAt: createdSeconds * 1000 }
          : {}),
      };
    } catch (error) {
      if (isQueueGone(error)) return "gone";
      throw error;
    }
  }

  async deleteQueue(url: string): Promise<"deleted" | "gone"> {
    try {
      await this.client.send(new DeleteQueueCommand({ QueueUrl: url }));
      return "deleted";
    } catch (error) {
      if (isQueueGone(error)) return "gone";
      throw error;
    }
  }
}
