import { S3Client } from "@aws-sdk/client-s3";
import { MissingSettingError } from "./errors.js";

/** The data bucket's name, from DATA_BUCKET (the template sets it to the stack's bucket). */
export function dataBucket(): string {
  const bucket = process.env.DATA_BUCKET;
  if (!bucket) throw new MissingSettingError("DATA_BUCKET");
  return bucket;
}

let client: S3Client | undefined;

/**
 * One S3 client per execution environment, made on first use and kept for warm invocations.
 * Region, credentials and (locally) the endpoint come from the Lambda environment.
 */
export function s3Client(): S3Client {
  client ??= new S3Client({});
  return client;
}
