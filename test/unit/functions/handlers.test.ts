import { InvokeCommand, LambdaClient } from "@aws-sdk/client-lambda";
import { PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import middy from "@middy/core";
import { Uint8ArrayBlobAdapter } from "@smithy/util-stream";
import type { APIGatewayProxyResult } from "aws-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { problemResponses } from "../../../functions/http/problemResponses.js";
import { handler as orchestrator } from "../../../functions/orchestrator.js";
import { handler as taskHandler } from "../../../functions/task.js";
import { handler as unknownStrategy } from "../../../functions/unknownStrategy.js";
import { handler as worker } from "../../../functions/worker.js";
import type { RunReport } from "../../../lib/runReport/types.js";
import { aLambdaContext, anSqsRecord, aRunEvent } from "../../helpers/factories.js";

const lambdaMock = mockClient(LambdaClient);
/** Each orchestrator function runs the shared handler with its STRATEGY (serverless.yml). */
const runAs = (strategy: string, ...args: Parameters<typeof orchestrator>) => {
  process.env.STRATEGY = strategy;
  return orchestrator(...args);
};
const sqsMock = mockClient(SQSClient);
// Run records: every write accepted (the store itself is tested in S3RunRecordStore.test.ts).
const s3Mock = mockClient(S3Client);
const tiny = (workflow?: unknown) =>
  JSON.stringify({ scale: 0.005, ...(workflow ? { workflow } : {}) });

beforeAll(() => {
  Object.assign(process.env, {
    TASK_FUNCTION_PREFIX: "concurrency-lab-test-",
    WORK_QUEUE_NAME: "concurrency-lab-test-work",
    REPLY_QUEUE_PREFIX: "concurrency-lab-test-reply-",
    STATE_MACHINE_PREFIX: "concurrency-lab-test-sm-",
    STATE_MACHINE_ROLE_ARN: "arn:aws:iam::000000000000:role/concurrency-lab-test-sm",
    TASK_FUNCTION_ARN_PREFIX:
      "arn:aws:lambda:us-east-1:000000000000:function:concurrency-lab-test-",
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "test",
    AWS_SECRET_ACCESS_KEY: "test",
    LAMBDA_ARCHITECTURE: "arm64",
    RUN_RECORDS_BUCKET: "concurrency-lab-test-runs",
  });
});

beforeEach(() => {
  s3Mock.on(PutObjectCommand).resolves({});
});

afterEach(() => {
  lambdaMock.reset();
  sqsMock.reset();
  s3Mock.reset();
});

describe("Handler: POST /runs/{strategy}", () => {
  it("inline answers 200 with a succeeded report of the seed workflow", async () => {
    const response = await runAs("inline", aRunEvent("inline", tiny()), aLambdaContext());

    expect(response.statusCode).toBe(200);
    const report = JSON.parse(response.body) as RunReport;
    expect(report).toMatchObject({ strategy: "inline", status: "succeeded", scale: 0.005 });
    const query = report.tasks.find((task) => task.id === "queryData");
    expect(report.tasks.find((task) => task.id === "processData")?.output).toMatchObject({
      digests: { queryData: query?.outputDigest },
    });
  });

  it("prices the run: inline pays for its own Lambda and the API request only", async () => {
    const response = await runAs("inline", aRunEvent("inline", tiny()), aLambdaContext());

    const report = JSON.parse(response.body) as RunReport;
    expect(report.orchestrator).toMatchObject({ memoryMb: 1024 });
    expect(report.usage?.lambda.map((invocation) => invocation.role)).toEqual(["orchestrator"]);
    expect(report.usage).toMatchObject({ apiGatewayRequests: 1, sqsRequests: { counted: 0 } });
    expect(report.cost?.totalUsd).toBeGreaterThan(0);
    expect(report.cost?.sqsUsd).toBe(0);
  });

  it("fanout invokes the task Lambdas and passes queryData's output to processData", async () => {
    lambdaMock.on(InvokeCommand).callsFake(async (input) => {
      const request = JSON.parse(new TextDecoder().decode(input.Payload as Uint8Array));
      const output = { queryData: "data", processData: "processed(data)", writeLog: "logged" }[
        request.fn as string
      ];
      const billing = { memoryMb: 1024, architecture: "arm64", billedMs: 2, initMs: 0 };
      const now = Date.now();
      const result = { output, startedAt: now, endedAt: now, coldStart: false, billing };
      return { StatusCode: 200, Payload: Uint8ArrayBlobAdapter.fromString(JSON.stringify(result)) };
    });

    const response = await runAs("fanout", aRunEvent("fanout", tiny()), aLambdaContext());

    expect(response.statusCode).toBe(200);
    expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
      FunctionName: "concurrency-lab-test-processData",
    });
    const processCall = lambdaMock
      .commandCalls(InvokeCommand)
      .map((call) => JSON.parse(new TextDecoder().decode(call.args[0].input.Payload as Uint8Array)))
      .find((request) => request.fn === "processData");
    expect(processCall.inputs).toEqual({ queryData: "data" });
    const report = JSON.parse(response.body) as RunReport;
    expect(report.usage?.lambda.map((invocation) => invocation.role)).toEqual([
      "orchestrator",
      "task",
      "task",
      "task",
    ]);
    expect(report.cost?.lambdaRequestsUsd).toBeCloseTo(4 * 0.2e-6, 12);
  });

  it.each([
    ["malformed JSON", "{oops", "body"],
    ["a cycle", tiny({ tasks: [{ id: "a", fn: "writeLog", deps: ["a"] }] }), "workflow.tasks"],
    ["a bad scale", JSON.stringify({ scale: 100 }), "body.scale"],
  ])("answers 400 naming the field for %s", async (_case, body, field) => {
    const response = await runAs("inline", aRunEvent("inline", body), aLambdaContext());

    expect(response.statusCode).toBe(400);
    expect(response.headers).toEqual({ "Content-Type": "application/json" });
    expect(JSON.parse(response.body)).toMatchObject({ error: "InvalidInput", field });
  });

  it("answers 500 with a JSON body, not the error's details, when something unexpected breaks", async () => {
    vi.spyOn(console, "error").mockImplementation(() => {});
    const broken = middy(async (): Promise<APIGatewayProxyResult> => {
      throw new Error("secret connection string");
    }).use(problemResponses());

    const response = await broken(aRunEvent("inline", null), aLambdaContext());

    expect(response.statusCode).toBe(500);
    expect(JSON.parse(response.body)).toMatchObject({ error: "InternalError" });
    expect(response.body).not.toContain("secret");
  });

  it("answers 400 naming `strategy` for an unknown strategy", async () => {
    const response = await unknownStrategy(aRunEvent("threads", null), aLambdaContext());

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ field: "strategy" });
  });
});

