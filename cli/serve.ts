import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { InvalidInputError } from "../lib/errors.js";
import { describeLatencyProfile } from "../lib/latency/profiles.js";
import { STRATEGIES } from "../lib/strategies/registry.js";
import { QUIET_SDK_ENV } from "../local/settings.js";
import { startLocalEnvironment } from "../local/startLocalEnvironment.js";
import {
  LOCAL_STACK_FLAGS,
  LOCAL_STACK_USAGE,
  parseLocalStackOptions,
} from "./localStackOptions.js";

Object.assign(process.env, QUIET_SDK_ENV);

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
  const environment = await startLocalEnvironment(projectRoot, parseLocalStackOptions(values));
  console.log(`local stack ready: POST ${environment.apiUrl}/runs/{${STRATEGIES.join(",")}}`);
  console.log(describeLatencyProfile(environment.latencyProfile));
  console.log("Ctrl-C stops it");
  const shutdown = () => {
    void environment.stop().finally(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
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
