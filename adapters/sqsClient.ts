import { SQSClient } from "@aws-sdk/client-sqs";
import { createHttpHandler } from "./clients.js";

/** Region, credentials and endpoint come from the environment (AWS_ENDPOINT_URL_SQS locally). */
export function createSqsClient(): SQSClient {
  return new SQSClient({ requestHandler: createHttpHandler() });
}
