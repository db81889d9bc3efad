import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { SERVERLESS_CLI_ENV } from "../../local/settings.js";

const run = promisify(execFile);
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PACKAGED_FILES = [
  "serverless.yml",
  "package.json",
  "tsconfig.json",
  "functions",
  "lib",
  "adapters",
];
const outDirs: string[] = [];

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/**
 * `serverless package` with no AWS credentials at all, as a new contributor would run it. It runs
 * in a copy of the service: packaging rebuilds .esbuild/, which the running serverless-offline of
 * the other integration tests serves its handlers from.
 */
async function packageStage(stage: string): Promise<Template> {
  const outDir = mkdtempSync(join(tmpdir(), `package-${stage}-`));
  outDirs.push(outDir);
  const copy = join(outDir, "service");
  for (const file of PACKAGED_FILES)
    cpSync(join(projectRoot, file), join(copy, file), { recursive: true });
  symlinkSync(join(projectRoot, "node_modules"), join(copy, "node_modules"));
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([key]) => !key.startsWith("AWS_")),
  );
  const packaging = run(
    process.execPath,
    [
      "node_modules/serverless/bin/serverless.js",
      "package",
      "--stage",
      stage,
      "--package",
      join(outDir, "out"),
    ],
    {
      cwd: copy,
      env: { ...env, ...SERVERLESS_CLI_ENV, HOME: outDir },
      maxBuffer: 16 * 1024 * 1024,
    },
  );
  // serverless-localstack keeps the CLI alive while its stdin stays open.
  packaging.child.stdin?.end();
  await packaging;
  return JSON.parse(
    readFileSync(join(outDir, "out", "cloudformation-template-update-stack.json"), "utf8"),
  );
}

function resourcesOfType(template: Template, type: string) {
  return Object.entries(template.Resources).filter(([, resource]) => resource.Type === type);
}

describe("serverless package", () => {
  afterAll(() => {
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each(["dev", "local"])(
    "the %s stage template has the functions, REST routes, queues, DLQ and event source mapping",
    async (stage) => {
      const template = await packageStage(stage);

      const functionNames = resourcesOfType(template, "AWS::Lambda::Function").map(
        ([, resource]) => resource.Properties.FunctionName,
      );
      for (const name of [
        "queryData",
        "processData",
        "writeLog",
        "sequential",
        "fanout",
        "queue",
        "inline",
        "worker",
      ]) {
        expect(functionNames).toContain(`concurrency-lab-${stage}-${name}`);
      }
      const paths = resourcesOfType(template, "AWS::ApiGateway::Resource").map(
        ([, resource]) => resource.Properties.PathPart,
      );
      expect(paths).toEqual(
        expect.arrayContaining(["runs", "sequential", "fanout", "queue", "inline", "{strategy}"]),
      );
      expect(resourcesOfType(template, "AWS::ApiGatewayV2::Api")).toEqual([]);

      const queues = Object.fromEntries(resourcesOfType(template, "AWS::SQS::Queue"));
      expect(queues.WorkQueue?.Properties.RedrivePolicy).toMatchObject({
        deadLetterTargetArn: { "Fn::GetAtt": ["DeadLetterQueue", "Arn"] },
      });
      const [[, mapping] = []] = resourcesOfType(template, "AWS::Lambda::EventSourceMapping");
      expect(mapping?.Properties).toMatchObject({
        BatchSize: 1,
        FunctionResponseTypes: ["ReportBatchItemFailures"],
        EventSourceArn: { "Fn::GetAtt": ["WorkQueue", "Arn"] },
      });
      const worker = resourcesOfType(template, "AWS::Lambda::Function").find(
        ([, resource]) => resource.Properties.FunctionName === `concurrency-lab-${stage}-worker`,
      );
      // AWS's rule: the queue's visibility timeout is at least 6x the consumer's timeout.
      expect(Number(queues.WorkQueue?.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(
        6 * Number(worker?.[1].Properties.Timeout),
      );
    },
  );
});
