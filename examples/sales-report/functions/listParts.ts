import { paginateListObjectsV2 } from "@aws-sdk/client-s3";
import { dataBucket, s3Client } from "../lib/dataBucket.js";
import { parseEvent } from "../lib/parseEvent.js";
import { listPartsEvent, type PartList } from "../lib/schemas.js";

/**
 * Lists the data parts: every object under `prefix` (default "data/"), keys sorted so that part
 * numbers in the workflow name the same files on every run.
 */
export async function handler(event: unknown): Promise<PartList> {
  const { prefix } = parseEvent(listPartsEvent, event ?? {});
  const bucket = dataBucket();
  const keys: string[] = [];
  let totalBytes = 0;
  for await (const page of paginateListObjectsV2(
    { client: s3Client() },
    { Bucket: bucket, Prefix: prefix },
  )) {
    for (const object of page.Contents ?? []) {
      if (!object.Key) continue;
      keys.push(object.Key);
      totalBytes += object.Size ?? 0;
    }
  }
  keys.sort();
  return { bucket, keys, totalBytes };
}