describe("Handler: task", () => {
  const event = { runId: "r", taskId: "t", fn: "writeLog", durationMs: 1, kind: "io", inputs: {} };

  it("returns the output, its own span, its billing, and a cold start only the first time", async () => {
    // A fresh module graph is a fresh execution environment: its first invocation is cold.
    vi.resetModules();
    const { handler: freshTaskHandler } = await import("../../../functions/task.js");
    const first = await freshTaskHandler(event, aLambdaContext());
    const second = await freshTaskHandler(event, aLambdaContext());

    expect(first).toMatchObject({
      output: "logged",
      coldStart: true,
      billing: { memoryMb: 1024, architecture: "arm64" },
    });
    expect(first.billing?.initMs).toBeGreaterThan(0);
    expect(second.billing?.initMs).toBe(0);
    expect(first.endedAt).toBeGreaterThanOrEqual(first.startedAt);
    expect(second.coldStart).toBe(false);
  });

  it("rejects an invalid event, naming the field", async () => {
    await expect(taskHandler({ ...event, kind: "gpu" }, aLambdaContext())).rejects.toThrow(
      "event.kind",
    );
  });

  it("processes inputs a state machine keys by position under their deps' ids", async () => {
    // As a generated state machine sends it: inputs by state key, inputIds naming each dep.
    const fromStateMachine = {
      ...event,
      fn: "processData",
      inputs: { t0: ["row"], t2: "logged" },
      inputIds: { t0: "fetch-1", t2: "log" },
    };
    const sentByOthers = {
      ...event,
      fn: "processData",
      inputs: { "fetch-1": ["row"], log: "logged" },
    };

    const result = await taskHandler(fromStateMachine, aLambdaContext());
    const expected = await taskHandler(sentByOthers, aLambdaContext());

    expect(result.output).toEqual(expected.output);
    expect(Object.keys((result.output as { digests: object }).digests)).toEqual(["fetch-1", "log"]);
  });
});

describe("Handler: worker", () => {
  it("reports only the malformed record as a batch item failure", async () => {
    sqsMock.on(SendMessageCommand).resolves({});
    const good = JSON.stringify({
      ...JSON.parse(JSON.stringify({})),
      runId: "r",
      taskId: "t",
      fn: "writeLog",
      durationMs: 1,
      kind: "io",
      inputs: {},
      replyTo: "reply-url",
      sentAt: 0,
    });

    const response = await worker(
      { Records: [anSqsRecord("good", good), anSqsRecord("bad", "{not json")] },
      aLambdaContext(),
    );

    expect(response).toEqual({ batchItemFailures: [{ itemIdentifier: "bad" }] });
    expect(sqsMock).toReceiveCommandWith(SendMessageCommand, { QueueUrl: "reply-url" });
  });

  it("lists every record, without throwing, when the whole batch fails", async () => {
    const response = await worker(
      { Records: [anSqsRecord("a", "{"), anSqsRecord("b", "[]")] },
      aLambdaContext(),
    );

    expect(response).toEqual({
      batchItemFailures: [{ itemIdentifier: "a" }, { itemIdentifier: "b" }],
    });
  });
});
