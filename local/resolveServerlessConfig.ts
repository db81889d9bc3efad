import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { LOCAL_STAGE, SERVERLESS_CLI_ENV } from "./settings.js";

const run = promisify(execFile);

/** The subset of the resolved serverless.yml the local stack reads. */
export interface ResolvedServerlessConfig {
  service: string | { name: string };
  provider: { stage: string; region?: string; environment?: Record<string, unknown> };
  functions: Record<string, { name?: string; events?: Array<Record<string, unknown>> }>;
  resources?: {
    Resources?: Record<string, { Type: string; Properties?: Record<string, unknown> }>;
  };
}

/**
 * Asks the Serverless CLI for serverless.yml with every variable resolved, so the local stack reads
 * the one declaration of queues and event sources instead of a second hand-kept list.
 */
export async function resolveServerlessConfig(
  projectRoot: string,
  stage = LOCAL_STAGE,
): Promise<ResolvedServerlessConfig> {
  const { stdout } = await run(
    process.execPath,
    [
      join(projectRoot, "node_modules/serverless/bin/serverless.js"),
      "print",
      "--stage",
      stage,
      "--format",
      "json",
    ],
    {
      cwd: projectRoot,
      env: { ...process.env, ...SERVERLESS_CLI_ENV },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  return JSON.parse(stdout.slice(stdout.indexOf("{"))) as ResolvedServerlessConfig;
}
