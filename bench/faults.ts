/**
 * `npm run bench:faults`: what each strategy does when a task fails, measured under faults
 * injected into the local stack, with retries 0 and with retries 2:
 * - `crash`: a task's execution environment is killed half-way through (its process exits);
 * - `hang`: a task runs past its function's timeout (set to 15 s for the case, as the template
 *   had it before tasks could run 15 minutes; the queue's worker: 8 s);
 * - `throttle`: the task functions and the worker get a reserved concurrency of 1 while the runs
 *   go (PutFunctionConcurrency), so invokes are refused with 429;
 * - `duplicate`: SQS delivers every work message twice (the local event source mapping's fault);
 * - `orchestrator`: the run's orchestrator's own environment is killed once its first task has
 *   completed (workflow.orchestratorFault). These runs go asynchronously and are followed on
 *   their records, untouched, until the record ends: by a durable replay, or by the record sweeper
 *   on its one-minute schedule ("orchestrator's environment exited"); how long that took is shown.
 * `crash` and `hang` strike a task's first attempt only, so that a retry can recover.
 *
 * Per strategy, fault and retries: runs recovered (succeeded after a retry), succeeded (no retry
 * needed), failed naming the task, lost (no report), hung (no answer within the budget), and the
 * duplicate task executions the queue saw; then what the runs left behind. Writes
 * bench/results/faults-<timestamp>.json and exits 1 on any lost or hung run.
 *
 * Loopback only (the local stack it starts), bounded: a few concurrent runs per case, each
 * awaited at most --budget-s.
 *
 *   npm run bench:faults -- [--runs 3] [--budget-s 40] [--strategies a,b] [--faults crash,hang]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  DeleteFunctionConcurrencyCommand,
  GetFunctionConfigurationCommand,
  LambdaClient,
  PutFunctionConcurrencyCommand,
  UpdateFunctionConfigurationCommand,
  waitUntilFunctionUpdatedV2,
} from "@aws-sdk/client-lambda";
import { fetchRun, runStrategy, startRun } from "../adapters/runsApiClient.js";
import { openSession, projectRoot } from "../cli/session.js";
import { invokesFunctions, whyNotApplicable } from "../lib/ownFunctions/applicability.js";
import type { FaultCase, FaultSweep } from "../lib/report/faultSweep.js";
import { INJECTED_FAULTS as FAULTS } from "../lib/report/faultSweep.js";
import type { RunReport } from "../lib/runReport/types.js";
import { describedStrategy, STRATEGIES, type StrategyName } from "../lib/strategies/names.js";
import type { TaskFault } from "../lib/tasks/catalog.js";
import type { Workflow } from "../lib/workflow/types.js";
import { findQueuesFromConfig } from "../localEnvironment/findQueuesFromConfig.js";
import { localClientOptions } from "../localEnvironment/localClients.js";
import { resolveServerlessConfig } from "../localEnvironment/resolveServerlessConfig.js";
import { LOCAL_STACK_NAME } from "../localEnvironment/settings.js";
import { replyQueuePrefixOf } from "../localEnvironment/startLocalEnvironment.js";
import { benchFlags } from "./benchOptions.js";
import { findLeftovers, type Leftovers } from "./loadRuns.js";
import { untilLocalStackIsIdle } from "./localStackIdle.js";

type Fault = FaultCase["fault"];
const RETRIES = [0, 2] as const;
const TASK_MS = 200;
/**
 * The orchestrator fault's runs are followed until their record ends: a heartbeat three 20 s
 * beats old, then the sweeper's next one-minute round, is at most ~2 minutes; 4 allowed.
 */
const ORCHESTRATOR_BUDGET_MS = 240_000;

const flags = benchFlags("faults", {
  runs: { type: "string", default: "3" },
  "budget-s": { type: "string", default: "40" },
  strategies: { type: "string" },
  faults: { type: "string", default: FAULTS.join(",") },
});
const fail: (message: string) => never = flags.fail;
const runs = flags.wholeNumber("runs", 1, 10);
const budgetS = flags.number("budget-s", 30, 120);
const faults: Fault[] = flags.listOf("faults", FAULTS) ?? [...FAULTS];
const requested = flags.listOf("strategies", STRATEGIES);

