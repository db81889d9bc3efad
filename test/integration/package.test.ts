import { execFile } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { STRATEGIES } from "../../lib/strategies/names.js";
import { SERVERLESS_CLI_ENV } from "../../localEnvironment/settings.js";
import {
  allIamStatements,
  isWildcardAction,
  type NormalizedStatement,
  placeholder,
  resourcesOfType,
  roleStatements,
  sortStatements,
  type Template,
} from "../helpers/cloudFormationTemplate.js";

const run = promisify(execFile);
const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const PACKAGED_FILES = [
  "serverless.yml",
  "package.json",
  "tsconfig.json",
  "functions",
  "lib",
  "adapters",
  // The local plugin serverless.yml lists (tools/serverless/tidyPerFunctionRoles.cjs).
  "tools",
];
const outDirs: string[] = [];
/** The packaged template of each stage, for cfn-lint. */
const templateFiles = new Map<string, string>();
/** Installed by .ci/run from tools/cfn-lint/requirements.txt (PyPI). */
const CFN_LINT = join(projectRoot, ".local/cfn-lint/bin/cfn-lint");

/**
 * `serverless package` with no AWS credentials at all, as a new contributor would run it. It runs
 * in a copy of the service, so that it never rebuilds the .esbuild/ folder of the deploy that the
 * other integration tests run against.
 */
async function packageStage(stage: string, params: readonly string[] = []): Promise<Template> {
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
      ...params.flatMap((param) => ["--param", param]),
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
  if (params.length === 0) templateFiles.set(stage, templateFile);
  return JSON.parse(readFileSync(templateFile, "utf8"));
}

const packaged = new Map<string, Promise<Template>>();

/** Each stage is packaged once, for every test of this file. */
function templateOf(stage: string, params: readonly string[] = []): Promise<Template> {
  const key = [stage, ...params].join(" ");
  let template = packaged.get(key);
  if (!template) {
    template = packageStage(stage, params);
    packaged.set(key, template);
  }
  return template;
}

/** A deploy that allows the user's own functions: a name, a name:alias and an ARN. */
const OWN_FUNCTIONS = [
  "sales-fetch",
  "transform:live",
  "arn:aws:lambda:eu-west-1:123456789012:function:other",
];
const OWN_PARAM = `invokableFunctions=${OWN_FUNCTIONS.join(",")}`;
/** The IAM resources those three become (tools/serverless/ownFunctions.cjs). */
const OWN_LAMBDA = `arn:${placeholder("AWS::Partition")}:lambda:${placeholder("AWS::Region")}:${placeholder("AWS::AccountId")}:function`;
const OWN_RESOURCES = [
  `${OWN_LAMBDA}:sales-fetch`,
  `${OWN_LAMBDA}:sales-fetch:*`,
  `${OWN_LAMBDA}:transform:live`,
  "arn:aws:lambda:eu-west-1:123456789012:function:other",
  "arn:aws:lambda:eu-west-1:123456789012:function:other:*",
].sort();

const REGION_ACCOUNT = `${placeholder("AWS::Region")}:${placeholder("AWS::AccountId")}`;
/** Without ListBucket S3 answers a missing record 403, not 404: allowed under runs/ only. */
const listRunRecords = {
  actions: ["s3:ListBucket"],
  resources: [placeholder("RunRecordsBucket.Arn")],
  condition: { StringLike: { "s3:prefix": "runs/*" } },
};
const WORK_QUEUE = placeholder("WorkQueue.Arn");

/**
 * What each function's role may do besides writing its own logs, by function name (after
 * `concurrency-lab-<stage>-`), read from the SDK calls in adapters/. Every Lambda function of
 * the template must have an entry, and its role must allow exactly this.
 */
