import { execFile } from "node:child_process";
import { join } from "node:path";
import { promisify } from "node:util";
import { z } from "zod";
import { parseOrThrow } from "../lib/fieldPath.js";
import { LOCAL_STAGE, SERVERLESS_CLI_ENV } from "./settings.js";

const run = promisify(execFile);

/** The subset of the resolved serverless.yml the local stack reads (the rest passes through). */
const resolvedServerlessConfigSchema = z.looseObject({
  service: z.union([z.string(), z.looseObject({ name: z.string() })]),
  provider: z.looseObject({
    stage: z.string(),
    region: z.string().optional(),
    environment: z.record(z.string(), z.unknown()).optional(),
  }),
  functions: z.record(
    z.string(),
    z.looseObject({
      name: z.string().optional(),
      events: z.array(z.record(z.string(), z.unknown())).optional(),
    }),
  ),
  resources: z
    .looseObject({
      Resources: z
        .record(
          z.string(),
          z.looseObject({
            Type: z.string(),
            Properties: z.record(z.string(), z.unknown()).optional(),
          }),
        )
        .optional(),
    })
    .optional(),
});

export type ResolvedServerlessConfig = z.infer<typeof resolvedServerlessConfigSchema>;

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
  return parseOrThrow(
    resolvedServerlessConfigSchema,
    JSON.parse(stdout.slice(stdout.indexOf("{"))),
    "serverless print",
  );
}
