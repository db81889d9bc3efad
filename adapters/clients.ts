import { Agent as HttpAgent } from "node:http";
import { Agent as HttpsAgent } from "node:https";
import { NodeHttpHandler } from "@smithy/node-http-handler";

/** The SDK's default agent keeps 50 sockets: a 200-task fan-out would queue behind them. */
export const MAX_SOCKETS = 512;

/**
 * One HTTP handler setup for every SDK client of the project: keep-alive and enough sockets. Each
 * client is built in a module of its own (lambdaClient.ts, sqsClient.ts, sfnClient.ts), so that a
 * function bundle evaluates only the SDK clients its adapters use.
 */
export function createHttpHandler(): NodeHttpHandler {
  const agentOptions = { keepAlive: true, maxSockets: MAX_SOCKETS };
  return new NodeHttpHandler({
    httpAgent: new HttpAgent(agentOptions),
    httpsAgent: new HttpsAgent(agentOptions),
  });
}