/** The lesson's shape, its ids its own; the fault (if one strikes a task) on the query. */
function faultyWorkflow(index: number, fault: Fault, retries: number): Workflow {
  const taskFault: TaskFault | undefined =
    fault === "crash" || fault === "hang" ? fault : undefined;
  return {
    retries,
    ...(fault === "orchestrator" ? { orchestratorFault: "crash" as const } : {}),
    tasks: [
      {
        id: `q${index}`,
        fn: "queryData",
        deps: [],
        durationMs: TASK_MS,
        ...(taskFault ? { fault: taskFault } : {}),
      },
      { id: `p${index}`, fn: "processData", deps: [`q${index}`], durationMs: TASK_MS },
      { id: `l${index}`, fn: "writeLog", deps: [], durationMs: TASK_MS },
    ],
  };
}

/**
 * Why a fault does not apply to a strategy, or undefined when it does (by what it runs on): a
 * task fault by the API's own rule (lib/ownFunctions/applicability.ts), which refuses it with a 400.
 */
function notApplicable(strategy: StrategyName, fault: Fault): string | undefined {
  const refused = whyNotApplicable(faultyWorkflow(0, fault, 0), strategy);
  if (refused) return refused.reason;
  const { needs } = describedStrategy(strategy);
  if (!invokesFunctions({ needs }) && fault === "throttle")
    return "invokes no Lambda for its tasks";
  if (fault === "duplicate" && !needs.some((piece) => piece === "sqs")) {
    return "no SQS delivery to duplicate";
  }
  return undefined;
}

const target = await openSession({});
const environment = target.environment;
if (!environment) fail("needs the local stack it starts");
const lambda = new LambdaClient(localClientOptions());
const config = await resolveServerlessConfig(projectRoot);
const queues = await findQueuesFromConfig(config, environment.sqs);
const queuesToCheck = {
  sqs: environment.sqs,
  workQueueUrl: queues.get("WorkQueue")?.url ?? "",
  deadLetterQueueUrl: queues.get("DeadLetterQueue")?.url ?? "",
  replyQueuePrefix: replyQueuePrefixOf(config),
};
const strategies = requested
  ? target.strategies.filter((name) => requested.includes(name))
  : target.strategies;
/** The functions that run tasks: throttled together for the `throttle` fault. */
const TASK_RUNNERS = ["queryData", "processData", "writeLog", "worker"].map(
  (name) => `${LOCAL_STACK_NAME}-${name}`,
);

async function throttle(on: boolean): Promise<void> {
  for (const FunctionName of TASK_RUNNERS) {
    if (on) {
      await lambda.send(
        new PutFunctionConcurrencyCommand({ FunctionName, ReservedConcurrentExecutions: 1 }),
      );
    } else {
      await lambda.send(new DeleteFunctionConcurrencyCommand({ FunctionName }));
    }
  }
}

/**
 * The `hang` fault's task functions run with the timeout they had before tasks could take up to
 * Lambda's 15 minutes (serverless.yml now gives them 900 s): a hung first attempt then ends
 * within a synchronous run's budget and a retry can still recover, which is what the case asks.
 * Restored to the deployed timeout after the case.
 */
const HANG_TIMEOUT_S = 15;
const TASK_FUNCTIONS = TASK_RUNNERS.filter((name) => !name.endsWith("-worker"));
const deployedTimeoutS = new Map<string, number>();

async function shortenTaskTimeouts(on: boolean): Promise<void> {
  for (const FunctionName of TASK_FUNCTIONS) {
    if (on && !deployedTimeoutS.has(FunctionName)) {
      const { Timeout } = await lambda.send(new GetFunctionConfigurationCommand({ FunctionName }));
      if (Timeout !== undefined) deployedTimeoutS.set(FunctionName, Timeout);
    }
    const Timeout = on ? HANG_TIMEOUT_S : deployedTimeoutS.get(FunctionName);
    if (Timeout === undefined) continue;
    await lambda.send(new UpdateFunctionConfigurationCommand({ FunctionName, Timeout }));
    await waitUntilFunctionUpdatedV2({ client: lambda, maxWaitTime: 60 }, { FunctionName });
  }
}

