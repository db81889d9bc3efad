import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { QUIET_SDK_ENV } from "../local/settings.js";
import { startLocalEnvironment } from "../local/startLocalEnvironment.js";

Object.assign(process.env, QUIET_SDK_ENV);

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Keeps the local stack up for curl and the compare CLI's --url, until Ctrl-C. */
try {
  const environment = await startLocalEnvironment(projectRoot);
  console.log(
    `local stack ready: POST ${environment.apiUrl}/runs/{sequential,fanout,queue,inline}`,
  );
  console.log("Ctrl-C stops it");
  const shutdown = () => {
    void environment.stop().finally(() => process.exit(0));
  };
  process.once("SIGINT", shutdown);
  process.once("SIGTERM", shutdown);
} catch (error) {
  console.error(`serve: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`);
  process.exitCode = 1;
}
