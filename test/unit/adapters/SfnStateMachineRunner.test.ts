import {
  CreateStateMachineCommand,
  SFNClient,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SfnStateMachineRunner } from "../../../adapters/SfnStateMachineRunner.js";

const sfnMock = mockClient(SFNClient);
const ROLE = "arn:aws:iam::123456789012:role/lab-dev-state-machines";
const definition = { StartAt: "a", States: { a: { Type: "Pass", End: true } } };

function runner() {
  return new SfnStateMachineRunner(
    { namePrefix: "lab-dev-sm-", roleArn: ROLE },
    new SFNClient({ region: "us-east-1" }),
  );
}

describe("Class: SfnStateMachineRunner", () => {
  afterEach(() => {
    sfnMock.reset();
  });

  it("creates one Express machine per definition, named by its hash, and reuses it", async () => {
    // Prepare
    sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:1" });
    sfnMock.on(StartSyncExecutionCommand).resolves({ status: "SUCCEEDED", output: '{"ok":1}' });
    const machines = runner();

    // Act
    await machines.run(definition, { runId: "r1" }, new AbortController().signal);
    const second = await machines.run(definition, { runId: "r2" }, new AbortController().signal);

    // Assess
    expect(sfnMock).toReceiveCommandTimes(CreateStateMachineCommand, 1);
    expect(sfnMock).toReceiveCommandWith(CreateStateMachineCommand, {
      type: "EXPRESS",
      roleArn: ROLE,
      definition: JSON.stringify(definition),
      name: expect.stringMatching(/^lab-dev-sm-[0-9a-f]{32}$/),
    });
    expect(sfnMock).toReceiveCommandWith(StartSyncExecutionCommand, {
      stateMachineArn: "arn:sm:1",
      input: JSON.stringify({ runId: "r2" }),
    });
    expect(second).toEqual({ status: "SUCCEEDED", output: { ok: 1 } });
  });

  it("finds a machine another environment created from the same definition", async () => {
    sfnMock
      .on(CreateStateMachineCommand)
      .rejects(new StateMachineAlreadyExists({ message: "exists", $metadata: {} }));
    sfnMock.on(StartSyncExecutionCommand).resolves({ status: "SUCCEEDED", output: "{}" });

    await runner().run(definition, {}, new AbortController().signal);

    const [call] = sfnMock.commandCalls(StartSyncExecutionCommand);
    expect(call?.args[0].input.stateMachineArn).toMatch(
      /^arn:aws:states:us-east-1:123456789012:stateMachine:lab-dev-sm-[0-9a-f]{32}$/,
    );
  });

  it("reads a failed execution from its status (StartSyncExecution answers 200), with what it billed", async () => {
    sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:1" });
    sfnMock.on(StartSyncExecutionCommand).resolves({
      status: "FAILED",
      error: "TaskFailed:b",
      cause: '{"errorType":"Error","errorMessage":"boom"}',
      billingDetails: { billedDurationInMilliseconds: 300, billedMemoryUsedInMB: 64 },
    });

    const execution = await runner().run(definition, {}, new AbortController().signal);

    expect(execution).toEqual({
      status: "FAILED",
      error: "TaskFailed:b",
      cause: '{"errorType":"Error","errorMessage":"boom"}',
      billing: { billedDurationMs: 300, billedMemoryMb: 64 },
    });
  });

  it("does not cache a failed creation: the next run tries again", async () => {
    sfnMock
      .on(CreateStateMachineCommand)
      .rejectsOnce(new Error("throttled"))
      .resolves({ stateMachineArn: "arn:sm:1" });
    sfnMock.on(StartSyncExecutionCommand).resolves({ status: "SUCCEEDED", output: "{}" });
    const machines = runner();

    await expect(machines.run(definition, {}, new AbortController().signal)).rejects.toThrow(
      "throttled",
    );
    await machines.run(definition, {}, new AbortController().signal);

    expect(sfnMock).toReceiveCommandTimes(CreateStateMachineCommand, 2);
  });
});
