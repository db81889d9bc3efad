import { InvokeCommand, LambdaClient, TooManyRequestsException } from "@aws-sdk/client-lambda";
import { Uint8ArrayBlobAdapter } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { LambdaTaskInvoker } from "../../../adapters/LambdaTaskInvoker.js";
import { PayloadTooLargeError, TaskFailedError } from "../../../lib/errors.js";
import type { TaskRequest } from "../../../lib/tasks/types.js";

const lambdaMock = mockClient(LambdaClient);
const payload = (value: unknown) => Uint8ArrayBlobAdapter.fromString(JSON.stringify(value));

const request: TaskRequest = {
  runId: "run-1",
  taskId: "process",
  fn: "processData",
  durationMs: 200,
  kind: "io",
  inputs: { query: "data" },
};

function invoker() {
  return new LambdaTaskInvoker((fn) => `lab-test-${fn}`, new LambdaClient({ region: "us-east-1" }));
}

describe("Class: LambdaTaskInvoker", () => {
  afterEach(() => {
    lambdaMock.reset();
  });

  it("invokes the task's own function synchronously with the request as JSON", async () => {
    const result = {
      output: "processed(data)",
      startedAt: 1,
      endedAt: 201,
      coldStart: true,
      billing: { memoryMb: 1024, architecture: "arm64", billedMs: 201, initMs: 130 },
    };
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload(result) });

    const outcome = await invoker().invoke(request, new AbortController().signal);

    expect(outcome).toEqual(result);
    expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
      FunctionName: "lab-test-processData",
      InvocationType: "RequestResponse",
    });
    const sent = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array;
    expect(JSON.parse(new TextDecoder().decode(sent))).toEqual(request);
  });

  it("refuses a request over Lambda's 6 MB synchronous limit without invoking, naming the limit", async () => {
    const large = { ...request, inputs: { query: "x".repeat(6 * 1024 * 1024) } };

    const sending = invoker().invoke(large, new AbortController().signal);

    await expect(sending).rejects.toThrow(PayloadTooLargeError);
    await expect(sending).rejects.toThrow(/Lambda synchronous invoke payload \(6 MB\)/);
    expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 0);
  });

  it("rejects a response that is not a task result, naming the field", async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload({ output: 1 }) });

    const answer = invoker().invoke(request, new AbortController().signal);

    await expect(answer).rejects.toThrow(/processData's response\.startedAt/);
  });

  it("turns a FunctionError into a TaskFailedError with the task, type and message", async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: payload({ errorType: "Error", errorMessage: "database unreachable" }),
    });

    const failure = invoker().invoke(request, new AbortController().signal);

    await expect(failure).rejects.toBeInstanceOf(TaskFailedError);
    await expect(failure).rejects.toMatchObject({
      taskId: "process",
      errorType: "Error",
      message: "database unreachable",
    });
  });

  it("still names the task when a FunctionError has no payload", async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, FunctionError: "Unhandled" });

    await expect(invoker().invoke(request, new AbortController().signal)).rejects.toMatchObject({
      taskId: "process",
      errorType: "Unhandled",
      message: "processData failed (Unhandled)",
    });
  });

  it("lets a transport error through, so the run reports it", async () => {
    lambdaMock.on(InvokeCommand).rejects(new Error("connect ECONNREFUSED"));

    await expect(invoker().invoke(request, new AbortController().signal)).rejects.toThrow(
      "ECONNREFUSED",
    );
  });

  it("retries an invoke throttled past the concurrency limit, and counts the attempts", async () => {
    const throttled = () =>
      new TooManyRequestsException({ message: "Rate Exceeded.", $metadata: { attempts: 1 } });
    const result = { output: "ok", startedAt: 1, endedAt: 2, coldStart: false };
    lambdaMock
      .on(InvokeCommand)
      .rejectsOnce(throttled())
      .rejectsOnce(throttled())
      .resolves({ StatusCode: 200, Payload: payload(result), $metadata: { attempts: 1 } });

    const outcome = await invoker().invoke(request, new AbortController().signal);

    expect(outcome).toEqual({ ...result, invokeRetries: 2 });
    expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 3);
  });

  it("stops retrying a throttled invoke when the run is aborted", async () => {
    lambdaMock
      .on(InvokeCommand)
      .rejects(new TooManyRequestsException({ message: "Rate Exceeded.", $metadata: {} }));
    const abort = new AbortController();
    setTimeout(() => abort.abort(new Error("run budget spent")), 300);

    await expect(invoker().invoke(request, abort.signal)).rejects.toThrow();
    expect(lambdaMock.commandCalls(InvokeCommand).length).toBeGreaterThan(1);
  });

  it("retries a throttled invoke as soon as one of its own invocations ends, not on a timer", async () => {
    const result = { output: "ok", startedAt: 1, endedAt: 2, coldStart: false };
    let calls = 0;
    lambdaMock.on(InvokeCommand).callsFake(async () => {
      calls += 1;
      if (calls === 1) {
        await new Promise((resolve) => setTimeout(resolve, 200)); // holds the only unit
        return { StatusCode: 200, Payload: payload(result) };
      }
      if (calls === 2)
        throw new TooManyRequestsException({ message: "Rate Exceeded.", $metadata: {} });
      return { StatusCode: 200, Payload: payload(result) };
    });
    const shared = invoker();
    const signal = new AbortController().signal;
    const startedAt = Date.now();

    const [first, second] = await Promise.all([
      shared.invoke({ ...request, taskId: "a" }, signal),
      shared.invoke({ ...request, taskId: "b" }, signal),
    ]);

    expect(first).toEqual(result);
    expect(second).toEqual({ ...result, invokeRetries: 1 });
    // Woken by the end of "a" at ~200 ms; the fallback timer alone would wait 1.5 s or more.
    expect(Date.now() - startedAt).toBeLessThan(1000);
  });

  it("tries again when the connection was dropped before any answer, a few times at most", async () => {
    const dropped = () => Object.assign(new Error("socket hang up"), { code: "ECONNRESET" });
    const result = { output: "ok", startedAt: 1, endedAt: 2, coldStart: false };
    lambdaMock
      .on(InvokeCommand)
      .rejectsOnce(dropped())
      .resolves({ StatusCode: 200, Payload: payload(result) });

    await expect(invoker().invoke(request, new AbortController().signal)).resolves.toEqual({
      ...result,
      invokeRetries: 1,
    });

    lambdaMock.reset();
    lambdaMock.on(InvokeCommand).rejects(dropped());
    await expect(invoker().invoke(request, new AbortController().signal)).rejects.toThrow(
      "socket hang up",
    );
    expect(lambdaMock).toReceiveCommandTimes(InvokeCommand, 4);
  });
});

