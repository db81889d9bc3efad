import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  GetExecutionHistoryCommand,
  type HistoryEventType,
  SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import {
  billedTransitions,
  SfnStateMachineRunner,
} from "../../../adapters/SfnStateMachineRunner.js";
import { buildStateMachine } from "../../../lib/stepfunctions/buildStateMachine.js";
import { withTaskFailures } from "../../../lib/stepfunctions/withTaskFailures.js";
import { planRun } from "../../../lib/workflow/plan.js";

const sfnMock = mockClient(SFNClient);
const ROLE = "arn:aws:iam::123456789012:role/lab-dev-state-machines";
const definition = { StartAt: "a", States: { a: { Type: "Pass", End: true } } };

function runner(sleep?: (ms: number, signal: AbortSignal) => Promise<void>) {
  return new SfnStateMachineRunner(
    { namePrefix: "lab-dev-sm-", roleArn: ROLE, ...(sleep ? { sleep } : {}) },
    new SFNClient({ region: "us-east-1" }),
  );
}

/** Records the waits between polls, and waits not at all (rejecting, as a real wait does, once aborted). */
function recordedSleep() {
  const waits: number[] = [];
  const sleep = async (ms: number, signal: AbortSignal) => {
    signal.throwIfAborted();
    waits.push(ms);
  };
  return { waits, sleep };
}

const EXECUTION = "arn:aws:states:us-east-1:123456789012:execution:lab-dev-sm-std-x:e1";
const STANDARD = { type: "standard" } as const;

