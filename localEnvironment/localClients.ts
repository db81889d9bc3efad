import { createHttpHandler } from "../adapters/clients.js";
import { LOCAL_CREDENTIALS, LOCAL_REGION, LOCALSTACK_ENDPOINT } from "./settings.js";

/**
 * What every SDK client of the local stack is built with (ours, the tests', the benchmarks'):
 * LocalStack's endpoint, its region and credentials, and the project's HTTP handler.
 *
 * @example
 * const sqs = new SQSClient(localClientOptions());
 */
export function localClientOptions() {
  return {
    region: LOCAL_REGION,
    endpoint: LOCALSTACK_ENDPOINT,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: createHttpHandler(),
  };
}
