import { PutObjectCommand } from "@aws-sdk/client-s3";
import { dataBucket, s3Client } from "../lib/dataBucket.js";
import { digestOfJson } from "../lib/jsonDigest.js";
import { parseEvent } from "../lib/parseEvent.js";
import { mergedReport, type StoredReport, storeReportEvent } from "../lib/schemas.js";
import { selectInput } from "../lib/selectInput.js";

/**
 * Writes its dep's merged report to `key` (default "reports/latest.json") as JSON. It writes the
 * report as received, not zod's parsed copy, so the digest it returns equals the one the
 * orchestrator reports for the merge's output.
 */
export async function handler(event: unknown): Promise<StoredReport> {
  const { key, from, inputs } = parseEvent(storeReportEvent, event);
  const report = selectInput(inputs, from);
  parseEvent(mergedReport, report.value, `inputs.${report.id}`);
  const json = JSON.stringify(report.value);
  const bucket = dataBucket();
  await s3Client().send(
    new PutObjectCommand({ Bucket: bucket, Key: key, Body: json, ContentType: "application/json" }),
  );
  return { bucket, key, bytes: Buffer.byteLength(json), digest: digestOfJson(json) };
}
