import {
  GetDurableExecutionCommand,
  GetDurableExecutionHistoryCommand,
  LambdaClient,
  ResourceNotFoundException,
} from "@aws-sdk/client-lambda";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { LambdaDurableHistory } from "../../../adapters/LambdaDurableHistory.js";

const lambdaMock = mockClient(LambdaClient);
const at = (ms: number) => new Date(1_800_000_000_000 + ms);

describe("Class: LambdaDurableHistory", () => {
  afterEach(() => {
    lambdaMock.reset();
  });

  it("reads every page with the execution's data and keeps times, sizes, replays and invoke errors", async () => {
    // Prepare
    lambdaMock
      .on(GetDurableExecutionHistoryCommand, { Marker: undefined })
      .resolves({
        Events: [
          {
            EventType: "ExecutionStarted",
            Id: "x",
            EventTimestamp: at(0),
            ExecutionStartedDetails: { Input: { Payload: '{"a":1}' }, ExecutionTimeout: 900 },
          },
          {
            EventType: "InvocationCompleted",
            EventTimestamp: at(40),
            InvocationCompletedDetails: {
              StartTimestamp: at(5),
              EndTimestamp: at(40),
              RequestId: "r1",
            },
          },
        ],
        NextMarker: "3",
      })
      .on(GetDurableExecutionHistoryCommand, { Marker: "3" })
      .resolves({
        Events: [
          {
            EventType: "ChainedInvokeFailed",
            Id: "i1",
            Name: "invoke a",
            EventTimestamp: at(300),
            ChainedInvokeFailedDetails: {
              Error: { Payload: { ErrorType: "TaskFailedError", ErrorMessage: "boom" } },
            },
          },
        ],
      });
    const history = new LambdaDurableHistory(new LambdaClient({ region: "us-east-1" }));

    // Act
    const events = await history.read("fn:1/durable-execution/run/abc");

    // Assess
    expect(lambdaMock.commandCalls(GetDurableExecutionHistoryCommand)[0]?.args[0].input).toEqual({
      DurableExecutionArn: "fn:1/durable-execution/run/abc",
      IncludeExecutionData: true,
    });
    expect(events).toEqual([
      { type: "ExecutionStarted", id: "x", at: at(0).getTime(), payloadBytes: 7 },
      {
        type: "InvocationCompleted",
        at: at(40).getTime(),
        payloadBytes: 0,
        invocation: { startedAt: at(5).getTime(), endedAt: at(40).getTime() },
      },
      {
        type: "ChainedInvokeFailed",
        id: "i1",
        name: "invoke a",
        at: at(300).getTime(),
        payloadBytes: JSON.stringify({ ErrorType: "TaskFailedError", ErrorMessage: "boom" }).length,
        error: { type: "TaskFailedError", message: "boom" },
      },
    ]);
  });

  it("answers an execution's status with its error, and undefined for one the platform does not know", async () => {
    // Prepare
    lambdaMock
      .on(GetDurableExecutionCommand, { DurableExecutionArn: "arn:failed" })
      .resolves({
        DurableExecutionArn: "arn:failed",
        DurableExecutionName: "failed",
        FunctionArn: "arn:fn",
        StartTimestamp: at(0),
        Status: "FAILED",
        Error: { ErrorType: "Runtime.Unknown", ErrorMessage: "environment stopped" },
      })
      .on(GetDurableExecutionCommand, { DurableExecutionArn: "arn:gone" })
      .rejects(new ResourceNotFoundException({ message: "not found", $metadata: {} }));
    const history = new LambdaDurableHistory(new LambdaClient({}));

    // Act & Assess
    await expect(history.status("arn:failed")).resolves.toEqual({
      status: "FAILED",
      error: { type: "Runtime.Unknown", message: "environment stopped" },
    });
    await expect(history.status("arn:gone")).resolves.toBeUndefined();
  });
});
