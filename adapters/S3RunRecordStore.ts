import {
  DeleteObjectCommand,
  GetObjectCommand,
  ListObjectsV2Command,
  NoSuchKey,
  PutObjectCommand,
  type S3Client,
  S3ServiceException,
} from "@aws-sdk/client-s3";
import { parseOrThrow } from "../lib/fieldPath.js";
import type { RunRecordStore } from "../lib/ports.js";
import { isEnded, type RunRecord, runRecordSchema } from "../lib/runs/record.js";
import { createS3Client } from "./s3Client.js";

/**
 * Run records as JSON objects, `runs/<runId>.json`, in the service's bucket. S3 rather than
 * DynamoDB: a record holds the run's whole report, which for a 1,000-task run is over DynamoDB's
 * 400 KB item limit and far under S3's 5 TB; a conditional PutObject (If-None-Match: *) makes
 * creation race-safe as a DynamoDB condition expression would; a lifecycle rule in the template
 * sets retention; and the local stack serves S3 in host mode (DynamoDB there needs a Java
 * DynamoDB Local this machine cannot download).
 *
 * A run not yet ended also has an empty `live/<runId>` marker, removed when its record ends: the
 * sweeper lists those, never the whole history of runs the bucket keeps.
 */
export class S3RunRecordStore implements RunRecordStore {
  constructor(
    private readonly bucket: string,
    private readonly client: S3Client = createS3Client(),
  ) {}

  async create(
    record: RunRecord,
  ): Promise<{ created: true } | { created: false; existing: RunRecord }> {
    try {
      await this.put(record, { IfNoneMatch: "*" });
      await this.client.send(
        new PutObjectCommand({ Bucket: this.bucket, Key: liveKeyOf(record.runId), Body: "" }),
      );
      return { created: true };
    } catch (error) {
      // 412: a record with this id exists; 409: another create of it is under way (S3 answers
      // ConditionalRequestConflict to the losers of a race), which has written it by now or will.
      if (!(error instanceof S3ServiceException) || ![409, 412].includes(status(error)))
        throw error;
      const existing = await this.readWhenWritten(record.runId);
      return { created: false, existing };
    }
  }

  async read(runId: string): Promise<RunRecord | undefined> {
    try {
      const object = await this.client.send(
        new GetObjectCommand({ Bucket: this.bucket, Key: keyOf(runId) }),
      );
      const text = (await object.Body?.transformToString()) ?? "";
      return parseOrThrow(runRecordSchema, JSON.parse(text), `run record ${runId}`);
    } catch (error) {
      if (error instanceof NoSuchKey) return undefined;
      throw error;
    }
  }

  async write(record: RunRecord): Promise<void> {
    await this.put(record, {});
    if (isEnded(record)) {
      await this.client.send(
        new DeleteObjectCommand({ Bucket: this.bucket, Key: liveKeyOf(record.runId) }),
      );
    }
  }

  async *listLive(): AsyncIterable<string[]> {
    let token: string | undefined;
    do {
      const page = await this.client.send(
        new ListObjectsV2Command({
          Bucket: this.bucket,
          Prefix: LIVE_PREFIX,
          ...(token ? { ContinuationToken: token } : {}),
        }),
      );
      yield (page.Contents ?? []).flatMap((object) =>
        object.Key ? [object.Key.slice(LIVE_PREFIX.length)] : [],
      );
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token);
  }

  private async put(record: RunRecord, condition: { IfNoneMatch?: string }): Promise<void> {
    await this.client.send(
      new PutObjectCommand({
        Bucket: this.bucket,
        Key: keyOf(record.runId),
        Body: JSON.stringify(record),
        ContentType: "application/json",
        ...condition,
      }),
    );
  }

  /** A racing creator's record may not be readable for a moment after its conflict. */
  private async readWhenWritten(runId: string): Promise<RunRecord> {
    for (let attempt = 0; attempt < 10; attempt += 1) {
      const found = await this.read(runId);
      if (found) return found;
      await new Promise((resolve) => setTimeout(resolve, 50 * (attempt + 1)));
    }
    throw new Error(`run ${runId}: its record was being created but never appeared`);
  }
}

const keyOf = (runId: string) => `runs/${runId}.json`;
const LIVE_PREFIX = "live/";
const liveKeyOf = (runId: string) => `${LIVE_PREFIX}${runId}`;
const status = (error: S3ServiceException) => error.$metadata?.httpStatusCode ?? 0;
