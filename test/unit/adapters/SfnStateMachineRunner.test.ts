import {
  CreateStateMachineCommand,
  SFNClient,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SfnStateMachineRunner } from "../../../adapters/SfnStateMachineRunner.js";
import { buildStateMachine } from "../../../lib/stepfunctions/buildStateMachine.js";
import { withTaskFailures } from "../../../lib/stepfunctions/withTaskFailures.js";
import { planRun } from "../../../lib/workflow/plan.js";

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

  it("creates one state machine for a burst of 100 runs of one shape, each with its own task ids", async () => {
    // Prepare: the load benchmark's runs, every one with its own ids and outputBytes.
    sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:1" });
    sfnMock.on(StartSyncExecutionCommand).resolves({ status: "SUCCEEDED", output: "{}" });
    const machines = runner();
    const generated = Array.from({ length: 100 }, (_, index) =>
      buildStateMachine(
        planRun({
          runId: `run-${index}`,
          strategy: "stepfunctions",
          workflow: {
            tasks: [
              { id: `q${index}`, fn: "queryData", deps: [], outputBytes: 256 + index * 64 },
              { id: `p${index}`, fn: "processData", deps: [`q${index}`] },
            ],
          },
          scale: 1,
        }),
        { functionArnOf: (fn) => `arn:aws:lambda:us-east-1:123456789012:function:lab-${fn}` },
      ),
    );

    // Act
    await Promise.all(
      generated.map((machine) =>
        machines.run(
          withTaskFailures(machine.definition),
          machine.input,
          new AbortController().signal,
        ),
      ),
    );

    // Assess
    expect(sfnMock).toReceiveCommandTimes(CreateStateMachineCommand, 1);
    expect(sfnMock).toReceiveCommandTimes(StartSyncExecutionCommand, 100);
    expect(sfnMock).toReceiveCommandWith(StartSyncExecutionCommand, {
      stateMachineArn: "arn:sm:1",
      input: JSON.stringify(generated[42]?.input),
    });
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
