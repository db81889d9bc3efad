import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { handler } from "../../../functions/replyQueueSweeper.js";
import { InvalidInputError } from "../../../lib/errors.js";
import { aLambdaContext, T0 } from "../../helpers/factories.js";

const sqsMock = mockClient(SQSClient);
const PREFIX = "concurrency-lab-test-reply-";
const urlOf = (name: string) => `http://sqs.local/000000000000/${name}`;

/** EventBridge's scheduled event, as the rate rule delivers it. */
const scheduledEvent = {
  version: "0",
  id: "53dc4d37-cffa-4f76-80c9-8b7d4a4d2eaa",
  "detail-type": "Scheduled Event",
  source: "aws.events",
  account: "000000000000",
  time: "2023-11-14T22:13:20Z",
  region: "us-east-1",
  resources: ["arn:aws:events:us-east-1:000000000000:rule/concurrency-lab-test-sweep"],
  detail: {},
};

/** Reply queues created `ageSeconds` before T0. */
function replyQueuesAged(ages: Record<string, number>) {
  sqsMock.on(ListQueuesCommand).resolves({ QueueUrls: Object.keys(ages).map(urlOf) });
  sqsMock.on(GetQueueAttributesCommand).callsFake((input) => {
    const age = ages[String(input.QueueUrl).split("/").pop() ?? ""] ?? 0;
    return { Attributes: { CreatedTimestamp: String(T0 / 1000 - age) } };
  });
  sqsMock.on(DeleteQueueCommand).resolves({});
}

const deleted = () =>
  sqsMock.commandCalls(DeleteQueueCommand).map((call) => call.args[0].input.QueueUrl);

describe("Handler: replyQueueSweeper", () => {
  const saved = { ...process.env };

  beforeAll(() => {
    Object.assign(process.env, {
      TASK_FUNCTION_PREFIX: "concurrency-lab-test-",
      WORK_QUEUE_NAME: "concurrency-lab-test-work",
      REPLY_QUEUE_PREFIX: PREFIX,
      QUEUE_ORCHESTRATOR_TIMEOUT_SECONDS: "29",
      AWS_REGION: "us-east-1",
      AWS_ACCESS_KEY_ID: "test",
      AWS_SECRET_ACCESS_KEY: "test",
    });
  });

  beforeEach(() => {
    vi.useFakeTimers({ toFake: ["Date"], now: T0 });
    vi.spyOn(console, "info").mockImplementation(() => {});
    vi.spyOn(console, "warn").mockImplementation(() => {});
  });

  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
    sqsMock.reset();
  });

  afterAll(() => {
    process.env = saved;
  });

  it("on its schedule deletes reply queues older than the orchestrator's timeout plus the margin", async () => {
    // Prepare: 29 s timeout + 60 s margin = 89 s.
    replyQueuesAged({ [`${PREFIX}live`]: 29, [`${PREFIX}edge`]: 89, [`${PREFIX}orphan`]: 90 });

    // Act
    const summary = await handler(scheduledEvent, aLambdaContext());

    // Assess
    expect(sqsMock).toReceiveCommandWith(ListQueuesCommand, { QueueNamePrefix: PREFIX });
    expect(deleted()).toEqual([urlOf(`${PREFIX}orphan`)]);
    expect(summary).toEqual({ examined: 3, deleted: 1, kept: 2, failed: 0 });
  });

  it("takes the age from the event when it names one: olderThanSeconds 0 makes any queue stale", async () => {
    replyQueuesAged({ [`${PREFIX}new`]: 1 });

    const summary = await handler({ olderThanSeconds: 0 }, aLambdaContext());

    expect(deleted()).toEqual([urlOf(`${PREFIX}new`)]);
    expect(summary).toMatchObject({ deleted: 1 });
  });

  it("sweeps with the default age when invoked with no payload", async () => {
    replyQueuesAged({ [`${PREFIX}live`]: 5 });

    const summary = await handler(null, aLambdaContext());

    expect(summary).toEqual({ examined: 1, deleted: 0, kept: 1, failed: 0 });
  });

  it.each([-1, 1.5, "0"])(
    "rejects olderThanSeconds %j naming the field, and deletes nothing",
    async (olderThanSeconds) => {
      replyQueuesAged({ [`${PREFIX}new`]: 1_000 });

      const sweep = handler({ olderThanSeconds }, aLambdaContext());

      await expect(sweep).rejects.toBeInstanceOf(InvalidInputError);
      await expect(sweep).rejects.toMatchObject({ field: "event.olderThanSeconds" });
      expect(sqsMock).not.toReceiveCommand(DeleteQueueCommand);
    },
  );
});