function expectedStatements(
  stage: string,
  ownFunctions: boolean,
): Record<string, Array<Omit<NormalizedStatement, "effect">>> {
  const prefix = `concurrency-lab-${stage}`;
  // With own functions allowed, exactly those, and only for the roles that invoke or look them up.
  const own = (...actions: string[]) =>
    ownFunctions ? [{ actions: actions.sort(), resources: OWN_RESOURCES }] : [];
  const invokeAndDescribe = own("lambda:InvokeFunction", "lambda:GetFunctionConfiguration");
  const describeOnly = own("lambda:GetFunctionConfiguration");
  const replyQueues = `arn:aws:sqs:${REGION_ACCOUNT}:${prefix}-reply-*`;
  const durableExecutions = `arn:aws:lambda:${REGION_ACCOUNT}:function:${prefix}-durable:*/durable-execution/*/*`;
  const invokeTaskFunctions = {
    actions: ["lambda:InvokeFunction"],
    resources: ["processData", "queryData", "writeLog"].map(
      (fn) => `arn:aws:lambda:${REGION_ACCOUNT}:function:${prefix}-${fn}`,
    ),
  };
  // Every orchestrator keeps its runs' records and starts an accepted run by invoking itself.
  const recordObjects = {
    actions: ["s3:GetObject", "s3:PutObject"],
    resources: [`${placeholder("RunRecordsBucket.Arn")}/runs/*`],
  };
  const runRecords = [
    recordObjects,
    // A live run's marker: put when it is accepted, deleted when it ends.
    {
      actions: ["s3:DeleteObject", "s3:PutObject"],
      resources: [`${placeholder("RunRecordsBucket.Arn")}/live/*`],
    },
    listRunRecords,
  ];
  const invokeItself = (name: string, ...qualified: string[]) => ({
    actions: ["lambda:InvokeFunction"],
    resources: [
      `arn:aws:lambda:${REGION_ACCOUNT}:function:${prefix}-${name}`,
      ...qualified.map(
        (suffix) => `arn:aws:lambda:${REGION_ACCOUNT}:function:${prefix}-${name}:${suffix}`,
      ),
    ],
  });
  return {
    // Task functions and the ones that answer from the request alone: logs only.
    queryData: [],
    processData: [],
    writeLog: [],
    inline: [...runRecords, invokeItself("inline")],
    unknownStrategy: [],
    // GET /runs/{id}: reads records, nothing else.
    runRecords: [
      { actions: ["s3:GetObject"], resources: [`${placeholder("RunRecordsBucket.Arn")}/runs/*`] },
      listRunRecords,
    ],
    sequential: [
      invokeTaskFunctions,
      ...invokeAndDescribe,
      ...runRecords,
      invokeItself("sequential"),
    ],
    fanout: [invokeTaskFunctions, ...invokeAndDescribe, ...runRecords, invokeItself("fanout")],
    queue: [
      ...describeOnly,
      ...runRecords,
      invokeItself("queue"),
      {
        actions: ["sqs:CreateQueue", "sqs:DeleteQueue", "sqs:ReceiveMessage", "sqs:TagQueue"],
        resources: [replyQueues],
      },
      { actions: ["sqs:GetQueueUrl", "sqs:SendMessage"], resources: [WORK_QUEUE] },
    ],
    sfn: [
      ...describeOnly,
      ...runRecords,
      invokeItself("sfn"),
      {
        actions: ["iam:PassRole"],
        resources: [placeholder("StateMachineRole.Arn")],
        condition: { StringEquals: { "iam:PassedToService": "states.amazonaws.com" } },
      },
      {
        actions: [
          "states:CreateStateMachine",
          "states:StartExecution",
          "states:StartSyncExecution",
        ],
        resources: [`arn:aws:states:${REGION_ACCOUNT}:stateMachine:${prefix}-sm-*`],
      },
      // A Standard execution: polled, its history read for its transitions, stopped on give-up.
      {
        actions: ["states:DescribeExecution", "states:GetExecutionHistory", "states:StopExecution"],
        resources: [`arn:aws:states:${REGION_ACCOUNT}:execution:${prefix}-sm-*`],
      },
    ],
    // The durable execution SDK's checkpoints and state, the report's history read, all on its
    // own durable executions; the service invokes the tasks as this role.
    durable: [
      invokeTaskFunctions,
      ...invokeAndDescribe,
      ...runRecords,
      invokeItself("durable", "*"),
      {
        actions: [
          "lambda:CheckpointDurableExecution",
          "lambda:GetDurableExecutionHistory",
          "lambda:GetDurableExecutionState",
        ],
        resources: [durableExecutions],
      },
    ],
    worker: [
      ...own("lambda:InvokeFunction"),
      // The SQS event source mapping's own needs on the work queue.
      {
        actions: ["sqs:DeleteMessage", "sqs:GetQueueAttributes", "sqs:ReceiveMessage"],
        resources: [WORK_QUEUE],
      },
      { actions: ["sqs:SendMessage"], resources: [replyQueues] },
      // A failed record made visible again soon (adapters/SqsRedelivery.ts).
      { actions: ["sqs:ChangeMessageVisibility", "sqs:GetQueueUrl"], resources: [WORK_QUEUE] },
    ],
    // Ends lost runs: reads and writes records, lists and removes live markers, and deletes a
    // lost queue run's reply queue.
    runRecordSweeper: [
      recordObjects,
      {
        actions: ["s3:ListBucket"],
        resources: [placeholder("RunRecordsBucket.Arn")],
        condition: { StringLike: { "s3:prefix": ["runs/*", "live/*"] } },
      },
      {
        actions: ["s3:DeleteObject"],
        resources: [`${placeholder("RunRecordsBucket.Arn")}/live/*`],
      },
      { actions: ["sqs:ListQueues"], resources: [`arn:aws:sqs:${REGION_ACCOUNT}:*`] },
      { actions: ["sqs:DeleteQueue"], resources: [replyQueues] },
      // Asks whether a durable run's execution goes on (it has no heartbeat while suspended).
      { actions: ["lambda:GetDurableExecution"], resources: [durableExecutions] },
    ],
    replyQueueSweeper: [
      // ListQueues is authorized on the account's queue namespace, not on a queue.
      { actions: ["sqs:ListQueues"], resources: [`arn:aws:sqs:${REGION_ACCOUNT}:*`] },
      { actions: ["sqs:DeleteQueue", "sqs:GetQueueAttributes"], resources: [replyQueues] },
    ],
  };
}

