import { SFNClient } from "@aws-sdk/client-sfn";
import { createHttpHandler } from "./clients.js";

/**
 * Region, credentials and endpoint come from the environment. StartSyncExecution goes to a
 * `sync-` host prefix on AWS; an endpoint set in the environment (LocalStack) has no such host.
 */
export function createSfnClient(): SFNClient {
  const localEndpoint = Boolean(process.env.AWS_ENDPOINT_URL ?? process.env.AWS_ENDPOINT_URL_SFN);
  return new SFNClient({ requestHandler: createHttpHandler(), disableHostPrefix: localEndpoint });
}