/** A history page of events of these types. */
const page = (types: HistoryEventType[], nextToken?: string) => ({
  events: types.map((type, index) => ({ id: index + 1, type, timestamp: new Date(0) })),
  ...(nextToken ? { nextToken } : {}),
});

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
    expect(second).toEqual({ type: "express", status: "SUCCEEDED", output: { ok: 1 } });
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
      type: "express",
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

  describe("Method: run, Standard", () => {
    it("creates a STANDARD machine named apart from the Express one of the same definition", async () => {
      // Prepare
      sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:1" });
      sfnMock.on(StartSyncExecutionCommand).resolves({ status: "SUCCEEDED", output: "{}" });
      sfnMock
        .on(StartExecutionCommand)
        .resolves({ executionArn: EXECUTION, startDate: new Date() });
      sfnMock.on(DescribeExecutionCommand).resolves({ status: "SUCCEEDED", output: "{}" });
      sfnMock.on(GetExecutionHistoryCommand).resolves(page([]));
      const machines = runner(recordedSleep().sleep);

      // Act
      await machines.run(definition, {}, new AbortController().signal);
      await machines.run(definition, {}, new AbortController().signal, STANDARD);
      await machines.run(definition, {}, new AbortController().signal, STANDARD);

      // Assess: one of each type, the Standard one under the same prefix, within 80 characters.
      const created = sfnMock
        .commandCalls(CreateStateMachineCommand)
        .map((call) => call.args[0].input);
      expect(created.map((input) => input.type)).toEqual(["EXPRESS", "STANDARD"]);
      const [express, standard] = created.map((input) => input.name ?? "");
      expect(standard).toMatch(/^lab-dev-sm-std-[0-9a-f]{32}$/);
      expect(standard).not.toBe(express);
      expect(standard?.length).toBeLessThanOrEqual(80);
      expect(sfnMock).toReceiveCommandTimes(StartExecutionCommand, 2);
      expect(sfnMock).toReceiveCommandTimes(StartSyncExecutionCommand, 1);
    });

    it("refuses a name prefix that would make a state machine's name longer than 80 characters", () => {
      expect(
        () =>
          new SfnStateMachineRunner(
            { namePrefix: `${"x".repeat(45)}-`, roleArn: ROLE },
            new SFNClient({ region: "us-east-1" }),
          ),
      ).toThrow(/82 characters, over Step Functions' 80/);
    });

    it("polls DescribeExecution from 250 ms, doubling to at most 2 s, until the execution is no longer RUNNING", async () => {
      // Prepare
      sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:std" });
      sfnMock
        .on(StartExecutionCommand)
        .resolves({ executionArn: EXECUTION, startDate: new Date() });
      const describe = sfnMock.on(DescribeExecutionCommand);
      for (let poll = 0; poll < 6; poll += 1) describe.resolvesOnce({ status: "RUNNING" });
      describe.resolves({ status: "SUCCEEDED", output: '{"results":{"t0":1}}' });
      sfnMock.on(GetExecutionHistoryCommand).resolves(page([]));
      const { waits, sleep } = recordedSleep();

      // Act
      const execution = await runner(sleep).run(
        definition,
        { runId: "r1" },
        new AbortController().signal,
        STANDARD,
      );

      // Assess
      expect(sfnMock).toReceiveCommandWith(StartExecutionCommand, {
        stateMachineArn: "arn:sm:std",
        input: JSON.stringify({ runId: "r1" }),
      });
      expect(waits).toEqual([250, 500, 1000, 2000, 2000, 2000, 2000]);
      expect(sfnMock).toReceiveCommandTimes(DescribeExecutionCommand, 7);
      expect(execution).toEqual({
        type: "standard",
        status: "SUCCEEDED",
        output: { results: { t0: 1 } },
        transitions: 0,
      });
    });

    it.each([
      [
        "FAILED",
        { error: "TaskFailed:t1", cause: "boom" },
        { status: "FAILED", error: "TaskFailed:t1", cause: "boom" },
      ],
      ["TIMED_OUT", { error: "States.Timeout" }, { status: "TIMED_OUT", error: "States.Timeout" }],
      ["ABORTED", {}, { status: "FAILED", error: "ExecutionAborted" }],
      [
        "ABORTED",
        { error: "Stopped", cause: "by hand" },
        { status: "FAILED", error: "Stopped", cause: "by hand" },
      ],
    ] as const)(
      "reports a Standard execution that ended %s as %o",
      async (status, details, expected) => {
        sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:std" });
        sfnMock
          .on(StartExecutionCommand)
          .resolves({ executionArn: EXECUTION, startDate: new Date() });
        sfnMock.on(DescribeExecutionCommand).resolves({ status, ...details });
        sfnMock.on(GetExecutionHistoryCommand).resolves(page([]));

        const execution = await runner(recordedSleep().sleep).run(
          definition,
          {},
          new AbortController().signal,
          STANDARD,
        );

        expect(execution).toEqual({ type: "standard", ...expected, transitions: 0 });
      },
    );

    it("counts the transitions on every page of the history: each state entered, and each retry", async () => {
      // Prepare: a Parallel of two Lambda tasks, one of them retried once after a throttle, then
      // a Pass; the history comes in two pages.
      sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:std" });
      sfnMock
        .on(StartExecutionCommand)
        .resolves({ executionArn: EXECUTION, startDate: new Date() });
      sfnMock.on(DescribeExecutionCommand).resolves({ status: "SUCCEEDED", output: "{}" });
      sfnMock
        .on(GetExecutionHistoryCommand)
        .resolvesOnce(
          page(
            [
              "ExecutionStarted",
              "ParallelStateEntered",
              "ParallelStateStarted",
              "TaskStateEntered",
              "LambdaFunctionScheduled",
              "LambdaFunctionStarted",
              "LambdaFunctionFailed",
              "LambdaFunctionScheduled",
            ],
            "page-2",
          ),
        )
        .resolvesOnce(
          page([
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "TaskStateEntered",
            "LambdaFunctionScheduled",
            "LambdaFunctionStarted",
            "LambdaFunctionSucceeded",
            "TaskStateExited",
            "ParallelStateSucceeded",
            "ParallelStateExited",
            "PassStateEntered",
            "PassStateExited",
            "ExecutionSucceeded",
          ]),
        );

      // Act
      const execution = await runner(recordedSleep().sleep).run(
        definition,
        {},
        new AbortController().signal,
        STANDARD,
      );

      // Assess: Parallel, two Tasks, Pass entered (4) and one retry (1).
      expect(execution.transitions).toBe(5);
      const calls = sfnMock
        .commandCalls(GetExecutionHistoryCommand)
        .map((call) => call.args[0].input);
      expect(calls).toEqual([
        { executionArn: EXECUTION, maxResults: 1000, includeExecutionData: false },
        {
          executionArn: EXECUTION,
          maxResults: 1000,
          includeExecutionData: false,
          nextToken: "page-2",
        },
      ]);
    });

    it("stops the execution and rethrows when the run gives up on it", async () => {
      // Prepare: the run's budget ends while the execution is still running.
      sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:std" });
      sfnMock
        .on(StartExecutionCommand)
        .resolves({ executionArn: EXECUTION, startDate: new Date() });
      const abort = new AbortController();
      sfnMock.on(DescribeExecutionCommand).callsFake(async () => {
        abort.abort(new Error("budget spent"));
        return { status: "RUNNING" };
      });
      sfnMock.on(StopExecutionCommand).resolves({ stopDate: new Date() });

      // Act
      const running = runner(recordedSleep().sleep).run(definition, {}, abort.signal, STANDARD);

      // Assess
      await expect(running).rejects.toThrow("budget spent");
      expect(sfnMock).toReceiveCommandWith(StopExecutionCommand, { executionArn: EXECUTION });
      expect(sfnMock).toReceiveCommandTimes(GetExecutionHistoryCommand, 0);
    });

    it("leaves an execution that ended alone", async () => {
      sfnMock.on(CreateStateMachineCommand).resolves({ stateMachineArn: "arn:sm:std" });
      sfnMock
        .on(StartExecutionCommand)
        .resolves({ executionArn: EXECUTION, startDate: new Date() });
      sfnMock.on(DescribeExecutionCommand).resolves({ status: "FAILED", error: "x" });
      sfnMock.on(GetExecutionHistoryCommand).resolves(page(["PassStateEntered"]));

      await runner(recordedSleep().sleep).run(
        definition,
        {},
        new AbortController().signal,
        STANDARD,
      );

      expect(sfnMock).toReceiveCommandTimes(StopExecutionCommand, 0);
    });
  });

  describe("Function: billedTransitions", () => {
    it("counts every state entered, not exits, starts or the execution's own events", () => {
      expect(
        billedTransitions([
          "ExecutionStarted",
          "PassStateEntered",
          "PassStateExited",
          "ChoiceStateEntered",
          "MapStateEntered",
          "WaitStateEntered",
          "SucceedStateEntered",
          "FailStateEntered",
          "ExecutionSucceeded",
        ]),
      ).toBe(6);
    });

    it("adds a transition for each attempt of a Task state beyond its first", () => {
      expect(
        billedTransitions([
          "TaskStateEntered",
          "TaskScheduled",
          "TaskScheduled",
          "TaskScheduled",
          "TaskStateEntered",
          "ActivityScheduled",
        ]),
      ).toBe(4);
    });
  });
});