async function runCase(strategy: StrategyName, fault: Fault, retries: number): Promise<FaultCase> {
  const outcome: FaultCase = {
    strategy,
    fault,
    retries,
    started: 0,
    recovered: 0,
    succeeded: 0,
    failed: 0,
    lost: 0,
    hung: 0,
    duplicateExecutions: 0,
    throttledInvokes: 0,
    wallMs: { max: 0 },
    reasons: [],
  };
  const reason = notApplicable(strategy, fault);
  if (reason) return { ...outcome, notApplicable: reason };
  const inject =
    fault === "throttle" ? throttle : fault === "hang" ? shortenTaskTimeouts : undefined;
  if (inject) {
    try {
      await inject(true);
    } catch (error) {
      await inject(false).catch(() => {});
      return { ...outcome, notApplicable: `could not be injected: ${(error as Error).message}` };
    }
  }
  outcome.started = runs;
  if (fault === "duplicate") environment?.duplicateDeliveries(true);
  const budgetMs = fault === "orchestrator" ? ORCHESTRATOR_BUDGET_MS : budgetS * 1000;
  try {
    await Promise.all(
      Array.from({ length: runs }, async (_, index) => {
        const started = performance.now();
        let timer: NodeJS.Timeout | undefined;
        const hung = new Promise<"hung">((resolve) => {
          timer = setTimeout(() => resolve("hung"), budgetMs);
        });
        const run =
          fault === "orchestrator"
            ? followRecord(strategy, faultyWorkflow(index, fault, retries), outcome, budgetMs)
            : runStrategy(
                target.apiUrl,
                strategy,
                { workflow: faultyWorkflow(index, fault, retries) },
                target.apiKey ? { apiKey: target.apiKey } : {},
              );
        const answer = await Promise.race([run.catch((error: unknown) => error as Error), hung]);
        clearTimeout(timer);
        outcome.wallMs.max = Math.max(outcome.wallMs.max, performance.now() - started);
        if (answer === "hung") {
          outcome.hung += 1;
          return;
        }
        if (answer instanceof RecordedFailure) return;
        if (answer instanceof Error) {
          outcome.lost += 1;
          outcome.reasons.push(answer.message.split("\n")[0] ?? String(answer));
          return;
        }
        classify(answer, outcome);
      }),
    );
  } finally {
    if (inject) await inject(false);
    if (fault === "duplicate") environment?.duplicateDeliveries(false);
  }
  outcome.reasons = [...new Set(outcome.reasons)];
  return outcome;
}

/**
 * The orchestrator fault: the run is started asynchronously (its POST answers before the crash)
 * and its record is read every second, untouched, until it ends; its report, or the sweeper's
 * reason as a failed run's. Never settles past the budget (the race's `hung` answers).
 */
