/**
 * `npm run bench:runtime`: what one local Lambda execution environment costs under each of the
 * executor's ways to run it, side by side in one run. For each variant it starts LocalStack with
 * that executor, creates the service's task and orchestrator functions from the packaged bundles
 * (`serverless package --stage local`), and through LocalStack's own Invoke API:
 *   - a cold burst: N concurrent invokes of a fresh function, each of which starts an environment;
 *   - a warm burst: the same N again, served by those environments;
 *   - warm latency: invokes one after another on a warm environment.
 * Cold-start CPU per environment = (CPU of LocalStack and everything it runs over the cold burst
 * − over the warm burst) / environments started, so the invokes themselves are not counted; RSS
 * per environment = what the burst added to their resident memory / environments started.
 * Prints the table and the ratios to today's executor, writes bench/results/runtime-<ts>.json.
 *
 *   npm run bench:runtime -- [--environments 50] [--warm-invokes 100] [--variants a,b,...]
 *
 * Loopback only; it stops each LocalStack it started, and refuses to run beside one already running.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import {
  CreateFunctionCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import { z } from "zod";
import { projectRoot } from "../cli/session.js";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import { percentiles } from "../lib/stats/stats.js";
import { localClientOptions } from "../localEnvironment/localClients.js";
import { startLocalStack } from "../localEnvironment/localStack.js";
import { LOCAL_AWS_ENV, SERVERLESS_CLI_ENV } from "../localEnvironment/settings.js";
import { benchFlags } from "./benchOptions.js";
import { localStackPid, treeUsage, usageBetween } from "./localStackUsage.js";

/**
 * How the executor runs an environment; the first is the executor before 2026-12, the baseline.
 * Its Node is the one this bench runs on: through npm that is the project's Node 22, as in
 * process-node22; `/usr/bin/node --import tsx bench/runtime.ts` measures a host's Node instead.
 */
const VARIANTS = {
  "process-host-node": {
    label: `a Node process each, the Node this bench runs on (${process.version})`,
    env: { LAB_LAMBDA_EXECUTOR: "process", LAB_LAMBDA_NODE: process.execPath },
  },
  "process-node22": {
    label: "a Node process each, Node 22 (the project's)",
    env: { LAB_LAMBDA_EXECUTOR: "process" },
  },
  "thread-node22": {
    label: "a worker thread each, one Node 22 process per function",
    env: { LAB_LAMBDA_EXECUTOR: "thread" },
  },
} as const;
type VariantName = keyof typeof VARIANTS;
const BASELINE: VariantName = "process-host-node";

/** The service's functions whose environments bursts start: the lightest and the heaviest bundle. */
const FUNCTIONS = {
  task: {
    resource: "QueryDataLambdaFunction",
    // a 1 s wait keeps each invocation busy, so N concurrent invokes need N environments
    event: {
      runId: "bench",
      taskId: "t",
      fn: "queryData",
      durationMs: 1000,
      kind: "io",
      inputs: {},
    },
    warmEvent: {
      runId: "bench",
      taskId: "t",
      fn: "writeLog",
      durationMs: 0,
      kind: "io",
      inputs: {},
    },
  },
  orchestrator: {
    resource: "FanoutLambdaFunction",
    // not an API Gateway event: answered 400 at once, after the whole bundle has loaded
    event: {},
    warmEvent: {},
  },
} as const;
type FunctionName = keyof typeof FUNCTIONS;

const flags = benchFlags("runtime", {
  environments: { type: "string", default: "50" },
  "warm-invokes": { type: "string", default: "100" },
  variants: { type: "string", default: Object.keys(VARIANTS).join(",") },
});
const fail: (message: string) => never = flags.fail;
const environments = flags.wholeNumber("environments", 2, 200);
const warmInvokes = flags.wholeNumber("warm-invokes", 10, 1000);
const variants =
  flags.listOf("variants", Object.keys(VARIANTS) as Array<keyof typeof VARIANTS>) ?? [];

interface Invoked {
  ms: number;
  initMs?: number;
  maxMemoryMb?: number;
  error?: string;
}

async function invoke(lambda: LambdaClient, name: string, event: object): Promise<Invoked> {
  const started = performance.now();
  const response = await lambda
    .send(
      new InvokeCommand({
        FunctionName: name,
        LogType: "Tail",
        Payload: Buffer.from(JSON.stringify(event)),
      }),
    )
    .catch((error: Error) => ({ transportError: `${error.name}: ${error.message}` }));
  const ms = performance.now() - started;
  if ("transportError" in response) return { ms, error: response.transportError };
  const log = Buffer.from(response.LogResult ?? "", "base64").toString("utf8");
  const initMs = /Init Duration: ([\d.]+) ms/.exec(log)?.[1];
  const maxMemoryMb = /Max Memory Used: (\d+) MB/.exec(log)?.[1];
  const error = response.FunctionError
    ? Buffer.from(response.Payload ?? [])
        .toString("utf8")
        .slice(0, 200)
    : undefined;
  return {
    ms,
    ...(initMs ? { initMs: Number(initMs) } : {}),
    ...(maxMemoryMb ? { maxMemoryMb: Number(maxMemoryMb) } : {}),
    ...(error ? { error } : {}),
  };
}

