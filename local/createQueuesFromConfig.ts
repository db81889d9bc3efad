import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  type SQSClient,
} from "@aws-sdk/client-sqs";
import type { ResolvedServerlessConfig } from "./resolveServerlessConfig.js";

export interface LocalQueue {
  logicalId: string;
  name: string;
  url: string;
  arn: string;
}

type Properties = Record<string, unknown>;

/** CloudFormation properties of AWS::SQS::Queue that map one-to-one onto queue attributes. */
const PLAIN_ATTRIBUTES = [
  "VisibilityTimeout",
  "MessageRetentionPeriod",
  "DelaySeconds",
  "MaximumMessageSize",
  "ReceiveMessageWaitTimeSeconds",
  "FifoQueue",
  "ContentBasedDeduplication",
] as const;

function getAttTarget(value: unknown): string | undefined {
  const getAtt = (value as { "Fn::GetAtt"?: unknown } | undefined)?.["Fn::GetAtt"];
  return Array.isArray(getAtt) && getAtt[1] === "Arn" ? String(getAtt[0]) : undefined;
}

function redriveTarget(properties: Properties): string | undefined {
  const policy = properties.RedrivePolicy as Properties | undefined;
  return policy ? getAttTarget(policy.deadLetterTargetArn) : undefined;
}

/** Dead-letter queues first: a redrive policy can only name a queue that exists. */
function inCreationOrder(queues: Array<[string, Properties]>): Array<[string, Properties]> {
  const ordered: Array<[string, Properties]> = [];
  const pending = [...queues];
  while (pending.length > 0) {
    const index = pending.findIndex(([, properties]) => {
      const target = redriveTarget(properties);
      return !target || ordered.some(([id]) => id === target);
    });
    if (index < 0) throw new Error("queue redrive policies name a missing queue or form a cycle");
    ordered.push(...pending.splice(index, 1));
  }
  return ordered;
}

function attributesOf(
  properties: Properties,
  created: Map<string, LocalQueue>,
): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (const name of PLAIN_ATTRIBUTES) {
    if (properties[name] !== undefined) attributes[name] = String(properties[name]);
  }
  const policy = properties.RedrivePolicy as Properties | undefined;
  if (policy) {
    const target = created.get(redriveTarget(properties) ?? "");
    if (!target) throw new Error("a RedrivePolicy must name its DLQ with !GetAtt <Queue>.Arn");
    attributes.RedrivePolicy = JSON.stringify({
      deadLetterTargetArn: target.arn,
      maxReceiveCount: Number(policy.maxReceiveCount),
    });
  }
  return attributes;
}

/**
 * Creates (or updates) in LocalStack every AWS::SQS::Queue that serverless.yml declares, with the
 * same attributes and redrive policies, dead-letter queues first.
 */
export async function createQueuesFromConfig(
  config: ResolvedServerlessConfig,
  sqs: SQSClient,
): Promise<Map<string, LocalQueue>> {
  const resources = Object.entries(config.resources?.Resources ?? {})
    .filter(([, resource]) => resource.Type === "AWS::SQS::Queue")
    .map(([id, resource]): [string, Properties] => [id, resource.Properties ?? {}]);
  const created = new Map<string, LocalQueue>();
  for (const [logicalId, properties] of inCreationOrder(resources)) {
    const name = String(properties.QueueName ?? logicalId);
    // Created bare, then configured: CreateQueue refuses an existing queue with other attributes.
    const { QueueUrl: url } = await sqs.send(new CreateQueueCommand({ QueueName: name }));
    if (!url) throw new Error(`CreateQueue returned no URL for ${name}`);
    const attributes = attributesOf(properties, created);
    if (Object.keys(attributes).length > 0) {
      await sqs.send(new SetQueueAttributesCommand({ QueueUrl: url, Attributes: attributes }));
    }
    const { Attributes } = await sqs.send(
      new GetQueueAttributesCommand({ QueueUrl: url, AttributeNames: ["QueueArn"] }),
    );
    created.set(logicalId, { logicalId, name, url, arn: Attributes?.QueueArn ?? "" });
  }
  return created;
}
