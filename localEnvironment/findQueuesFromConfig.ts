import { GetQueueAttributesCommand, GetQueueUrlCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { ResolvedServerlessConfig } from "./resolveServerlessConfig.js";

export interface LocalQueue {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
}

/**
 * The queues serverless.yml declares, as the deployed stack created them in LocalStack: URL and
 * ARN by logical id, for the local event source mapping and the tests.
 */
export async function findQueuesFromConfig(
  config: ResolvedServerlessConfig,
  sqs: SQSClient,
): Promise<Map<string, LocalQueue>> {
  const queues = new Map<string, LocalQueue>();
  for (const [logicalId, resource] of Object.entries(config.resources?.Resources ?? {})) {
    if (resource.Type !== "AWS::SQS::Queue") continue;
    const name = String(resource.Properties?.QueueName ?? logicalId);
    const { QueueUrl: url } = await sqs.send(new GetQueueUrlCommand({ QueueName: name }));
    if (!url) throw new Error(`no URL for the deployed queue ${name}`);
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
    );
    queues.set(logicalId, { logicalId, name, url, arn: Attributes?.QueueArn ?? "" });
  }
  return queues;
}
