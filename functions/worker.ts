import { BatchProcessor, EventType, processPartialResponse } from "@aws-lambda-powertools/batch";
import middy from "@middy/core";
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from "aws-lambda";
import type { LambdaTaskInvoker } from "../adapters/LambdaTaskInvoker.js";
import { SqsCompletionSender } from "../adapters/SqsCompletionSender.js";
import { SqsRedelivery } from "../adapters/SqsRedelivery.js";
import { RedeliveryRequestedError } from "../lib/errors.js";
import { systemClock } from "../lib/systemClock.js";
import { handleWorkMessage } from "../lib/worker/handleWorkMessage.js";
import { startInvocation } from "./lambdaInvocation.js";

const processor = new BatchProcessor(EventType.SQS);
let sender: SqsCompletionSender | undefined;
let functions: LambdaTaskInvoker | undefined;
let redelivery: SqsRedelivery | undefined;

/** A record that failed with attempts left (or malformed) comes back after this, not the timeout. */
const MALFORMED_REDELIVERY_S = 1;

/** Only a work message naming an own function needs a Lambda client: loaded at that first use. */
async function functionInvoker(): Promise<LambdaTaskInvoker> {
  const { LambdaTaskInvoker } = await import("../adapters/LambdaTaskInvoker.js");
  functions ??= new LambdaTaskInvoker(() => {
    throw new Error("the worker runs built-in tasks itself");
  });
  return functions;
}

/**
 * The queue strategy's consumer (SQS event, ReportBatchItemFailures): each record is one task;
 * only the records that failed are reported back, so one bad record does not fail the batch.
 */
export const handler = middy(
  async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> => {
    const invocation = startInvocation(context);
    sender ??= new SqsCompletionSender();
    const workerContext = {
      sender,
      functions: functionInvoker,
      clock: systemClock,
      coldStart: invocation.coldStart,
      billing: invocation.billing,
    };
    redelivery ??= new SqsRedelivery();
    const again = redelivery;
    const handleRecord = async (record: SQSRecord) => {
      const receiveCount = Number(record.attributes?.ApproximateReceiveCount ?? 1);
      try {
        await handleWorkMessage(record.body, { ...workerContext, receiveCount });
      } catch (error) {
        const seconds =
          error instanceof RedeliveryRequestedError ? error.delaySeconds : MALFORMED_REDELIVERY_S;
        // Best effort: if it fails, the queue's visibility timeout brings the record back anyway.
        await again
          .deliverAgainIn(record.eventSourceARN, record.receiptHandle, seconds)
          .catch((visibilityError: unknown) =>
            console.warn("could not shorten a failed record's visibility", visibilityError),
          );
        throw error;
      }
    };
    // A batch whose records all failed is still a partial response: every record listed, no throw.
    return processPartialResponse(event, handleRecord, processor, {
      context,
      throwOnFullBatchFailure: false,
    });
  },
);