async function followRecord(
  strategy: StrategyName,
  workflow: Workflow,
  outcome: FaultCase,
  budgetMs: number,
): Promise<RunReport> {
  const options = target.apiKey ? { apiKey: target.apiKey } : {};
  const acceptedAt = Date.now();
  const { runId } = await startRun(target.apiUrl, strategy, { workflow }, options);
  while (Date.now() - acceptedAt < budgetMs) {
    const record = await fetchRun(target.apiUrl, runId, options);
    if (record.status === "succeeded" || record.status === "failed") {
      outcome.recordedWithinMs = Math.max(outcome.recordedWithinMs ?? 0, Date.now() - acceptedAt);
      if (record.report) return record.report;
      outcome.failed += 1;
      outcome.reasons.push(`${record.error?.type}: ${record.error?.message?.slice(0, 160)}`);
      throw new RecordedFailure();
    }
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  return new Promise(() => {});
}

/** A run that ended recorded as failed without a report: counted already, not lost. */
class RecordedFailure extends Error {}

function classify(report: RunReport, outcome: FaultCase): void {
  outcome.duplicateExecutions += report.duplicateCompletions ?? 0;
  outcome.throttledInvokes += report.tasks.reduce(
    (sum, task) => sum + (task.invokeRetries ?? 0),
    0,
  );
  if (report.status === "succeeded") {
    const retried = report.tasks.some((task) => (task.attempts ?? 1) > 1);
    if (retried) outcome.recovered += 1;
    else outcome.succeeded += 1;
    return;
  }
  outcome.failed += 1;
  const task = report.error?.taskId ? `${report.error.taskId}: ` : "";
  outcome.reasons.push(`${task}${report.error?.type}: ${report.error?.message?.slice(0, 160)}`);
}

const results: FaultCase[] = [];
/** A case that could not even be injected: the bench fails, not passes by leaving it out. */
const notInjected = (result: FaultCase) =>
  result.notApplicable?.startsWith("could not be injected");
let leftovers: Leftovers | undefined;
try {
  const deadLetterBefore = (await findLeftovers(queuesToCheck)).deadLetterMessages;
  for (const fault of faults) {
    for (const retries of RETRIES) {
      for (const strategy of strategies) {
        const outcome = await runCase(strategy, fault, retries);
        results.push(outcome);
        console.error(
          outcome.notApplicable
            ? `${fault} retries ${retries} ${strategy}: not applicable (${outcome.notApplicable})`
            : `${fault} retries ${retries} ${strategy}: ${outcome.recovered} recovered, ${outcome.succeeded} succeeded, ${outcome.failed} failed, ${outcome.lost} lost, ${outcome.hung} hung, ${outcome.duplicateExecutions} duplicate executions, max ${Math.round(outcome.wallMs.max)} ms`,
        );
        // A run that gave up leaves work going (a hung task runs to its timeout): let it end.
        if (outcome.failed > 0 || fault === "hang") await untilLocalStackIsIdle();
      }
    }
  }
  // Messages of runs that gave up are dropped by the worker once they come back: wait for that.
  const until = Date.now() + 60_000;
  do {
    const found = await findLeftovers(queuesToCheck);
    leftovers = { ...found, deadLetterMessages: found.deadLetterMessages - deadLetterBefore };
    if (leftovers.workQueueMessages === 0 && leftovers.replyQueues.length === 0) break;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  } while (Date.now() < until);
} finally {
  await target.stop();
}

const applicable = results.filter((result) => !result.notApplicable);
const cell = (result: FaultCase) =>
  result.notApplicable
    ? "n/a"
    : `${result.recovered}/${result.succeeded}/${result.failed}/${result.lost}/${result.hung}${result.duplicateExecutions ? ` dup ${result.duplicateExecutions}` : ""}`;
console.log(
  "\nrecovered/succeeded/failed/lost/hung per strategy, fault and retries (measured locally):\n",
);
console.log(`| fault | retries | ${strategies.join(" | ")} |`);
console.log(`| :-- | --: | ${strategies.map(() => ":--").join(" | ")} |`);
for (const fault of faults) {
  for (const retries of RETRIES) {
    const row = strategies.map((strategy) => {
      const result = results.find(
        (candidate) =>
          candidate.strategy === strategy &&
          candidate.fault === fault &&
          candidate.retries === retries,
      );
      return result ? cell(result) : "";
    });
    console.log(`| ${fault} | ${retries} | ${row.join(" | ")} |`);
  }
}
console.log(
  `\nleft behind: ${leftovers?.workQueueMessages ?? "?"} work messages, ${leftovers?.deadLetterMessages ?? "?"} new dead letters, ${leftovers?.replyQueues.length ?? "?"} reply queues`,
);
const lostOrHung = applicable.filter((result) => result.lost > 0 || result.hung > 0);
const broken = results.filter(notInjected);
if (broken.length > 0) {
  console.error(
    `bench:faults: ${broken.length} case(s) could not be injected: ${broken[0]?.notApplicable}`,
  );
  process.exitCode = 1;
}
const stamp = new Date().toISOString().replace(/[:.]/g, "-");
const dir = join(projectRoot, "bench/results");
mkdirSync(dir, { recursive: true });
const file = join(dir, `faults-${stamp}.json`);
const sweep: FaultSweep = {
  generatedAt: new Date().toISOString(),
  environment: environment.description,
  measured: "locally",
  settings: { runs, budgetS, taskMs: TASK_MS, faults, retries: [...RETRIES], strategies },
  results,
  ...(leftovers ? { leftovers } : {}),
};
const json = `${JSON.stringify(sweep, null, 2)}\n`;
writeFileSync(file, json);
// The HTML and Markdown reports show a sweep given to compare (--fault-sweep), a separate measurement.
writeFileSync(join(dir, "faults-latest.json"), json);
console.log(`written: ${file}`);
if (lostOrHung.length > 0) {
  console.error(
    `bench:faults: runs lost or hung in ${lostOrHung.map((result) => `${result.strategy}/${result.fault}/retries ${result.retries}`).join(", ")}`,
  );
  process.exitCode = 1;
}