describe("Class: LambdaTaskInvoker, the user's own functions", () => {
  afterEach(() => {
    lambdaMock.reset();
  });

  const configuration = {
    arn: "arn:aws:lambda:us-east-1:123456789012:function:fetch",
    memoryMb: 512,
    architecture: "arm64" as const,
    timeoutS: 10,
  };
  const call = { taskId: "get", function: "fetch:live", configuration, event: { part: 1 } };
  const tail = (text: string) => Buffer.from(text).toString("base64");
  const REPORT =
    "END RequestId: 1\nREPORT RequestId: 1\tDuration: 40.50 ms\tBilled Duration: 41 ms\tMemory Size: 512 MB\tMax Memory Used: 80 MB\tInit Duration: 210.00 ms\t\n";

  it("asks for the log tail and bills the invocation from its REPORT line", async () => {
    lambdaMock
      .on(InvokeCommand)
      .resolves({ StatusCode: 200, Payload: payload({ rows: 3 }), LogResult: tail(REPORT) });

    const outcome = await invoker().invokeFunction(call, new AbortController().signal);

    expect(lambdaMock).toReceiveCommandWith(InvokeCommand, {
      FunctionName: "fetch:live",
      LogType: "Tail",
      InvocationType: "RequestResponse",
    });
    const sent = lambdaMock.commandCalls(InvokeCommand)[0]?.args[0].input.Payload as Uint8Array;
    expect(JSON.parse(new TextDecoder().decode(sent))).toEqual({ part: 1 });
    expect(outcome).toMatchObject({
      output: { rows: 3 },
      coldStart: true,
      billing: {
        memoryMb: 512,
        architecture: "arm64",
        billedMs: 41,
        initMs: 210,
        maxMemoryUsedMb: 80,
      },
      measurement: { source: "REPORT line" },
    });
    expect((outcome.endedAt ?? 0) - (outcome.startedAt ?? 0)).toBeCloseTo(40.5);
  });

  it("without a REPORT line bills the round trip at the configured memory, and says so", async () => {
    lambdaMock.on(InvokeCommand).resolves({ StatusCode: 200, Payload: payload("ok") });

    const outcome = await invoker().invokeFunction(call, new AbortController().signal);

    expect(outcome.measurement?.source).toBe("round trip");
    expect(outcome.billing).toMatchObject({ memoryMb: 512, initMs: 0 });
  });

  it("turns a FunctionError into the task's failure with the function's own error, billed", async () => {
    lambdaMock.on(InvokeCommand).resolves({
      StatusCode: 200,
      FunctionError: "Unhandled",
      Payload: payload({ errorType: "TypeError", errorMessage: "bad row 3" }),
      LogResult: tail(REPORT),
    });

    const error = await invoker()
      .invokeFunction(call, new AbortController().signal)
      .catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(TaskFailedError);
    expect(error).toMatchObject({ taskId: "get", errorType: "TypeError", message: "bad row 3" });
    expect((error as TaskFailedError).billing?.billedMs).toBe(41);
  });

  it("refuses an event over Lambda's 6 MB before sending it, naming the task", async () => {
    const big = { ...call, event: { blob: "x".repeat(6 * 1024 * 1024) } };

    await expect(invoker().invokeFunction(big, new AbortController().signal)).rejects.toThrow(
      PayloadTooLargeError,
    );
    await expect(invoker().invokeFunction(big, new AbortController().signal)).rejects.toThrow(
      /get's event is/,
    );
    expect(lambdaMock.commandCalls(InvokeCommand)).toHaveLength(0);
  });
});
