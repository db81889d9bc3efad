import { describe, expect, it, vi } from "vitest";
import { InvalidInputError, ReplyChannelGoneError } from "../../../../lib/errors.js";
import type { Completion, CompletionSender } from "../../../../lib/ports.js";
import { jsonDigest } from "../../../../lib/tasks/jsonDigest.js";
import { handleWorkMessage } from "../../../../lib/worker/handleWorkMessage.js";
import { FakeClock } from "../../../helpers/FakeClock.js";

class RecordingSender implements CompletionSender {
  readonly sent: Array<{ replyTo: string; completion: Completion }> = [];
  constructor(private readonly failure?: Error) {}

  async send(replyTo: string, completion: Completion): Promise<void> {
    if (this.failure) throw this.failure;
    this.sent.push({ replyTo, completion });
  }
}

const workMessage = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    runId: "run-1",
    taskId: "process",
    fn: "processData",
    durationMs: 100,
    kind: "io",
    inputs: { query: "data" },
    replyTo: "reply-url",
    sentAt: 0,
    ...overrides,
  });

function worker(sender: CompletionSender, clock = new FakeClock(500)) {
  const billing = () =>
    ({ memoryMb: 1024, architecture: "arm64", billedMs: clock.now() - 500, initMs: 120 }) as const;
  return { sender, clock, coldStart: true, billing };
}

describe("Function: handleWorkMessage", () => {
  it("runs the task and reports its result on the run's reply queue", async () => {
    const sender = new RecordingSender();
    const context = worker(sender);

    await context.clock.drive(handleWorkMessage(workMessage(), context));

    expect(sender.sent).toEqual([
      {
        replyTo: "reply-url",
        completion: {
          runId: "run-1",
          taskId: "process",
          ok: true,
          result: {
            output: { count: 1, bytes: 6, digests: { query: jsonDigest("data") } },
            startedAt: 500,
            endedAt: 600,
            coldStart: true,
            billing: { memoryMb: 1024, architecture: "arm64", billedMs: 100, initMs: 120 },
          },
          receivedAt: 500,
          completedAt: 600,
        },
      },
    ]);
  });

  it("reports a completion too large for SQS as a failure naming the limit, billed", async () => {
    const sender = new RecordingSender();
    const context = worker(sender);
    const message = workMessage({ fn: "queryData", inputs: {}, outputBytes: 1100 * 1024 });

    await context.clock.drive(handleWorkMessage(message, context));

    expect(sender.sent[0]?.completion).toMatchObject({
      ok: false,
      error: { type: "PayloadTooLargeError", message: expect.stringMatching(/SQS message size/) },
      billing: { billedMs: 100 },
    });
  });

  it("reports a failing task as a failed completion without throwing (no redelivery)", async () => {
    const sender = new RecordingSender();
    const context = worker(sender);

    await context.clock.drive(handleWorkMessage(workMessage({ fail: "disk full" }), context));

    expect(sender.sent[0]?.completion).toMatchObject({
      ok: false,
      error: { type: "Error", message: "disk full" },
    });
  });

  it("throws on malformed JSON and reports nothing", async () => {
    const sender = new RecordingSender();

    await expect(handleWorkMessage("{nope", worker(sender))).rejects.toBeInstanceOf(
      InvalidInputError,
    );
    expect(sender.sent).toEqual([]);
  });

  it("tells the run about an invalid message it can name, and still throws for the DLQ", async () => {
    const sender = new RecordingSender();

    await expect(
      handleWorkMessage(workMessage({ fn: "sendMail" }), worker(sender)),
    ).rejects.toMatchObject({
      field: "message.fn",
    });
    expect(sender.sent).toEqual([
      {
        replyTo: "reply-url",
        completion: expect.objectContaining({
          runId: "run-1",
          taskId: "process",
          ok: false,
          error: { type: "MalformedMessage", message: expect.stringContaining("message.fn") },
        }),
      },
    ]);
  });

  it("still throws the validation error when telling the run fails", async () => {
    const sender = new RecordingSender(new Error("queue deleted"));

    await expect(
      handleWorkMessage(workMessage({ kind: "gpu" }), worker(sender)),
    ).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("lets a failed completion send through, so SQS redelivers the message", async () => {
    const sender = new RecordingSender(new Error("throttled"));
    const context = worker(sender);

    await expect(context.clock.drive(handleWorkMessage(workMessage(), context))).rejects.toThrow(
      "throttled",
    );
  });

  it("consumes the message of a run that is over (its reply queue gone): no retry, no dead letter", async () => {
    const sender = new RecordingSender(new ReplyChannelGoneError("run-1"));
    const context = worker(sender);
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    await context.clock.drive(handleWorkMessage(workMessage(), context));

    expect(warn).toHaveBeenCalledWith(
      "run run-1 is over: its reply channel is gone: process's completion dropped",
    );
    warn.mockRestore();
  });

  it("drops a message still queued after its run gave up, without running the task", async () => {
    const sender = new RecordingSender();
    const context = worker(sender, new FakeClock(30_001));
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    await context.clock.drive(handleWorkMessage(workMessage({ expiresAt: 30_000 }), context));

    expect(sender.sent).toEqual([]);
    expect(warn).toHaveBeenCalledWith("run run-1 is over: process dropped, not run");
    warn.mockRestore();
  });
});

describe("Function: handleWorkMessage, a user's own function", () => {
  const configuration = {
    arn: "arn:aws:lambda:us-east-1:123456789012:function:fetch",
    memoryMb: 512,
    architecture: "arm64",
    timeoutS: 10,
  };
  const functionMessage = JSON.stringify({
    runId: "run-1",
    taskId: "get",
    function: "fetch",
    configuration,
    event: { part: 1, inputs: {} },
    replyTo: "reply-url",
    sentAt: 0,
  });
  const ownBilling = { memoryMb: 512, architecture: "arm64", billedMs: 41, initMs: 0 } as const;

  it("invokes it for the run: its billing is its own, the worker's waiting billed beside it", async () => {
    const sender = new RecordingSender();
    const invokeFunction = vi.fn().mockResolvedValue({
      output: { rows: 3 },
      startedAt: 510,
      endedAt: 551,
      coldStart: false,
      billing: ownBilling,
      measurement: { source: "REPORT line", measured: ["billedMs"], derived: [] },
    });
    const context = { ...worker(sender), functions: async () => ({ invokeFunction }) };

    await handleWorkMessage(functionMessage, context);

    expect(invokeFunction).toHaveBeenCalledWith(
      { taskId: "get", function: "fetch", configuration, event: { part: 1, inputs: {} } },
      expect.any(AbortSignal),
    );
    const [{ completion } = { completion: undefined }] = sender.sent;
    expect(completion).toMatchObject({
      ok: true,
      result: {
        output: { rows: 3 },
        billing: ownBilling,
        workerBilling: { memoryMb: 1024 },
        measurement: { source: "REPORT line" },
      },
    });
  });

  it("reports the function's own failure, billed as the function", async () => {
    const sender = new RecordingSender();
    const { TaskFailedError } = await import("../../../../lib/errors.js");
    const invokeFunction = vi
      .fn()
      .mockRejectedValue(
        new TaskFailedError("get", "TypeError", "bad row", { billing: ownBilling }),
      );
    const context = { ...worker(sender), functions: async () => ({ invokeFunction }) };

    await handleWorkMessage(functionMessage, context);

    expect(sender.sent[0]?.completion).toMatchObject({
      ok: false,
      error: { type: "TypeError", message: "bad row" },
      billing: ownBilling,
    });
  });
});
