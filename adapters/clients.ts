import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { LambdaClient } from "@aws-sdk/client-lambda";
import { SFNClient } from "@aws-sdk/client-sfn";
import { SQSClient } from "@aws-sdk/client-sqs";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** The SDK's default agent keeps 50 sockets: a 200-task fan-out would queue behind them. */
export const MAX_SOCKETS = 512;

/** One HTTP handler setup for every SDK client here: keep-alive and enough sockets. */
export function createHttpHandler(): NodeHttpHandler {
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new NodeHttpHandler({
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
  });
}

/** Region, credentials and endpoint come from the environment (AWS_ENDPOINT_URL_LAMBDA locally). */
export function createLambdaClient(): LambdaClient {
  return new LambdaClient({ requestHandler: createHttpHandler() });
}

/** Region, credentials and endpoint come from the environment (AWS_ENDPOINT_URL_SQS locally). */
export function createSqsClient(): SQSClient {
  return new SQSClient({ requestHandler: createHttpHandler() });
}

/**
 * Region, credentials and endpoint come from the environment. StartSyncExecution goes to a
 * `sync-` host prefix on AWS; an endpoint set in the environment (LocalStack) has no such host.
 */
export function createSfnClient(): SFNClient {
  const localEndpoint = Boolean(process.env.AWS_ENDPOINT_URL ?? process.env.AWS_ENDPOINT_URL_SFN);
  return new SFNClient({ requestHandler: createHttpHandler(), disableHostPrefix: localEndpoint });
}
