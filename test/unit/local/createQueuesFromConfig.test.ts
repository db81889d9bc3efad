import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  SetQueueAttributesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { createQueuesFromConfig } from "../../../local/createQueuesFromConfig.js";
import type { ResolvedServerlessConfig } from "../../../local/resolveServerlessConfig.js";

const sqsMock = mockClient(SQSClient);

const config: ResolvedServerlessConfig = {
  service: "lab",
  provider: { stage: "local" },
  functions: {},
  resources: {
    Resources: {
      WorkQueue: {
        Type: "AWS::SQS::Queue",
        Properties: {
          QueueName: "lab-local-work",
          VisibilityTimeout: 24,
          RedrivePolicy: {
            deadLetterTargetArn: { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] },
            maxReceiveCount: 2,
          },
        },
      },
      DeadLetterQueue: {
        Type: "AWS::SQS::Queue",
        Properties: { QueueName: "lab-local-dlq", MessageRetentionPeriod: 1209600 },
      },
      NotAQueue: { Type: "AWS::SNS::Topic" },
    },
  },
};

describe("Function: createQueuesFromConfig", () => {
  afterEach(() => {
    sqsMock.reset();
  });

  it("creates the DLQ first, then the work queue with its attributes and resolved redrive policy", async () => {
    sqsMock
      .on(CreateQueueCommand)
      .callsFake((input) => ({ QueueUrl: `http://sqs/${input.QueueName}` }));
    sqsMock.on(SetQueueAttributesCommand).resolves({});
    sqsMock.on(GetQueueAttributesCommand).callsFake((input) => ({
      Attributes: {
        QueueArn: `arn:aws:sqs:us-east-1:000000000000:${String(input.QueueUrl).split("/").at(-1)}`,
      },
    }));

    const queues = await createQueuesFromConfig(config, new SQSClient({ region: "us-east-1" }));

    const created = sqsMock
      .commandCalls(CreateQueueCommand)
      .map((call) => call.args[0].input.QueueName);
    expect(created).toEqual(["lab-local-dlq", "lab-local-work"]);
    expect(sqsMock).toReceiveCommandWith(SetQueueAttributesCommand, {
      QueueUrl: "http://sqs/lab-local-work",
      Attributes: {
        VisibilityTimeout: "24",
        RedrivePolicy: JSON.stringify({
          deadLetterTargetArn: "arn:aws:sqs:us-east-1:000000000000:lab-local-dlq",
          maxReceiveCount: 2,
        }),
      },
    });
    expect(queues.get("WorkQueue")).toEqual({
      logicalId: "WorkQueue",
      name: "lab-local-work",
      url: "http://sqs/lab-local-work",
      arn: "arn:aws:sqs:us-east-1:000000000000:lab-local-work",
    });
    expect([...queues.keys()].sort()).toEqual(["DeadLetterQueue", "WorkQueue"]);
  });
});
