import { describe, expect, it } from "vitest";
import type { ResolvedServerlessConfig } from "../../../localEnvironment/resolveServerlessConfig.js";
import { sqsEventSourcesFromConfig } from "../../../localEnvironment/sqsEventSourcesFromConfig.js";

const config = (functions: ResolvedServerlessConfig["functions"]): ResolvedServerlessConfig => ({
  service: "lab",
  provider: { stage: "local" },
  functions,
});

describe("Function: sqsEventSourcesFromConfig", () => {
  it("reads an sqs event with !GetAtt, its batch and concurrency settings and ReportBatchItemFailures", () => {
    const sources = sqsEventSourcesFromConfig(
      config({
        worker: {
          events: [
            { http: { path: "x", method: "post" } },
            {
              sqs: {
                arn: { "Fn::GetAtt": ["WorkQueue", "Arn"] },
                batchSize: 5,
                maximumBatchingWindow: 2,
                functionResponseType: "ReportBatchItemFailures",
                maximumConcurrency: 50,
              },
            },
          ],
        },
      }),
    );

    expect(sources).toEqual([
      {
        functionKey: "worker",
        functionName: "lab-local-worker",
        queueLogicalId: "WorkQueue",
        batchSize: 5,
        maximumBatchingWindowSeconds: 2,
        reportBatchItemFailures: true,
        maximumConcurrency: 50,
      },
    ]);
  });

  it("applies AWS's defaults to a bare ARN and honours a custom function name", () => {
    const [source] = sqsEventSourcesFromConfig(
      config({
        worker: {
          name: "custom-worker",
          events: [{ sqs: "arn:aws:sqs:us-east-1:000000000000:q" }],
        },
      }),
    );

    expect(source).toEqual({
      functionKey: "worker",
      functionName: "custom-worker",
      queueArn: "arn:aws:sqs:us-east-1:000000000000:q",
      batchSize: 10,
      maximumBatchingWindowSeconds: 0,
      reportBatchItemFailures: false,
    });
  });

  it("plays disabled events too: LocalStack's own mapping is the one turned off locally", () => {
    const sources = sqsEventSourcesFromConfig(
      config({
        worker: { events: [{ sqs: { arn: "arn:aws:sqs:us-east-1:0:q", enabled: false } }] },
      }),
    );

    expect(sources).toHaveLength(1);
  });

  it("rejects an ARN it cannot resolve locally", () => {
    expect(() =>
      sqsEventSourcesFromConfig(
        config({ worker: { events: [{ sqs: { arn: { Ref: "WorkQueue" } } }] } }),
      ),
    ).toThrow(/unsupported sqs event arn/);
  });
});