const settle = () => new Promise((resolve) => setTimeout(resolve, 1500));
const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;

interface FunctionResult {
  environmentsStarted: number;
  coldStartCpuMsPerEnvironment: number;
  /** Of which LocalStack's own process (Python: its Lambda service, the executor's side). */
  localStackCpuMsPerEnvironment: number;
  rssMiBPerEnvironment: number;
  coldBurstWallMs: number;
  initDurationMsP50: number | null;
  maxMemoryUsedMb: number | null;
  warmInvokeMs: { p50: number; p95: number };
  errors: string[];
}

/** The part of a packaged template read here: each function's properties and its environment. */
const packagedTemplateSchema = z.object({
  Resources: z.record(
    z.string(),
    z.object({
      Properties: z
        .looseObject({
          Handler: z.unknown().optional(),
          MemorySize: z.unknown().optional(),
          Timeout: z.unknown().optional(),
          Environment: z
            .object({ Variables: z.record(z.string(), z.unknown()).optional() })
            .optional(),
        })
        .optional(),
    }),
  ),
});

/** The packaged template's configuration of a function: what the deploy would give it. */
function functionConfiguration(resource: string) {
  const template = packagedTemplateSchema.parse(
    JSON.parse(
      readFileSync(
        join(projectRoot, ".serverless/cloudformation-template-update-stack.json"),
        "utf8",
      ),
    ),
  );
  const properties =
    template.Resources[resource]?.Properties ?? fail(`no ${resource} in the template`);
  const variables = properties.Environment?.Variables;
  return {
    handler: String(properties.Handler),
    memorySize: Number(properties.MemorySize),
    timeout: Number(properties.Timeout),
    // intrinsic functions (a role's ARN) are left out: nothing here calls another service
    environment: Object.fromEntries(
      Object.entries(variables ?? {}).flatMap(([name, value]) =>
        typeof value === "string" ? [[name, value]] : [],
      ),
    ),
  };
}

async function measureFunction(
  lambda: LambdaClient,
  rootPid: number,
  which: FunctionName,
  zip: Buffer,
  prefix: string,
): Promise<FunctionResult> {
  const { resource, event, warmEvent } = FUNCTIONS[which];
  const configuration = functionConfiguration(resource);
  const name = `${prefix}-${which}`;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs22.x",
      Handler: configuration.handler,
      Role: "arn:aws:iam::000000000000:role/bench-runtime",
      Code: { ZipFile: zip },
      MemorySize: configuration.memorySize,
      Timeout: configuration.timeout,
      Environment: { Variables: configuration.environment },
    }),
  );
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 120 }, { FunctionName: name });
  const burst = () =>
    Promise.all(Array.from({ length: environments }, () => invoke(lambda, name, event)));

  await settle();
  const beforeCold = treeUsage(rootPid);
  const coldStarted = performance.now();
  const cold = await burst();
  const coldBurstWallMs = performance.now() - coldStarted;
  await settle();
  const afterCold = treeUsage(rootPid);
  const warm = await burst();
  await settle();
  const afterWarm = treeUsage(rootPid);

  const latencies: number[] = [];
  for (let index = 0; index < warmInvokes; index += 1) {
    latencies.push((await invoke(lambda, name, warmEvent)).ms);
  }
  const started = cold.filter((invoked) => invoked.initMs !== undefined);
  const count = Math.max(1, started.length);
  const coldBurst = usageBetween(beforeCold, afterCold);
  const warmBurst = usageBetween(afterCold, afterWarm);
  const perEnvironment = (coldMs: number, warmMs: number) =>
    round(Math.max(0, coldMs - warmMs) / count);
  const [initP50] = started.length
    ? percentiles(
        started.map((invoked) => invoked.initMs ?? 0),
        [50],
      )
    : [null];
  const [p50, p95] = percentiles(latencies, [50, 95]);
  const memory = [...cold, ...warm].map((invoked) => invoked.maxMemoryMb ?? 0);
  return {
    environmentsStarted: started.length,
    coldStartCpuMsPerEnvironment: perEnvironment(coldBurst.cpuMs, warmBurst.cpuMs),
    localStackCpuMsPerEnvironment: perEnvironment(
      coldBurst.localStackCpuMs,
      warmBurst.localStackCpuMs,
    ),
    rssMiBPerEnvironment: round((afterCold.rssBytes - beforeCold.rssBytes) / 2 ** 20 / count),
    coldBurstWallMs: Math.round(coldBurstWallMs),
    initDurationMsP50: initP50 === null || initP50 === undefined ? null : round(initP50),
    maxMemoryUsedMb: memory.some((value) => value > 0) ? Math.max(...memory) : null,
    warmInvokeMs: { p50: round(p50 ?? 0), p95: round(p95 ?? 0) },
    errors: [...new Set([...cold, ...warm].flatMap((invoked) => invoked.error ?? []))],
  };
}

