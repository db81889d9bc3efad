import { QueueDoesNotExist, SendMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { SqsCompletionSender } from "../../../adapters/SqsCompletionSender.js";
import { ReplyChannelGoneError } from "../../../lib/errors.js";
import type { Completion } from "../../../lib/ports.js";

const sqsMock = mockClient(SQSClient);
const completion: Completion = {
  runId: "run-1",
  taskId: "query",
  ok: false,
  error: { type: "Error", message: "boom" },
  receivedAt: 1,
  completedAt: 2,
};

describe("Class: SqsCompletionSender", () => {
  afterEach(() => sqsMock.reset());

  it("says the run is over when its reply queue is gone", async () => {
    sqsMock
      .on(SendMessageCommand)
      .rejects(new QueueDoesNotExist({ message: "gone", $metadata: {} }));

    const sending = new SqsCompletionSender(new SQSClient({ region: "us-east-1" })).send(
      "http://sqs/reply-run-1",
      completion,
    );

    await expect(sending).rejects.toBeInstanceOf(ReplyChannelGoneError);
  });

  it("lets any other failure through, for SQS to redeliver the work message", async () => {
    sqsMock.on(SendMessageCommand).rejects(new Error("Throttling"));

    const sending = new SqsCompletionSender(new SQSClient({ region: "us-east-1" })).send(
      "http://sqs/reply-run-1",
      completion,
    );

    await expect(sending).rejects.toThrow("Throttling");
  });
});
