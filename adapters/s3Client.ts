import { S3Client } from "@aws-sdk/client-s3";
import { createHttpHandler } from "./clients.js";

/**
 * Region, credentials and endpoint come from the environment. Against the local stack (an
 * endpoint URL is set) buckets are addressed by path: `<bucket>.127.0.0.1` is no host name.
 */
export function createS3Client(): S3Client {
  const local = Boolean(process.env.AWS_ENDPOINT_URL_S3 ?? process.env.AWS_ENDPOINT_URL);
  return new S3Client({ requestHandler: createHttpHandler(), forcePathStyle: local });
}
