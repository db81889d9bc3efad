import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { sdkStreamMixin } from "@smithy/util-stream";
import { mockClient } from "aws-sdk-client-mock";
import { afterEach, describe, expect, it } from "vitest";
import { S3RunRecordStore } from "../../../adapters/S3RunRecordStore.js";
import { aRunRecord } from "../../helpers/runRecords.js";

const s3Mock = mockClient(S3Client);
const store = () => new S3RunRecordStore("lab-runs", new S3Client({ region: "us-east-1" }));

const record = aRunRecord({ runId: "run-1", status: "accepted" });

const body = (value: unknown) => sdkStreamMixin(Readable.from([JSON.stringify(value)]));

const preconditionFailed = () =>
  new S3ServiceException({
    name: "PreconditionFailed",
    $fault: "client",
    $metadata: { httpStatusCode: 412 },
  });

afterEach(() => {
  s3Mock.reset();
});

describe("Class: S3RunRecordStore", () => {
  it("creates runs/<id>.json only if no record has the id (If-None-Match: *)", async () => {
    s3Mock.on(PutObjectCommand).resolves({});

    const outcome = await store().create(record);

    expect(outcome).toEqual({ created: true });
    expect(s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input).toMatchObject({
      Bucket: "lab-runs",
      Key: "runs/run-1.json",
      IfNoneMatch: "*",
      Body: JSON.stringify(record),
    });
  });

  it("answers the stored record when the id is taken (412)", async () => {
    const stored = { ...record, status: "running" };
    s3Mock.on(PutObjectCommand).rejects(preconditionFailed());
    s3Mock.on(GetObjectCommand).resolves({ Body: body(stored) });

    const outcome = await store().create(record);

    expect(outcome).toEqual({ created: false, existing: stored });
  });

  it("reads undefined for an id no run has", async () => {
    s3Mock
      .on(GetObjectCommand)
      .rejects(new NoSuchKey({ message: "none", $metadata: { httpStatusCode: 404 } }));

    expect(await store().read("nobody")).toBeUndefined();
  });

  it("refuses a stored record that is not one, naming it", async () => {
    s3Mock.on(GetObjectCommand).resolves({ Body: body({ runId: "run-1" }) });

    await expect(store().read("run-1")).rejects.toThrow(/run record run-1/);
  });

  it("passes on any other failure of a create", async () => {
    s3Mock.on(PutObjectCommand).rejects(new Error("AccessDenied"));

    await expect(store().create(record)).rejects.toThrow("AccessDenied");
  });

  it("replaces the record unconditionally on write", async () => {
    s3Mock.on(PutObjectCommand).resolves({});

    await store().write({ ...record, status: "succeeded" });

    const input = s3Mock.commandCalls(PutObjectCommand)[0]?.args[0].input;
    expect(input?.IfNoneMatch).toBeUndefined();
    expect(JSON.parse(String(input?.Body)).status).toBe("succeeded");
  });

  it("marks a created run live, and unmarks it when its record ends", async () => {
    s3Mock.on(PutObjectCommand).resolves({});
    s3Mock.on(DeleteObjectCommand).resolves({});

    await store().create(record);
    await store().write({ ...record, status: "running" });
    await store().write({ ...record, status: "failed" });

    const puts = s3Mock.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key);
    expect(puts).toEqual(["runs/run-1.json", "live/run-1", "runs/run-1.json", "runs/run-1.json"]);
    const deletes = s3Mock.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key);
    expect(deletes).toEqual(["live/run-1"]);
  });

  it("lists the live runs' ids page by page", async () => {
    s3Mock
      .on(ListObjectsV2Command, { Prefix: "live/" })
      .resolvesOnce({
        Contents: [{ Key: "live/a" }, { Key: "live/b" }],
        IsTruncated: true,
        NextContinuationToken: "t",
      })
      .resolvesOnce({ Contents: [{ Key: "live/c" }], IsTruncated: false });

    const pages: string[][] = [];
    for await (const page of store().listLive()) pages.push(page);

    expect(pages).toEqual([["a", "b"], ["c"]]);
    expect(s3Mock.commandCalls(ListObjectsV2Command)[1]?.args[0].input.ContinuationToken).toBe("t");
  });
});
