import { GetObjectCommand } from "@aws-sdk/client-s3";
import { dataBucket, s3Client } from "../lib/dataBucket.js";
import { InvalidEventError, SalesReportError } from "../lib/errors.js";
import { parseEvent } from "../lib/parseEvent.js";
import { type PartSummary, partList, summarizePartEvent } from "../lib/schemas.js";
import { selectInput } from "../lib/selectInput.js";
import { summarizeCsv } from "../lib/summarizeCsv.js";

/**
 * Summarises part number `part` of the list its dep (listParts) produced: reads that CSV object
 * and returns its totals by region and product.
 */
export async function handler(event: unknown): Promise<PartSummary> {
  const { part, from, inputs } = parseEvent(summarizePartEvent, event);
  const listing = selectInput(inputs, from);
  const { keys } = parseEvent(partList, listing.value, `inputs.${listing.id}`);
  const key = keys[part];
  if (key === undefined) {
    throw new InvalidEventError(
      "part",
      `is ${part}, but ${listing.id} listed ${keys.length} parts`,
    );
  }
  const object = await s3Client().send(new GetObjectCommand({ Bucket: dataBucket(), Key: key }));
  if (!object.Body) throw new SalesReportError(`${key} came back without a body`);
  return summarizeCsv(key, await object.Body.transformToString("utf8"));
}
