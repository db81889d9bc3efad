import type { APIGatewayProxyEvent, Context, SQSRecord } from "aws-lambda";
import type { RunReport, TaskReport } from "../../lib/runReport/types.js";

/** A fixed epoch so that reports built in tests are deterministic. */
export const T0 = 1_700_000_000_000;

/** A succeeded task that was invoked at T0 and ran for 1 s; override what the test is about. */
export function aTaskReport(overrides: Partial<TaskReport> = {}): TaskReport {
  return {
    id: "query",
    fn: "queryData",
    deps: [],
    kind: "io",
    durationMs: 1000,
    level: 0,
    status: "succeeded",
    invokedAt: T0,
    startedAt: T0 + 20,
    endedAt: T0 + 1020,
    returnedAt: T0 + 1040,
    coldStart: false,
    billing: { memoryMb: 1024, architecture: "arm64", billedMs: 1000, initMs: 0 },
    ...overrides,
  };
}

/**
 * A succeeded one-task run. `endedAt` follows `startedAt + wallMs` and `overheadMs` follows
 * `wallMs - criticalPathMs` unless overridden, so a test only sets the numbers it is about.
 */
export function aRunReport(overrides: Partial<RunReport> = {}): RunReport {
  const startedAt = overrides.startedAt ?? T0;
  const wallMs = overrides.wallMs ?? (overrides.endedAt ?? startedAt + 1100) - startedAt;
  const criticalPathMs = overrides.criticalPathMs ?? Math.min(1000, wallMs);
  return {
    runId: "3f2a9c1e-7b4d-4e0a-9c1f-5d6e7f8a9b0c",
    strategy: "sequential",
    status: "succeeded",
    scale: 1,
    startedAt,
    endedAt: startedAt + wallMs,
    wallMs,
    criticalPathMs,
    criticalPath: ["query"],
    overheadMs: wallMs - criticalPathMs,
    levels: 1,
    coldStarts: 0,
    tasks: [
      aTaskReport({
        invokedAt: startedAt,
        startedAt: startedAt + 20,
        endedAt: startedAt + 20 + criticalPathMs,
        returnedAt: startedAt + wallMs,
      }),
    ],
    ...overrides,
  };
}

/** A run's cost, all of it Lambda duration: for tests about cost statistics, not its parts. */
export function aRunCost(totalUsd: number): NonNullable<RunReport["cost"]> {
  return {
    totalUsd,
    lambdaDurationUsd: totalUsd,
    lambdaRequestsUsd: 0,
    sqsUsd: 0,
    apiGatewayUsd: 0,
    stepFunctionsUsd: 0,
    durableUsd: 0,
  };
}

/** A Lambda context as the runtime passes it; only what our handlers read is meaningful. */
export function aLambdaContext(overrides: Partial<Context> = {}): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "concurrency-lab-test-fn",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:concurrency-lab-test-fn",
    memoryLimitInMB: "1024",
    awsRequestId: "request-1",
    logGroupName: "/aws/lambda/concurrency-lab-test-fn",
    logStreamName: "stream",
    getRemainingTimeInMillis: () => 29_000,
    done: () => {},
    fail: () => {},
    succeed: () => {},
    ...overrides,
  };
}

/** `POST /runs/{strategy}` as API Gateway's REST API hands it to the orchestrator. */
export function aRunEvent(strategy: string, body: string | null): APIGatewayProxyEvent {
  return {
    body,
    headers: { "Content-Type": "application/json" },
    multiValueHeaders: {},
    httpMethod: "POST",
    isBase64Encoded: false,
    path: `/runs/${strategy}`,
    pathParameters: { id: strategy },
    queryStringParameters: null,
    multiValueQueryStringParameters: null,
    stageVariables: null,
    requestContext: {} as APIGatewayProxyEvent["requestContext"],
    resource: "/runs/{strategy}",
  };
}

/** One SQS record as the event source mapping delivers it. */
export function anSqsRecord(messageId: string, body: string): SQSRecord {
  return {
    messageId,
    receiptHandle: `handle-${messageId}`,
    body,
    attributes: {
      ApproximateReceiveCount: "1",
      SentTimestamp: "0",
      SenderId: "sender",
      ApproximateFirstReceiveTimestamp: "0",
    },
    messageAttributes: {},
    md5OfBody: "",
    eventSource: "aws:sqs",
    eventSourceARN: "arn:aws:sqs:us-east-1:000000000000:concurrency-lab-test-work",
    awsRegion: "us-east-1",
  };
}
