/**
 * Deploys an example service of the user's own functions (examples/<name>) into the running
 * LocalStack and uploads the data its data.ts generates, for workflows that call those functions.
 *
 *   npm run example:deploy            (examples/sales-report)
 *   node --import tsx localEnvironment/deployExample.ts examples/<name>
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import { basename, dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import {
  CloudFormationClient,
  DescribeStackResourcesCommand,
  type StackResource,
} from "@aws-sdk/client-cloudformation";
import { PutObjectCommand, paginateListObjectsV2, S3Client } from "@aws-sdk/client-s3";
import { runServerless } from "./deployService.js";
import { localClientOptions } from "./localClients.js";
import { LOCAL_STAGE, LOCALSTACK_ENDPOINT } from "./settings.js";

export interface DeployedExample {
  /** The deployed Lambda functions' names, sorted, e.g. "sales-report-local-listParts". */
  functions: string[];
  logFile: string;
  /** Data objects put into the bucket: 0 when a previous deploy left them all unchanged. */
  uploaded: number;
}

/** What an example's data.ts returns from `exampleData()`: objects for the stack's bucket. */
interface ExampleObject {
  key: string;
  body: string;
  contentType?: string;
}

/** The example's service name, from its serverless.yml (`service: <name>`): its stack is <name>-local. */
function serviceName(exampleDir: string): string {
  const template = readFileSync(join(exampleDir, "serverless.yml"), "utf8");
  const name = /^service:\s*([\w-]+)\s*$/m.exec(template)?.[1];
  if (!name) throw new Error(`${exampleDir}/serverless.yml names no service`);
  return name;
}

/** Fails in a line, before serverless spends a minute retrying, when LocalStack does not answer. */
async function assertLocalStackUp(): Promise<void> {
  try {
    const response = await fetch(`${LOCALSTACK_ENDPOINT}/_localstack/health`, {
      signal: AbortSignal.timeout(3000),
    });
    if (response.ok) return;
  } catch {
    // answered below: the reason (refused, timed out) matters less than what to run
  }
  throw new Error(
    `LocalStack does not answer on ${LOCALSTACK_ENDPOINT}: start it with \`npm run local:start\` (or keep \`npm run serve\` running)`,
  );
}

/** The example's generated data (`exampleData()` of its data.ts), or none when it has no data.ts. */
async function loadExampleData(exampleDir: string): Promise<ExampleObject[]> {
  const dataModule = join(exampleDir, "data.ts");
  if (!existsSync(dataModule)) return [];
  const { exampleData } = (await import(pathToFileURL(dataModule).href)) as {
    exampleData?: () => ExampleObject[];
  };
  if (typeof exampleData !== "function") throw new Error(`${dataModule} exports no exampleData()`);
  return exampleData();
}

/** S3's ETag of an object put in one request: the MD5 of its bytes, quoted. */
function etagOf(body: string): string {
  return `"${createHash("md5").update(body).digest("hex")}"`;
}

/**
 * Puts the objects that are missing from the bucket or differ from it (by ETag): a redeploy of
 * unchanged data uploads nothing. Returns how many were put.
 */
async function uploadData(bucket: string, objects: ExampleObject[]): Promise<number> {
  const s3 = new S3Client({ ...localClientOptions(), forcePathStyle: true });
  const stored = new Map<string, string | undefined>();
  for await (const page of paginateListObjectsV2({ client: s3 }, { Bucket: bucket })) {
    for (const object of page.Contents ?? []) if (object.Key) stored.set(object.Key, object.ETag);
  }
  const changed = objects.filter((object) => stored.get(object.key) !== etagOf(object.body));
  await Promise.all(
    changed.map((object) =>
      s3.send(
        new PutObjectCommand({
          Bucket: bucket,
          Key: object.key,
          Body: object.body,
          ContentType: object.contentType,
        }),
      ),
    ),
  );
  return changed.length;
}

/** Where serverless puts the deployment's artifacts: a bucket of the stack, but not the example's. */
const SERVERLESS_DEPLOYMENT_BUCKET = "ServerlessDeploymentBucket";

function physicalIds(resources: StackResource[], type: string): string[] {
  return resources
    .filter(
      (resource) =>
        resource.ResourceType === type &&
        resource.LogicalResourceId !== SERVERLESS_DEPLOYMENT_BUCKET &&
        resource.PhysicalResourceId,
    )
    .map((resource) => resource.PhysicalResourceId as string)
    .sort();
}

/**
 * Deploys the example service in `exampleDir` (relative to `projectRoot` or absolute) into
 * LocalStack with `serverless deploy --stage local`, run in the example's directory with the
 * project's Serverless CLI and plugins, its output in .local/deploy-<example>.log. Then uploads
 * the data of the example's data.ts into the stack's bucket, skipping objects already there
 * unchanged, and returns the stack's function names. Deploying again is an update: quicker.
 */
export async function deployExample(
  projectRoot: string,
  exampleDir: string,
): Promise<DeployedExample> {
  const serviceDir = resolve(projectRoot, exampleDir);
  const service = serviceName(serviceDir);
  await assertLocalStackUp();
  const logDir = join(projectRoot, ".local");
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, `deploy-${basename(serviceDir)}.log`);
  await runServerless(projectRoot, ["deploy", "--stage", LOCAL_STAGE], logFile, serviceDir);

  const cloudFormation = new CloudFormationClient(localClientOptions());
  const { StackResources: resources = [] } = await cloudFormation.send(
    new DescribeStackResourcesCommand({ StackName: `${service}-${LOCAL_STAGE}` }),
  );
  const functions = physicalIds(resources, "AWS::Lambda::Function");
  if (functions.length === 0)
    throw new Error(`the deployed stack has no functions (log: ${logFile})`);

  const data = await loadExampleData(serviceDir);
  let uploaded = 0;
  if (data.length > 0) {
    const buckets = physicalIds(resources, "AWS::S3::Bucket");
    const [bucket] = buckets;
    if (buckets.length !== 1 || !bucket) {
      throw new Error(
        `${service} has data to upload but ${buckets.length} S3 buckets, not one (log: ${logFile})`,
      );
    }
    uploaded = await uploadData(bucket, data);
  }
  return { functions, logFile, uploaded };
}

// Run as a script: deploy the example named on the command line, print its functions' names.
if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
  const exampleDir = process.argv[2];
  if (!exampleDir) {
    console.error("usage: node --import tsx localEnvironment/deployExample.ts examples/<name>");
    process.exit(2);
  }
  try {
    const { functions, logFile, uploaded } = await deployExample(projectRoot, resolve(exampleDir));
    // stdout is the names alone, for scripts; the rest goes to stderr
    console.error(
      `deployed ${basename(exampleDir)} (log: ${logFile}); data objects uploaded: ${uploaded}`,
    );
    for (const name of functions) console.log(name);
  } catch (error) {
    console.error(`example:deploy: ${(error as Error).message}`);
    process.exit(1);
  }
}
