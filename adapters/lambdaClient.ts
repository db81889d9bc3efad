import { LambdaClient } from "@aws-sdk/client-lambda";
import { createHttpHandler } from "./clients.js";

/**
 * Region, credentials and endpoint come from the environment (AWS_ENDPOINT_URL_LAMBDA locally),
 * unless `endpoint` names one.
 */
export function createLambdaClient(endpoint?: string): LambdaClient {
  return new LambdaClient({
    requestHandler: createHttpHandler(),
    ...(endpoint ? { endpoint } : {}),
  });
}

/**
 * A client of Lambda's control plane itself, for the durable orchestrator: there the local stage
 * points AWS_ENDPOINT_URL_LAMBDA at AWS's local durable execution service, which serves
 * checkpoints and history but not GetFunctionConfiguration; LocalStack (AWS_ENDPOINT_URL) does.
 * On AWS neither is set and both are Lambda.
 */
export function createLambdaControlPlaneClient(): LambdaClient {
  const endpoint = process.env.AWS_ENDPOINT_URL;
  return new LambdaClient({
    requestHandler: createHttpHandler(),
    ...(endpoint ? { endpoint } : {}),
  });
}
