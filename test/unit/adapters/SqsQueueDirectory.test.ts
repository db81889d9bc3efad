import {
  DeleteQueueCommand,
  GetQueueAttributesCommand,
  ListQueuesCommand,
  QueueDoesNotExist,
  SQSClient,
  SQSServiceException,
} from "@aws-sdk/client-sqs";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it, vi } from "vitest";
import { SqsQueueDirectory } from "../../../adapters/SqsQueueDirectory.js";
import { sweepReplyQueues } from "../../../lib/sweeper/sweepReplyQueues.js";
import { FakeClock } from "../../helpers/FakeClock.js";
import { T0 } from "../../helpers/factories.js";

const sqsMock = mockClient(SQSClient);
const PREFIX = "lab-test-reply-";
const MAX_AGE_MS = 89_000;
const urlOf = (name: string) => `http://sqs.local/000000000000/${name}`;
const OLD = T0 - MAX_AGE_MS - 1_000;
const YOUNG = T0 - 10_000;

const gone = () =>
  new QueueDoesNotExist({ message: "The specified queue does not exist.", $metadata: {} });
const accessDenied = () =>
  new SQSServiceException({
    name: "AccessDenied",
    $fault: "client",
    message: "not authorized",
    $metadata: {},
  });

/**
 * An SQS account in memory: ListQueues filters by QueueNamePrefix and pages by MaxResults with
 * NextToken, as SQS does; GetQueueAttributes reports CreatedTimestamp in epoch seconds.
 */
function anSqsAccount(queues: Record<string, number>) {
  const names = Object.keys(queues).sort();
  sqsMock.on(ListQueuesCommand).callsFake((input) => {
    const matching = names.filter((name) => name.startsWith(input.QueueNamePrefix ?? ""));
    if (input.MaxResults === undefined) return { QueueUrls: matching.slice(0, 1000).map(urlOf) };
    const start = Number(input.NextToken ?? 0);
    const end = start + input.MaxResults;
    return {
      QueueUrls: matching.slice(start, end).map(urlOf),
      ...(end < matching.length ? { NextToken: String(end) } : {}),
    };
  });
  sqsMock.on(GetQueueAttributesCommand).callsFake((input) => {
    const createdAt = queues[String(input.QueueUrl).split("/").pop() ?? ""];
    if (createdAt === undefined) throw gone();
    return { Attributes: { CreatedTimestamp: String(Math.floor(createdAt / 1000)) } };
  });
  sqsMock.on(DeleteQueueCommand).resolves({});
}

function sweep(log = { info: vi.fn(), warn: vi.fn() }) {
  return sweepReplyQueues({
    directory: new SqsQueueDirectory(new SQSClient({ region: "us-east-1" })),
    clock: new FakeClock(T0),
    policy: { prefix: PREFIX, maxAgeMs: MAX_AGE_MS },
    log,
  });
}

const deletedUrls = () =>
  sqsMock.commandCalls(DeleteQueueCommand).map((call) => call.args[0].input.QueueUrl);

