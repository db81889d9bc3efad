import { LambdaClient } from "@aws-sdk/client-lambda";
import { createHttpHandler } from "./clients.js";

/** Region, credentials and endpoint come from the environment (AWS_ENDPOINT_URL_LAMBDA locally). */
export function createLambdaClient(): LambdaClient {
  return new LambdaClient({ requestHandler: createHttpHandler() });
}