async function measureVariant(name: VariantName, zip: Buffer) {
  Object.assign(process.env, VARIANTS[name].env, {
    LAB_LAMBDA_CONCURRENCY: String(Math.max(64, environments * 2 + 8)),
  });
  if (name !== "process-host-node") delete process.env.LAB_LAMBDA_NODE;
  const localStack = await startLocalStack(projectRoot);
  try {
    if (!localStack.startedByUs) {
      fail(
        "a LocalStack is already running: stop it first (npm run local:stop); this bench starts its own with each executor",
      );
    }
    const rootPid = localStackPid();
    const lambda = new LambdaClient({ ...localClientOptions(), maxAttempts: 1 });
    const results: Partial<Record<FunctionName, FunctionResult>> = {};
    for (const which of Object.keys(FUNCTIONS) as FunctionName[]) {
      results[which] = await measureFunction(lambda, rootPid, which, zip, `bench-runtime-${name}`);
      console.error(`  ${name} ${which}: ${JSON.stringify(results[which])}`);
    }
    return { variant: name, how: VARIANTS[name].label, functions: results };
  } finally {
    await localStack.stop();
  }
}

console.error("bench:runtime: packaging the service (serverless package --stage local) ...");
const packaged = spawnSync(
  process.execPath,
  [join(projectRoot, "node_modules/serverless/bin/serverless.js"), "package", "--stage", "local"],
  {
    cwd: projectRoot,
    env: { ...process.env, ...SERVERLESS_CLI_ENV, ...LOCAL_AWS_ENV },
    encoding: "utf8",
  },
);
if (packaged.status !== 0) fail(`serverless package failed:\n${packaged.stdout}${packaged.stderr}`);
const zip = readFileSync(join(projectRoot, ".serverless/concurrency-lab.zip"));

console.error(
  `bench:runtime: ${environments} environments per function and variant, ${warmInvokes} warm invokes one after another; variants: ${variants.join(", ")}`,
);
const results = [];
for (const name of variants as VariantName[]) results.push(await measureVariant(name, zip));

const baseline = results.find((result) => result.variant === BASELINE);
const columns = [
  "variant".padEnd(20),
  "function".padEnd(14),
  ...[
    "envs",
    "CPU ms",
    "RSS MiB",
    "INIT p50",
    "warm p50",
    "warm p95",
    "x CPU",
    "x RSS",
    "x warm",
  ].map((h) => h.padStart(9)),
];
console.log(`\n${columns.join("")}`);
const ratio = (value: number, base: number | undefined) => (base ? (value / base).toFixed(2) : "-");
for (const result of results) {
  for (const [which, measured] of Object.entries(result.functions) as Array<
    [FunctionName, FunctionResult]
  >) {
    const base = baseline?.functions[which];
    console.log(
      [
        result.variant.padEnd(20),
        which.padEnd(14),
        ...[
          formatNumber(measured.environmentsStarted),
          formatNumber(measured.coldStartCpuMsPerEnvironment),
          formatNumber(measured.rssMiBPerEnvironment),
          measured.initDurationMsP50 === null ? "-" : formatNumber(measured.initDurationMsP50),
          formatNumber(measured.warmInvokeMs.p50),
          formatNumber(measured.warmInvokeMs.p95),
          ratio(measured.coldStartCpuMsPerEnvironment, base?.coldStartCpuMsPerEnvironment),
          ratio(measured.rssMiBPerEnvironment, base?.rssMiBPerEnvironment),
          ratio(measured.warmInvokeMs.p50, base?.warmInvokeMs.p50),
        ].map((cell) => cell.padStart(9)),
      ].join(""),
    );
  }
}
console.log(
  `\nCPU ms: cold-start CPU per environment (LocalStack and its environments, cold burst minus warm burst); RSS MiB: resident memory added per environment; x: ratio to ${BASELINE} (today's executor). Measured locally (${cpus().length} cores), not on AWS.`,
);

const resultsDir = join(projectRoot, "bench/results");
mkdirSync(resultsDir, { recursive: true });
const generatedAt = new Date().toISOString();
const file = join(resultsDir, `runtime-${generatedAt.replace(/[:.]/g, "-")}.json`);
writeFileSync(
  file,
  `${JSON.stringify(
    {
      generatedAt,
      measured: "locally, LocalStack 4.14.0 in host mode with each executor variant; not on AWS",
      machine: { node: process.version, platform: process.platform, cpus: cpus().length },
      settings: { environments, warmInvokes, variants, baseline: BASELINE },
      results,
    },
    null,
    2,
  )}\n`,
);
console.log(`results written to ${file}`);