describe("Class: SqsQueueDirectory (through sweepReplyQueues)", () => {
  afterEach(() => {
    sqsMock.reset();
  });

  it("follows NextToken to the last page and deletes the stale queues of every page", async () => {
    // Prepare: 2,500 old reply queues, three pages of ListQueues.
    const queues = Object.fromEntries(
      Array.from({ length: 2500 }, (_, index) => [
        `${PREFIX}${String(index).padStart(4, "0")}`,
        OLD,
      ]),
    );
    anSqsAccount(queues);

    // Act
    const summary = await sweep();

    // Assess
    expect(sqsMock).toReceiveCommandTimes(ListQueuesCommand, 3);
    expect(sqsMock).toReceiveNthCommandWith(ListQueuesCommand, 3, { NextToken: "2000" });
    expect(summary).toEqual({ examined: 2500, deleted: 2500, kept: 0, failed: 0 });
    expect(new Set(deletedUrls())).toEqual(new Set(Object.keys(queues).map(urlOf)));
  });

  it("asks SQS only for queues with the reply prefix and never reads or deletes another", async () => {
    anSqsAccount({
      [`${PREFIX}orphan`]: OLD,
      "lab-test-work": OLD,
      "lab-test-dlq": OLD,
      "someone-elses-reply-x": OLD,
    });

    const summary = await sweep();

    expect(sqsMock).toReceiveCommandWith(ListQueuesCommand, {
      QueueNamePrefix: PREFIX,
      MaxResults: 1000,
    });
    const read = sqsMock
      .commandCalls(GetQueueAttributesCommand)
      .map((call) => call.args[0].input.QueueUrl);
    expect(read).toEqual([urlOf(`${PREFIX}orphan`)]);
    expect(sqsMock).toReceiveCommandWith(GetQueueAttributesCommand, {
      AttributeNames: ["CreatedTimestamp"],
    });
    expect(deletedUrls()).toEqual([urlOf(`${PREFIX}orphan`)]);
    expect(summary).toEqual({ examined: 1, deleted: 1, kept: 0, failed: 0 });
  });

  it("keeps a reply queue younger than the max age: it may belong to a run in progress", async () => {
    anSqsAccount({ [`${PREFIX}live`]: YOUNG, [`${PREFIX}orphan`]: OLD });

    const summary = await sweep();

    expect(deletedUrls()).toEqual([urlOf(`${PREFIX}orphan`)]);
    expect(summary).toEqual({ examined: 2, deleted: 1, kept: 1, failed: 0 });
  });

  it("keeps a queue whose creation time SQS does not report", async () => {
    anSqsAccount({ [`${PREFIX}odd`]: OLD });
    sqsMock.on(GetQueueAttributesCommand).resolves({ Attributes: {} });

    const summary = await sweep();

    expect(sqsMock).not.toReceiveCommand(DeleteQueueCommand);
    expect(summary).toEqual({ examined: 1, deleted: 0, kept: 1, failed: 0 });
  });

  it("does not count a queue deleted meanwhile (QueueDoesNotExist) as a failure", async () => {
    // Prepare: one vanishes between the listing and its read, one between its read and delete.
    anSqsAccount({
      [`${PREFIX}ended-before-read`]: OLD,
      [`${PREFIX}ended-before-delete`]: OLD,
      [`${PREFIX}orphan`]: OLD,
    });
    sqsMock
      .on(GetQueueAttributesCommand, { QueueUrl: urlOf(`${PREFIX}ended-before-read`) })
      .rejects(gone());
    sqsMock
      .on(DeleteQueueCommand, { QueueUrl: urlOf(`${PREFIX}ended-before-delete`) })
      .rejects(gone());
    const log = { info: vi.fn(), warn: vi.fn() };

    // Act
    const summary = await sweep(log);

    // Assess
    expect(summary).toEqual({ examined: 2, deleted: 2, kept: 0, failed: 0 });
    expect(log.warn).not.toHaveBeenCalled();
    expect(log.info).toHaveBeenCalledWith(
      expect.stringMatching(/ended-before-delete.*already deleted/),
    );
  });

  it("counts any other error as failed, logs it, and sweeps the remaining queues", async () => {
    anSqsAccount({
      [`${PREFIX}a-unreadable`]: OLD,
      [`${PREFIX}b-undeletable`]: OLD,
      [`${PREFIX}c-orphan`]: OLD,
      [`${PREFIX}d-orphan`]: OLD,
    });
    sqsMock
      .on(GetQueueAttributesCommand, { QueueUrl: urlOf(`${PREFIX}a-unreadable`) })
      .rejects(accessDenied());
    sqsMock
      .on(DeleteQueueCommand, { QueueUrl: urlOf(`${PREFIX}b-undeletable`) })
      .rejects(accessDenied());
    const log = { info: vi.fn(), warn: vi.fn() };

    const summary = await sweep(log);

    expect(summary).toEqual({ examined: 4, deleted: 2, kept: 0, failed: 2 });
    expect(deletedUrls()).toEqual(
      expect.arrayContaining([urlOf(`${PREFIX}c-orphan`), urlOf(`${PREFIX}d-orphan`)]),
    );
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/a-unreadable.*AccessDenied/));
    expect(log.warn).toHaveBeenCalledWith(expect.stringMatching(/b-undeletable.*AccessDenied/));
    expect(log.info).toHaveBeenCalledWith(expect.stringMatching(/deleted .*c-orphan/));
  });

  it("fails the sweep when the queues cannot be listed at all", async () => {
    sqsMock.on(ListQueuesCommand).rejects(accessDenied());

    await expect(sweep()).rejects.toThrow("not authorized");
  });
});
