import { spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { CloudFormationClient, DescribeStackResourceCommand } from "@aws-sdk/client-cloudformation";
import { readLocalApiKey } from "./localApiKey.js";
import { localClientOptions } from "./localClients.js";
import {
  LOCAL_AWS_ENV,
  LOCAL_STACK_NAME,
  LOCAL_STAGE,
  LOCALSTACK_ENDPOINT,
  SERVERLESS_CLI_ENV,
} from "./settings.js";

/** A first deploy bundles and creates ~20 resources: about 25 s here; a redeploy is quicker. */
const DEPLOY_TIMEOUT_MS = 300_000;

export interface DeployedService {
  /** Base URL of the REST API through LocalStack's gateway, e.g. http://127.0.0.1:4566/restapis/ab12/local/_user_request_ */
  apiUrl: string;
  /** What to send in `x-api-key`: the routes are private on the local stage too. */
  apiKey?: string;
  logFile: string;
}

/**
 * Runs the project's Serverless CLI with `args` in `serviceDir` (default: the project root; an
 * example service's directory for localEnvironment/deployExample.ts), its output to `logFile`; rejects with
 * the output's last lines when it fails or runs past DEPLOY_TIMEOUT_MS.
 */
export function runServerless(
  projectRoot: string,
  args: string[],
  logFile: string,
  serviceDir = projectRoot,
): Promise<void> {
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [join(projectRoot, "node_modules/serverless/bin/serverless.js"), ...args],
    {
      cwd: serviceDir,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...SERVERLESS_CLI_ENV, ...LOCAL_AWS_ENV },
    },
  );
  child.stdout.pipe(log);
  child.stderr.pipe(log);
  let tail = "";
  const keepTail = (chunk: Buffer) => {
    tail = (tail + chunk.toString()).slice(-2000);
  };
  child.stdout.on("data", keepTail);
  child.stderr.on("data", keepTail);
  // A command that exits while it deploys (Ctrl-C, SIGTERM) takes the deploy with it.
  const killChild = () => child.kill("SIGKILL");
  process.once("exit", killChild);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => child.kill("SIGKILL"), DEPLOY_TIMEOUT_MS);
    child.once("error", reject);
    child.once("exit", (code, signal) => {
      clearTimeout(timer);
      process.removeListener("exit", killChild);
      log.end();
      if (code === 0) return resolve();
      const lastLines = tail.trim().split("\n").slice(-8).join("\n");
      reject(
        new Error(
          `serverless ${args.join(" ")} failed (${signal ?? `exit ${code}`}; log: ${logFile}):\n${lastLines}`,
        ),
      );
    });
  });
}

/**
 * Deploys the real template into LocalStack (`serverless deploy --stage local`: serverless-esbuild
 * bundles, serverless-localstack points CloudFormation at LocalStack) and returns the REST API's
 * URL through LocalStack's gateway and the API key it wants. Deploying again is an update: quicker, and it picks up edits
 * (a different list of own functions changes the invoking roles and their environment).
 */
export async function deployService(
  projectRoot: string,
  options: {
    /** The user's own functions the service may invoke: the deploy parameter, none by default. */
    invokableFunctions?: readonly string[];
  } = {},
): Promise<DeployedService> {
  const logDir = join(projectRoot, ".local");
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, "deploy.log");
  const invokable = options.invokableFunctions ?? [];
  const params =
    invokable.length === 0 ? [] : ["--param", `invokableFunctions=${invokable.join(",")}`];
  await runServerless(projectRoot, ["deploy", "--stage", LOCAL_STAGE, ...params], logFile);
  const cloudFormation = new CloudFormationClient(localClientOptions());
  const { StackResourceDetail: api } = await cloudFormation.send(
    new DescribeStackResourceCommand({
      StackName: LOCAL_STACK_NAME,
      LogicalResourceId: "ApiGatewayRestApi",
    }),
  );
  if (!api?.PhysicalResourceId)
    throw new Error(`the deployed stack has no REST API (log: ${logFile})`);
  const apiKey = await readLocalApiKey();
  return {
    apiUrl: `${LOCALSTACK_ENDPOINT}/restapis/${api.PhysicalResourceId}/${LOCAL_STAGE}/_user_request_`,
    ...(apiKey ? { apiKey } : {}),
    logFile,
  };
}