/** Lambda's own log statement, on the function's log group only. */
function logsStatement(functionName: string): Omit<NormalizedStatement, "effect"> {
  return {
    actions: ["logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"],
    resources: [
      `arn:${placeholder("AWS::Partition")}:logs:${REGION_ACCOUNT}:log-group:/aws/lambda/${functionName}:*:*`,
    ],
  };
}

describe("serverless package", () => {
  afterAll(() => {
    for (const dir of outDirs) rmSync(dir, { recursive: true, force: true });
  });

  it.each(["dev", "local"])(
    "the %s stage template has the functions, REST routes, queues, DLQ and event source mapping",
    async (stage) => {
      const template = await templateOf(stage);

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
      // `{id}`: an unknown strategy's POST and a run record's GET.
      expect(paths).toEqual(expect.arrayContaining(["runs", "{id}"]));
      // Asynchronous runs: each orchestrator may take Lambda's 15 minutes, and Lambda does not
      // retry its asynchronous invocations (a run's record says how it ended, once).
      for (const strategy of STRATEGIES.filter((name) => name !== "durable")) {
        const orchestrator = functions.find(
          (properties) =>
            (properties.Environment as { Variables?: { STRATEGY?: string } } | undefined)?.Variables
              ?.STRATEGY === strategy,
        );
        expect(orchestrator?.Timeout, strategy).toBe(900);
      }
      const invokeConfigs = resourcesOfType(template, "AWS::Lambda::EventInvokeConfig").map(
        ([, resource]) => resource.Properties,
      );
      expect(invokeConfigs).toHaveLength(STRATEGIES.length - 1);
      for (const config of invokeConfigs) expect(config.MaximumRetryAttempts).toBe(0);
      // Every run's record, kept for the retention the template sets.
      const [, bucket] =
        resourcesOfType(template, "AWS::S3::Bucket").find(([id]) => id === "RunRecordsBucket") ??
        [];
      expect(bucket?.Properties.LifecycleConfiguration).toEqual({
        Rules: [
          { Id: "expire-run-records", Status: "Enabled", Prefix: "runs/", ExpirationInDays: 30 },
        ],
      });

      // The durable orchestrator is a durable function; on AWS, API Gateway invokes it by its
      // `durable` alias (a qualified ARN). Locally there is no alias (LocalStack's CloudFormation
      // cannot update one) and API Gateway invokes $LATEST.
      const [durableId, durable] =
        resourcesOfType(template, "AWS::Lambda::Function").find(
          ([, resource]) => resource.Properties.FunctionName === `concurrency-lab-${stage}-durable`,
        ) ?? [];
      expect(durable?.Properties.DurableConfig).toEqual({
        ExecutionTimeout: 3600,
        RetentionPeriodInDays: 1,
      });
      const aliases = resourcesOfType(template, "AWS::Lambda::Alias");
      const integration = JSON.stringify(
        resourcesOfType(template, "AWS::ApiGateway::Method").find(([id]) =>
          id.includes("RunsDurable"),
        )?.[1].Properties,
      );
      if (stage === "local") {
        expect(aliases).toEqual([]);
        expect(integration).toContain(`"Fn::GetAtt":["${durableId}","Arn"]`);
      } else {
        expect(aliases.map(([, alias]) => alias.Properties)).toEqual([
          expect.objectContaining({ Name: "durable", FunctionName: { Ref: durableId } }),
        ]);
        expect(integration).toContain(`{"Ref":"${aliases[0]?.[0]}"}`);
        expect(integration).not.toContain(`"Fn::GetAtt":["${durableId}","Arn"]`);
      }

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
      // AWS's advice: the queue's visibility timeout at least 6x the consumer's timeout; its rule:
      // at least the timeout. The local stage keeps the rule only, so that a killed worker's task
      // comes back within a run's budget (serverless.yml).
      expect(Number(queues.WorkQueue?.Properties.VisibilityTimeout)).toBeGreaterThanOrEqual(
        (stage === "local" ? 2 : 6) * Number(worker?.[1].Properties.Timeout),
      );
    },
  );

  it.each(["dev", "local"])(
    "on %s no IAM statement allows every action of a service or every resource",
    async (stage) => {
      const statements = allIamStatements(await templateOf(stage));

      expect(statements.length).toBeGreaterThan(0);
      const wildcards = statements.filter(
        ({ statement }) =>
          statement.resources.includes("*") || statement.actions.some(isWildcardAction),
      );
      expect(wildcards).toEqual([]);
      expect(statements.filter(({ statement }) => statement.effect !== "Allow")).toEqual([]);
    },
  );

  it.each([
    ["dev", "no own functions"],
    ["local", "no own functions"],
    ["dev", "own functions allowed"],
  ])(
    "on %s with %s each function has a role of its own allowing its logs and exactly what its code calls",
    async (stage, allowed) => {
      const ownFunctions = allowed === "own functions allowed";
      const template = await templateOf(stage, ownFunctions ? [OWN_PARAM] : []);
      const expected = expectedStatements(stage, ownFunctions);
      const prefix = `concurrency-lab-${stage}-`;

      // Function name -> its role's logical id and statements.
      const roles = new Map(
        resourcesOfType(template, "AWS::Lambda::Function").map(([, resource]) => {
          const {
            "Fn::GetAtt": [roleId],
          } = resource.Properties.Role as {
            "Fn::GetAtt": [string, string];
          };
          const role = template.Resources[roleId];
          expect(role?.Type).toBe("AWS::IAM::Role");
          expect(JSON.stringify(role?.Properties.AssumeRolePolicyDocument)).toContain(
            "lambda.amazonaws.com",
          );
          expect(role?.Properties.ManagedPolicyArns ?? []).toEqual([]);
          const statements = role ? roleStatements(role) : [];
          return [String(resource.Properties.FunctionName), { roleId, statements }] as const;
        }),
      );

      const roleIds = [...roles.values()].map(({ roleId }) => roleId);
      expect(new Set(roleIds).size, "one role per function").toBe(roles.size);
      for (const [functionName, { statements }] of roles) {
        const name = functionName.slice(prefix.length);
        expect(Object.keys(expected), `the table has an entry for ${functionName}`).toContain(name);
        expect({ functionName, statements }).toEqual({
          functionName,
          statements: sortStatements(
            [logsStatement(functionName), ...(expected[name] ?? [])].map((statement) => ({
              effect: "Allow",
              ...statement,
            })),
          ),
        });
      }
      // The task functions reach no AWS API: CloudWatch Logs is all their roles allow.
      for (const task of ["queryData", "processData", "writeLog"]) {
        const actions = roles.get(`${prefix}${task}`)?.statements.flatMap(({ actions }) => actions);
        expect(actions?.length).toBeGreaterThan(0);
        expect(actions?.filter((action) => !action.startsWith("logs:"))).toEqual([]);
      }
    },
  );

  it("own functions allowed: the state machines' role may invoke them too, and the orchestrators check the same list", async () => {
    const template = await templateOf("dev", [OWN_PARAM]);

    const role = template.Resources.StateMachineRole;
    const statements = role ? roleStatements(role) : [];
    expect(statements).toContainEqual({
      effect: "Allow",
      actions: ["lambda:InvokeFunction"],
      resources: OWN_RESOURCES,
    });
    const listed = resourcesOfType(template, "AWS::Lambda::Function").flatMap(([, resource]) => {
      const variables = (resource.Properties.Environment as { Variables?: Record<string, string> })
        ?.Variables;
      return variables?.INVOKABLE_FUNCTIONS === undefined
        ? []
        : [
            [
              String(resource.Properties.FunctionName).replace("concurrency-lab-dev-", ""),
              variables.INVOKABLE_FUNCTIONS,
            ],
          ];
    });
    expect(Object.fromEntries(listed)).toEqual(
      Object.fromEntries(
        ["sequential", "fanout", "queue", "sfn", "durable", "worker"].map((name) => [
          name,
          OWN_FUNCTIONS.join(","),
        ]),
      ),
    );
  });

  it.each(["dev", "local"])(
    "on %s every /runs method needs an API key, tied by a usage plan with throttle and quota to the stage",
    async (stage) => {
      const template = await templateOf(stage);

      const methods = resourcesOfType(template, "AWS::ApiGateway::Method");
      expect(methods.length).toBeGreaterThanOrEqual(STRATEGIES.length + 1);
      for (const [id, method] of methods) {
        expect({ id, apiKeyRequired: method.Properties.ApiKeyRequired }).toEqual({
          id,
          apiKeyRequired: true,
        });
      }

      const [[planId, plan] = []] = resourcesOfType(template, "AWS::ApiGateway::UsagePlan");
      expect(plan?.Properties).toMatchObject({
        ApiStages: [{ ApiId: { Ref: "ApiGatewayRestApi" }, Stage: stage }],
        Throttle: { BurstLimit: expect.any(Number), RateLimit: expect.any(Number) },
        Quota: { Limit: expect.any(Number), Period: expect.stringMatching(/^(DAY|WEEK|MONTH)$/) },
      });
      const keyIds = resourcesOfType(template, "AWS::ApiGateway::ApiKey").map(([id]) => id);
      expect(keyIds.length).toBeGreaterThan(0);
      const planKeys = resourcesOfType(template, "AWS::ApiGateway::UsagePlanKey").map(
        ([, planKey]) => planKey.Properties,
      );
      expect(planKeys).toEqual(
        keyIds.map((keyId) => ({
          KeyId: { Ref: keyId },
          KeyType: "API_KEY",
          UsagePlanId: { Ref: planId },
        })),
      );
    },
  );

  // CI installs cfn-lint (.ci/run); elsewhere the check runs when it is installed.
  it.skipIf(!existsSync(CFN_LINT) && process.env.CI !== "true")(
    "the packaged templates pass cfn-lint with no error and no warning",
    async () => {
      for (const stage of ["dev", "local"]) {
        await templateOf(stage);
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
