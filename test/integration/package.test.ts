import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { STRATEGIES } from "../../lib/strategies/registry.js";
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
/** The packaged template of each stage, for cfn-lint. */
const templateFiles = new Map<string, string>();
/** Installed by .ci/run from tools/cfn-lint/requirements.txt (PyPI). */
const CFN_LINT = join(projectRoot, ".local/cfn-lint/bin/cfn-lint");

interface Template {
  Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
}

/**
 * `serverless package` with no AWS credentials at all, as a new contributor would run it. It runs
 * in a copy of the service, so that it never rebuilds the .esbuild/ folder of the deploy that the
 * other integration tests run against.
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
  const templateFile = join(outDir, "out", "cloudformation-template-update-stack.json");
  templateFiles.set(stage, templateFile);
  return JSON.parse(readFileSync(templateFile, "utf8"));
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

      const functions = resourcesOfType(template, "AWS::Lambda::Function").map(
        ([, resource]) => resource.Properties,
      );
      const functionNames = functions.map((properties) => properties.FunctionName);
      for (const name of ["queryData", "processData", "writeLog", "worker"]) {
        expect(functionNames).toContain(`concurrency-lab-${stage}-${name}`);
      }
      // Every registered strategy has its orchestrator function (STRATEGY names the registry
      // entry) and its route.
      const paths = resourcesOfType(template, "AWS::ApiGateway::Resource").map(
        ([, resource]) => resource.Properties.PathPart,
      );
      for (const strategy of STRATEGIES) {
        const orchestrator = functions.find(
          (properties) =>
            (properties.Environment as { Variables?: { STRATEGY?: string } } | undefined)?.Variables
              ?.STRATEGY === strategy,
        );
        expect(orchestrator?.FunctionName).toMatch(new RegExp(`^concurrency-lab-${stage}-`));
        expect(paths).toContain(strategy);
      }
      expect(paths).toEqual(expect.arrayContaining(["runs", "{strategy}"]));

      // The state machines' role: assumed by Step Functions, may invoke the three task functions
      // and nothing else; the orchestrators may pass that role only, and no IAM statement of the
      // template allows every resource.
      const role = resourcesOfType(template, "AWS::IAM::Role").find(
        ([id]) => id === "StateMachineRole",
      )?.[1].Properties;
      expect(JSON.stringify(role?.AssumeRolePolicyDocument)).toContain("states.amazonaws.com");
      const [policy] = (role?.Policies ?? []) as Array<{
        PolicyDocument: { Statement: Array<{ Action: unknown; Resource: unknown[] }> };
      }>;
      expect(policy?.PolicyDocument.Statement).toEqual([
        expect.objectContaining({ Action: "lambda:InvokeFunction" }),
      ]);
      expect(JSON.stringify(policy?.PolicyDocument.Statement[0]?.Resource)).toMatch(
        /queryData.*processData.*writeLog/,
      );
      const statements = JSON.stringify(template.Resources);
      expect(statements).toContain('"iam:PassRole"');
      expect(statements).not.toMatch(/"Resource":\s*"\*"/);
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
        ScalingConfig: { MaximumConcurrency: 100 },
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

  // CI installs cfn-lint (.ci/run); elsewhere the check runs when it is installed.
  it.skipIf(!existsSync(CFN_LINT) && process.env.CI !== "true")(
    "the packaged templates pass cfn-lint with no error and no warning",
    async () => {
      for (const stage of ["dev", "local"]) {
        const templateFile = templateFiles.get(stage) ?? "";
        if (!templateFile) await packageStage(stage);
        const lint = await run(CFN_LINT, [templateFiles.get(stage) ?? ""]).then(
          () => ({ code: 0, output: "" }),
          (error: { code?: number; stdout?: string }) => ({
            code: error.code ?? 1,
            output: error.stdout ?? String(error),
          }),
        );

        expect(lint, `cfn-lint on the ${stage} template`).toEqual({ code: 0, output: "" });
      }
    },
  );
});
