import type { Message } from "@aws-sdk/client-sqs";
import type { SQSRecord } from "aws-lambda";
import { z } from "zod";

/** A function's partial batch response (ReportBatchItemFailures), or no answer at all. */
const batchResponseSchema = z
  .object({
    batchItemFailures: z.array(z.object({ itemIdentifier: z.string().min(1) })).optional(),
  })
  .nullable();

/** An SQS message as the event source mapping hands it to a function: one record of its event. */
export function toRecord(message: Message, queueArn: string, region: string): SQSRecord {
  const messageAttributes = Object.fromEntries(
    Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
      name,
      {
        dataType: value.DataType ?? "String",
        ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
        ...(value.BinaryValue === undefined
          ? {}
          : { binaryValue: Buffer.from(value.BinaryValue).toString("base64") }),
        stringListValues: value.StringListValues ?? [],
        binaryListValues: [],
      },
    ]),
  );
  return {
    messageId: message.MessageId ?? "",
    receiptHandle: message.ReceiptHandle ?? "",
    body: message.Body ?? "",
    attributes: (message.Attributes ?? {}) as unknown as SQSRecord["attributes"],
    messageAttributes,
    md5OfBody: message.MD5OfBody ?? "",
    eventSource: "aws:sqs",
    eventSourceARN: queueArn,
    awsRegion: region,
  };
}

/**
 * The records to delete after a successful invocation, by AWS's partial-batch rules: all of
 * them, or (with ReportBatchItemFailures) all but those the answer lists; an answer naming an
 * unknown or empty itemIdentifier fails the whole batch.
 */
export function recordsToDelete(
  batch: Message[],
  payload: string,
  reportBatchItemFailures: boolean,
): Message[] {
  if (!reportBatchItemFailures) return batch;
  const parsed = batchResponseSchema.safeParse(payload === "" ? null : JSON.parse(payload));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(`invalid batch response: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  const batchIds = new Set(batch.map((message) => message.MessageId));
  const failedIds = new Set<string>();
  for (const { itemIdentifier } of parsed.data?.batchItemFailures ?? []) {
    if (!batchIds.has(itemIdentifier)) {
      throw new Error(`invalid batchItemFailures entry: no record ${itemIdentifier} in the batch`);
    }
    failedIds.add(itemIdentifier);
  }
  return batch.filter((message) => !failedIds.has(message.MessageId ?? ""));
}
