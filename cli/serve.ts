import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { API_KEY_ENV } from "../adapters/runsApiClient.js";
import { InvalidInputError } from "../lib/errors.js";
import { describeLatencyProfile } from "../lib/latency/profiles.js";
import { STRATEGIES } from "../lib/strategies/names.js";
import {
  type LocalEnvironment,
  startLocalEnvironment,
} from "../localEnvironment/startLocalEnvironment.js";
import {
  LOCAL_STACK_FLAGS,
  LOCAL_STACK_USAGE,
  parseLocalStackOptions,
} from "./localStackOptions.js";
import { stopOnSignals } from "./stopOnSignals.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Keeps the local stack up for curl and the compare CLI's --url, until Ctrl-C. */
try {
  const { values } = parseArgs({
    options: { ...LOCAL_STACK_FLAGS, help: { type: "boolean", default: false } },
  });
  if (values.help) {
    console.log(
      `usage: serve [--profile local|aws] [--latency-seed N] [--queue-scaling aws|N]\n\n${LOCAL_STACK_USAGE}`,
    );
    process.exit(0);
  }
  const options = parseLocalStackOptions(values);
  let environment: LocalEnvironment | undefined;
  // Before the start: a Ctrl-C while LocalStack starts or the service deploys stops them too.
  stopOnSignals({ projectRoot, stop: () => environment?.stop(), exitCode: 0 });
  environment = await startLocalEnvironment(projectRoot, options);
  console.log(`local stack ready: POST ${environment.apiUrl}/runs/{${STRATEGIES.join(",")}}`);
  // The routes are private, as on AWS: curl sends the key the deploy created; the compare CLI
  // and the benchmarks find it themselves for a --url of this stack.
  const { apiUrl, apiKey = "" } = environment;
  console.log(`API key (x-api-key): ${apiKey || "none"}`);
  console.log(`  export API=${apiUrl} ${API_KEY_ENV}=${apiKey}`);
  console.log(
    `  curl -H "x-api-key: $${API_KEY_ENV}" -H 'content-type: application/json' -d '{"scale":0.1}' $API/runs/fanout`,
  );
  console.log(describeLatencyProfile(environment.latencyProfile));
  console.log("Ctrl-C stops it");
} catch (error) {
  const message =
    error instanceof InvalidInputError
      ? `${error.field}: ${error.problem}`
      : error instanceof Error
        ? error.message.split("\n")[0]
        : String(error);
  console.error(`serve: ${message}`);
  process.exitCode = 1;
}
