/**
 * `npm run bench:calibrate`: measures each hop of the platform the runs go to and writes the
 * parameter set the forecast reads (lib/forecast/parameters.ts). On the local stack: the invoke
 * hop each way, INIT of each kind of function and a cold start's wait beyond it, SQS calls and
 * delivery, Step Functions' execution start, task dispatch and transitions, durable checkpoints,
 * resumes and replays, payload transfer, and the local stack's own CPU per request (read from
 * /proc), which every request queues for on its one core. With `--url` (a deployment on AWS) the
 * same runs calibrate the set against the user's own account: what reports show is measured, and
 * what they cannot show (SQS API calls, the stack's CPU) is kept from the `aws` set and said so.
 *
 * Writes bench/results/parameters-<name>-<timestamp>.json and parameters-<name>-latest.json
 * (`--out FILE` elsewhere; `--save` also replaces the project's own `local` set,
 * lib/forecast/parameterSets/local.json). Not a test: no assertions.
 */

import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { parseArgs } from "node:util";
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { runStrategy } from "../cli/runStrategy.js";
import { AWS_PARAMETERS } from "../lib/forecast/awsParameters.js";
import type { Figure } from "../lib/forecast/figure.js";
import { forecastRuns } from "../lib/forecast/forecastRuns.js";
import { type PlatformParameters, platformParametersSchema } from "../lib/forecast/parameters.js";
import { summarize } from "../lib/report/stats.js";
import type { RunReport, TaskReport } from "../lib/report/types.js";
import { STRATEGY, type StrategyName } from "../lib/strategies/names.js";
import { strategyNamed } from "../lib/strategies/registry.js";
import { planRun } from "../lib/workflow/plan.js";
import { chainWorkflow, wideWorkflow } from "../lib/workflow/shapes.js";
import type { Workflow } from "../lib/workflow/types.js";
import { localClientOptions } from "../localEnvironment/localClients.js";
import { AWS_SQS_SCALING } from "../localEnvironment/pollerScaling.js";
import { LOCALSTACK_ENDPOINT } from "../localEnvironment/settings.js";
import { openBenchTarget, projectRoot } from "./benchTarget.js";
import { localStackPid, treeUsage, usageBetween } from "./localStackUsage.js";

/** The local durable service's retry of a throttled chained invoke: a setting, not a probe. */
const DEX_RUNNER_RETRY =
  "localstack/executor/lab_lambda_executor/dex_runner.py: the local durable service sends a throttled chained invoke again after 50 ms, doubling to 2 s, each pause x (1 + a uniform draw)";
const LOCAL_DURABLE_THROTTLE_RETRY = {
  firstMs: { value: 50, source: DEX_RUNNER_RETRY },
  maxMs: { value: 2_000, source: DEX_RUNNER_RETRY },
};

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "api-key": { type: "string" },
    runs: { type: "string", default: "5" },
    name: { type: "string" },
    out: { type: "string" },
    // Also keeps the set as the project's `local` set (lib/forecast/parameterSets/local.json).
    save: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs > 0)) {
  console.error("bench:calibrate: --runs must be a positive integer");
  process.exit(2);
}
const target = await openBenchTarget(values.url, {}, values["api-key"]);
// The local stack, started here or served (`npm run serve`) and given with --url.
const local = target.environment !== undefined || target.apiUrl.startsWith(LOCALSTACK_ENDPOINT);
const setName = values.name ?? (local ? "local" : "account");
const date = new Date().toISOString().slice(0, 10);
const measuredOn = local
  ? `measured on this machine by npm run bench:calibrate, ${date}`
  : `measured on ${target.apiUrl} by npm run bench:calibrate --url, ${date}`;

async function run(strategy: StrategyName, workflow: Workflow): Promise<RunReport> {
  const report = await runStrategy(
    target.apiUrl,
    strategy,
    { workflow },
    { apiKey: target.apiKey },
  );
  if (report.status !== "succeeded") {
    console.error(`  ${strategy}: ${report.error?.type}: ${report.error?.message}`);
  }
  return report;
}

/** `count` measured runs after one warm-up, in order. */
async function measured(
  strategy: StrategyName,
  workflow: Workflow,
  count = runs,
): Promise<RunReport[]> {
  await run(strategy, workflow);
  const reports: RunReport[] = [];
  for (let index = 0; index < count; index += 1) reports.push(await run(strategy, workflow));
  return reports.filter((report) => report.status === "succeeded");
}

/** CPU (ms) LocalStack's own process and the rest of its tree spent during `act`. */
async function cpuDuring<T>(
  act: () => Promise<T>,
): Promise<{ value: T; usage?: ReturnType<typeof usageBetween> }> {
  if (!local) return { value: await act() };
  const before = treeUsage(localStackPid());
  const value = await act();
  return { value, usage: usageBetween(before, treeUsage(localStackPid())) };
}

const round = (ms: number) => Math.round(ms * 100) / 100;

/** The least-squares slope of y over x (0 with fewer than two distinct x). */
function leastSquaresSlope(points: Array<{ x: number; y: number }>): number {
  const n = points.length;
  if (n < 2) return 0;
  const meanX = points.reduce((sum, { x }) => sum + x, 0) / n;
  const meanY = points.reduce((sum, { y }) => sum + y, 0) / n;
  const sxx = points.reduce((sum, { x }) => sum + (x - meanX) ** 2, 0);
  const sxy = points.reduce((sum, { x, y }) => sum + (x - meanX) * (y - meanY), 0);
  return sxx === 0 ? 0 : sxy / sxx;
}

/** The payload of the per-MB probes: under Step Functions' 256 KB, half the suite's 200 KB. */
const PAYLOAD_PROBE_BYTES = 100_000;

/** Median overheads of a chain of 2 whose first task returns 256 bytes, and PAYLOAD_PROBE_BYTES. */
interface PayloadGrowth {
  smallOverheadMs: number;
  largeOverheadMs: number;
}

const describeGrowth = (growth: PayloadGrowth) =>
  `${Math.round(growth.smallOverheadMs)} -> ${Math.round(growth.largeOverheadMs)} ms of overhead`;

/** The model's median overhead for `workflow` under `strategy` on `parameters` (25 runs, seed 1). */
function forecastOverhead(
  strategy: StrategyName,
  workflow: Workflow,
  parameters: PlatformParameters,
): number {
  const plan = planRun({ runId: "calibrate", strategy, workflow, scale: 1 });
  const simulated = forecastRuns(
    plan,
    strategy,
    strategyNamed(strategy).model,
    { parameters, seed: 1 },
    25,
  ).filter((run) => run.report.status === "succeeded");
  return simulated.length === 0
    ? Number.POSITIVE_INFINITY
    : summarize(simulated.map((run) => run.report.overheadMs)).median;
}

/**
 * For a figure no probe isolates: the candidate whose forecasts of the measured shapes are
 * nearest their measured median overheads (least squares of the log ratios).
 */
function fitFigure(
  shapes: Array<{ strategy: StrategyName; workflow: Workflow; overheadMs: number }>,
  candidates: number[],
  parametersWith: (value: number) => PlatformParameters,
): number {
  return nearestCandidate(candidates, (value) =>
    shapes.reduce((sum, { strategy, workflow, overheadMs }) => {
      const predicted = forecastOverhead(strategy, workflow, parametersWith(value));
      return sum + Math.log(Math.max(predicted, 1) / Math.max(overheadMs, 1)) ** 2;
    }, 0),
  );
}

/**
 * A per-MB figure: the candidate whose forecast grows the chain's overhead from 256 bytes to
 * PAYLOAD_PROBE_BYTES as much as the measurement grew (the model's own transfer counted).
 */
function fitGrowth(
  strategy: StrategyName,
  growth: PayloadGrowth,
  candidates: number[],
  parametersWith: (value: number) => PlatformParameters,
): number {
  const measuredGrowth = growth.largeOverheadMs - growth.smallOverheadMs;
  return nearestCandidate(candidates, (value) => {
    const parameters = parametersWith(value);
    const predictedGrowth =
      forecastOverhead(strategy, payloadChain(PAYLOAD_PROBE_BYTES), parameters) -
      forecastOverhead(strategy, payloadChain(256), parameters);
    return Math.abs(predictedGrowth - measuredGrowth);
  });
}

/** The candidate of least error, the first of equals. */
function nearestCandidate(candidates: number[], errorOf: (value: number) => number): number {
  let best = { value: candidates[0] ?? 0, error: Number.POSITIVE_INFINITY };
  for (const value of candidates) {
    const error = errorOf(value);
    if (error < best.error) best = { value, error };
  }
  return best.value;
}

/** A chain of 2 tasks of 20 ms whose first returns `bytes`. */
const payloadChain = (bytes: number): Workflow => ({
  tasks: [
    { id: "q", fn: "queryData", deps: [], durationMs: 20, outputBytes: bytes },
    { id: "p", fn: "processData", deps: ["q"], durationMs: 20 },
  ],
});
/** A figure from a sample: its median and nearest-rank p95. */
function figureOf(samples: number[], what: string, floorMs = 0.1): Figure {
  const positive = samples.filter(Number.isFinite);
  if (positive.length === 0) throw new Error(`bench:calibrate: no samples of ${what}`);
  const summary = summarize(positive);
  const p50Ms = round(Math.max(summary.median, floorMs));
  return {
    p50Ms,
    p95Ms: round(Math.max(summary.p95, p50Ms)),
    source: `${measuredOn}: ${what}, ${positive.length} samples`,
  };
}
const shift = (figure: Figure, byMs: number, why: string): Figure => {
  const p50Ms = round(Math.max(figure.p50Ms - byMs, 0.1));
  return {
    ...figure,
    p50Ms,
    ...(figure.p95Ms === undefined ? {} : { p95Ms: round(Math.max(figure.p95Ms - byMs, p50Ms)) }),
    ...(figure.p99Ms === undefined ? {} : { p99Ms: round(Math.max(figure.p99Ms - byMs, p50Ms)) }),
    source: `${figure.source}; ${why}`,
  };
};
const tasksOf = (reports: RunReport[]) => reports.flatMap((report) => report.tasks);
const span = (task: TaskReport, from: keyof TaskReport, to: keyof TaskReport) =>
  (task[to] as number) - (task[from] as number);
const warm = (task: TaskReport) => task.coldStart !== true;

console.error(`calibrating ${setName} at ${target.apiUrl} (${runs} runs a shape)`);
try {
  // --- INIT and a cold start's wait. One new environment at a time (each run one task wider
  // than the last, the others warm) gives a cold start with nothing else starting; a burst of runs
  // at once makes new orchestrators; a wide queue run makes new workers.
  console.error("cold starts ...");
  const lone: TaskReport[] = [];
  for (let width = 1; width <= 8; width += 1) {
    const tasks = tasksOf([await run(STRATEGY.fanout, wideWorkflow(width, 50, "processData"))]);
    lone.push(...tasks.filter((task) => task.coldStart));
  }
  const burstTasks = tasksOf([await run(STRATEGY.fanout, wideWorkflow(24, 50))]).filter(
    (task) => task.coldStart,
  );
  const coldTasks = lone.length > 0 ? lone : burstTasks;
  const burst = await Promise.all(
    Array.from({ length: 6 }, () => run(STRATEGY.sequential, chainWorkflow(1, 10))),
  );
  const coldOrchestrators = burst.filter((report) => report.orchestrator?.coldStart);
  const coldWorkers = tasksOf([await run(STRATEGY.queue, wideWorkflow(12, 50))]).filter(
    (task) => task.coldStart,
  );

  // --- The invoke hop, each way, warm, nothing else running.
  console.error("invoke hop ...");
  const sequentialChain = tasksOf(await measured(STRATEGY.sequential, chainWorkflow(6, 50))).filter(
    warm,
  );
  const invokeRequest = figureOf(
    sequentialChain.map((t) => span(t, "invokedAt", "startedAt")),
    "Invoke sent -> handler started (sequential, chain of 6 x 50 ms)",
  );
  const invokeResponse = figureOf(
    sequentialChain.map((t) => span(t, "endedAt", "returnedAt")),
    "handler ended -> answer received (same runs)",
  );
  const initOf = (tasks: TaskReport[], what: string, fallback: Figure) =>
    tasks.length > 0
      ? figureOf(
          tasks.map((t) => t.billing?.initMs ?? 0),
          what,
        )
      : {
          ...fallback,
          source: `${fallback.source} (no cold start was seen: kept from the aws set)`,
        };
  const initTask = initOf(
    coldTasks,
    "INIT of a task function (billed INIT of a lone cold start)",
    AWS_PARAMETERS.lambda.init.task,
  );
  const coldPlacement =
    coldTasks.length > 0
      ? figureOf(
          coldTasks.map(
            (t) =>
              span(t, "invokedAt", "startedAt") - (t.billing?.initMs ?? 0) - invokeRequest.p50Ms,
          ),
          "a lone cold task's Invoke -> handler start, less its INIT and the warm hop",
        )
      : AWS_PARAMETERS.lambda.coldPlacement;
  const initOrchestrator =
    coldOrchestrators.length > 0
      ? figureOf(
          coldOrchestrators.map((r) => r.orchestrator?.initMs ?? 0),
          "INIT of an orchestrator (6 runs at once)",
        )
      : {
          ...AWS_PARAMETERS.lambda.init.orchestrator,
          source: `${AWS_PARAMETERS.lambda.init.orchestrator.source} (no cold orchestrator seen)`,
        };
  const initWorker = initOf(
    coldWorkers,
    "INIT of the queue worker (12-wide queue run, cold workers)",
    AWS_PARAMETERS.lambda.init.worker,
  );

  // --- What the local stack's one core costs each request, seen where requests queue: how much
  // a wider level's overhead grows per task (40 at once, within the concurrency, against 1),
  // and the callers' own CPU per request (/proc).
  console.error("the local stack's time per request ...");
  const overheadOf = (reports: RunReport[]) => summarize(reports.map((r) => r.overheadMs)).median;
  // Two widths within the local concurrency: the cost per task, and how it grows with the
  // environments busy at once (the stack's threads contend for one interpreter).
  const NARROW = 20;
  const WIDE = 60;
  const slope = async (strategy: StrategyName) => {
    const one = overheadOf(await measured(strategy, wideWorkflow(1, 50), 3));
    const narrow = await cpuDuring(() => measured(strategy, wideWorkflow(NARROW, 50), 3));
    const broad = overheadOf(await measured(strategy, wideWorkflow(WIDE, 50), 3));
    const atNarrow = Math.max(0, (overheadOf(narrow.value) - one) / (NARROW - 1));
    const atWide = Math.max(0, (broad - one) / (WIDE - 1));
    return { perTask: atNarrow, atWide, usage: narrow.usage, runs: narrow.value.length + 1 };
  };
  const fanoutSlope = await slope(STRATEGY.fanout);
  // Past the local concurrency (80 wide against 60): what each refused invoke adds, retry and all.
  const concurrencyLimit = local
    ? Number(readFileSync(join(projectRoot, ".local/localstack/lambda-concurrency"), "utf8"))
    : AWS_PARAMETERS.lambda.accountConcurrency.value;
  // Two widths past it, neither in bench:forecast's suite: 1.25x and 2.5x the concurrency.
  const beyondWidths = [Math.round(concurrencyLimit * 1.25), Math.round(concurrencyLimit * 2.5)];
  const throttled: Array<{ width: number; overheadMs: number }> = [];
  for (const width of local ? beyondWidths : []) {
    throttled.push({
      width,
      overheadMs: overheadOf(await measured(STRATEGY.fanout, wideWorkflow(width, 50), 3)),
    });
  }
  const callerCpuPerRequestMs = fanoutSlope.usage
    ? (Object.entries(fanoutSlope.usage.nodeCpuMs).find(([name]) =>
        name.endsWith("-fanout"),
      )?.[1] ?? 0) /
      (fanoutSlope.runs * NARROW)
    : AWS_PARAMETERS.lambda.callerCpuPerRequestMs.value;
  // perTask(w) = c (1 + f w), from the narrow and the wide level: c, the time at no contention,
  // and f, the contention per busy environment.
  const contention = (() => {
    const { perTask: narrow, atWide: broad } = fanoutSlope;
    if (!local || broad <= narrow) return 0;
    const base = (WIDE * narrow - NARROW * broad) / (WIDE - NARROW);
    return base > 0 ? (broad - narrow) / (base * (WIDE - NARROW)) : 0;
  })();
  const atRest = (perTask: number) => perTask / (1 + contention * NARROW);
  const invokeCpuMs = local ? atRest(fanoutSlope.perTask) : 0;
  // A queued task: the orchestrator's send, the mapping's receive, the worker's invoke, its
  // completion's send, the orchestrator's receive and delete: one invoke and five SQS requests.
  const queueSlope = await slope(STRATEGY.queue);
  const sqsRequestCpuMs = local ? Math.max(0, atRest(queueSlope.perTask) - invokeCpuMs) / 5 : 0;
  // A task in a Parallel state: its branch, its Task state and its Lambda's invoke.
  const sfnSlope = await slope(STRATEGY.stepfunctions);
  const stateTransitionCpuMs = local ? Math.max(0, atRest(sfnSlope.perTask) - invokeCpuMs) / 2 : 0;
  // A durable task: its child context, its invoke and its result recorded, each a call to the
  // local durable execution service, which has a core's worth of Python of its own.
  const durableSlope = target.strategies.includes(STRATEGY.durable)
    ? await slope(STRATEGY.durable)
    : undefined;
  const durableOperationCpuMs =
    local && durableSlope ? Math.max(0, durableSlope.perTask - invokeCpuMs) / 3 : 0;

  // --- Payload transfer: 1 MB from queryData to processData, against 256 bytes.
  console.error("payload transfer ...");
  const hopsOf = async (bytes: number) => {
    const tasks = tasksOf(await measured(STRATEGY.sequential, payloadChain(bytes), 3)).filter(warm);
    return (
      summarize(
        tasks.map((t) => span(t, "invokedAt", "startedAt") + span(t, "endedAt", "returnedAt")),
      ).median * 2
    );
  };
  const transferMsPerMb = Math.max(0, ((await hopsOf(1_048_576)) - (await hopsOf(256))) / 2);
  // The same chain carrying 100 KB through a state machine's state and a durable checkpoint.
  const payloadRuns: Partial<Record<StrategyName, PayloadGrowth>> = {};
  for (const strategy of [STRATEGY.stepfunctions, STRATEGY.durable]) {
    if (!local || !target.strategies.includes(strategy)) continue;
    payloadRuns[strategy] = {
      smallOverheadMs: overheadOf(await measured(strategy, payloadChain(256), 3)),
      largeOverheadMs: overheadOf(await measured(strategy, payloadChain(PAYLOAD_PROBE_BYTES), 3)),
    };
  }

  // --- SQS: an API call timed from here (local stack only), delivery and replies from reports.
  console.error("SQS ...");
  let apiCall: Figure = AWS_PARAMETERS.sqs.apiCall;
  if (local) {
    const sqs = new SQSClient(localClientOptions());
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `calibrate-${Date.now()}` }),
    );
    const samples: number[] = [];
    for (let index = 0; index < 30; index += 1) {
      const started = performance.now();
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x".repeat(400) }));
      samples.push(performance.now() - started);
    }
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    apiCall = figureOf(samples.slice(5), "SendMessage from a Node client, round trip");
  }
  const queueChain = tasksOf(await measured(STRATEGY.queue, chainWorkflow(6, 50))).filter(warm);
  const deliveryToWorker = shift(
    figureOf(
      queueChain.map((t) =>
        t.transport ? t.transport.receivedAt - t.transport.sentAt : Number.NaN,
      ),
      "work message sent -> worker started (queue, chain of 6)",
    ),
    apiCall.p50Ms,
    "less the send itself",
  );
  const replyDelivery = shift(
    figureOf(
      queueChain.map((t) =>
        t.transport && t.returnedAt !== undefined
          ? t.returnedAt - t.transport.completedAt
          : Number.NaN,
      ),
      "completion sent -> orchestrator received it (same runs)",
    ),
    apiCall.p50Ms,
    "less the worker's send",
  );

  // --- Step Functions: a single task, a chain of 5, and two side by side.
  console.error("Step Functions ...");
  const sfnOne = await measured(STRATEGY.stepfunctions, chainWorkflow(1, 50));
  const sfnChain = await measured(STRATEGY.stepfunctions, chainWorkflow(5, 50));
  const sfnPair = await measured(STRATEGY.stepfunctions, wideWorkflow(2, 50));
  const taskReturn = shift(
    invokeResponse,
    0,
    "taken as Lambda's answer path (the same in LocalStack)",
  );
  const gaps = sfnChain.flatMap((report) =>
    report.tasks
      .slice(1)
      .map((task, index) => (task.startedAt as number) - (report.tasks[index]?.endedAt as number)),
  );
  const taskDispatch = shift(
    figureOf(gaps, "a task's end -> the next task's start (chain of 5)"),
    taskReturn.p50Ms,
    "less the answer's way back",
  );
  const transition = figureOf(
    [Math.max(0.1, (overheadOf(sfnPair) - overheadOf(sfnOne)) / 2)],
    "half the overhead two tasks in a Parallel state add over one task",
  );
  const startExecution = shift(
    figureOf(
      sfnOne.map((r) => (r.tasks[0]?.startedAt as number) - r.startedAt),
      "run start -> the first task's start (one task)",
    ),
    taskDispatch.p50Ms + transition.p50Ms + callerCpuPerRequestMs,
    "less a dispatch and a transition",
  );
  const endExecution = shift(
    figureOf(
      sfnOne.map((r) => r.endedAt - (r.tasks[0]?.endedAt as number)),
      "the last task's end -> the run's end (one task)",
    ),
    taskReturn.p50Ms + transition.p50Ms,
    "less the answer's way back and a transition",
  );

  // --- durable: a chain of 3, each hop read off the execution's history: a task's end -> its
  // result recorded -> the next replay -> its invoke checkpointed -> the task's start.
  let durable = AWS_PARAMETERS.durable;
  if (target.strategies.includes(STRATEGY.durable)) {
    console.error("durable ...");
    const durableChain = await measured(STRATEGY.durable, chainWorkflow(3, 50));
    const replaysOf = (r: RunReport) => r.durable?.replays ?? [];
    const replayAt = (r: RunReport, at: number) =>
      replaysOf(r).find((replay) => replay.startedAt <= at && at <= replay.endedAt);
    const tasks = durableChain.flatMap((r) => r.tasks.filter(warm).map((task) => ({ r, task })));
    const recorded = tasks.map(({ task }) => span(task, "endedAt", "returnedAt"));
    const resumes = tasks.flatMap(({ r, task }) => {
      const next = replaysOf(r).find(
        (replay) => replay.startedAt >= (task.returnedAt ?? Number.POSITIVE_INFINITY),
      );
      return next && task.returnedAt !== undefined ? [next.startedAt - task.returnedAt] : [];
    });
    const untilInvoke = tasks.flatMap(({ r, task }) => {
      const replay = replayAt(r, task.invokedAt ?? Number.NaN);
      return replay ? [(task.invokedAt as number) - replay.startedAt] : [];
    });
    const afterInvoke = tasks.flatMap(({ r, task }) => {
      const replay = replayAt(r, task.invokedAt ?? Number.NaN);
      return replay ? [replay.endedAt - (task.invokedAt as number)] : [];
    });
    const checkpoint = figureOf(
      recorded,
      "a task's end -> its result recorded (the invoke operation's end)",
    );
    const chainOps = summarize(durableChain.map((r) => r.durable?.operations ?? 0)).median;
    // How a replay's own time grows with the history it replays: a chain of 30, each replay's
    // start -> its invoke, against the operations before it (the least-squares slope).
    const longChain = await measured(STRATEGY.durable, chainWorkflow(30, 20), 2);
    const growth = longChain.flatMap((r) => {
      const replays = replaysOf(r);
      const operationsPerReplay = (r.durable?.operations ?? 0) / Math.max(replays.length, 1);
      return r.tasks.flatMap((task) => {
        const at = task.invokedAt ?? Number.NaN;
        const index = replays.findIndex((replay) => replay.startedAt <= at && at <= replay.endedAt);
        const replay = replays[index];
        return replay ? [{ x: index * operationsPerReplay, y: at - replay.startedAt }] : [];
      });
    });
    const replayPerOperationMs = Math.max(0, leastSquaresSlope(growth));
    durable = {
      startExecution: figureOf(
        durableChain.map((r) => (replaysOf(r)[0]?.startedAt ?? r.startedAt) - r.startedAt),
        "execution start -> first replay start",
      ),
      checkpoint,
      invokeDispatch: figureOf(
        tasks.map(({ task }) => span(task, "invokedAt", "startedAt")),
        "invoke operation started -> the task's handler started",
      ),
      resume: figureOf(resumes, "a result recorded -> the next replay started"),
      replayPerOperationMs: {
        value: round(replayPerOperationMs * 1000) / 1000,
        source: `${measuredOn}: a replay's start -> its invoke, against the operations it replays (chain of 30, least-squares slope over ${growth.length} replays)`,
      },
      replayBase: shift(
        figureOf(untilInvoke, "a replay's start -> its invoke operation started"),
        checkpoint.p50Ms + replayPerOperationMs * chainOps,
        "less the invoke's checkpoint",
      ),
      suspendDelay: figureOf(afterInvoke, "a replay's invoke -> the replay suspended"),
      // Fitted below on the local stack.
      checkpointMsPerMb: AWS_PARAMETERS.durable.checkpointMsPerMb,
      throttleRetry: local ? LOCAL_DURABLE_THROTTLE_RETRY : AWS_PARAMETERS.durable.throttleRetry,
    };
  }

  const concurrency = concurrencyLimit;
  const setting = (value: number, what: string) => ({
    value: round(value),
    source: `${measuredOn}: ${what}`,
  });
  const parameters: PlatformParameters = {
    name: setName,
    description: local
      ? `this machine (${cpus().length} cores): LocalStack 4.14.0 in host mode, the project's thread executor, measured by bench:calibrate`
      : `a deployment at ${target.apiUrl}, measured by bench:calibrate --url; what its reports cannot show is kept from the aws set`,
    date,
    lambda: {
      // The span from the orchestrator's clock holds its own CPU for the request, which the
      // model charges to the caller's thread: taken out here so it is counted once.
      invokeRequest: shift(invokeRequest, callerCpuPerRequestMs, "less the caller's own CPU"),
      invokeResponse,
      init: { task: initTask, orchestrator: initOrchestrator, worker: initWorker },
      coldPlacement,
      idleReapMs: local
        ? {
            value: 600_000,
            source:
              "LocalStack's default keep-alive of an idle environment (10 min; localstack/start.sh)",
          }
        : AWS_PARAMETERS.lambda.idleReapMs,
      accountConcurrency: local
        ? {
            value: concurrency,
            source:
              "localstack/start.sh: 32 per core, capped by memory (.local/localstack/lambda-concurrency)",
          }
        : AWS_PARAMETERS.lambda.accountConcurrency,
      scalingPer10s: local
        ? { value: 1_000_000, source: "LocalStack limits no scaling rate" }
        : AWS_PARAMETERS.lambda.scalingPer10s,
      callerCpuPerRequestMs: setting(
        callerCpuPerRequestMs,
        "the fanout orchestrator's CPU per invoke (100 wide, /proc)",
      ),
    },
    network: {
      transferMsPerMb: setting(
        transferMsPerMb,
        "1 MB between two tasks against 256 bytes, per MB each way",
      ),
    },
    cpu: local
      ? { mode: "shared", cores: { value: cpus().length, source: "os.cpus() of this machine" } }
      : AWS_PARAMETERS.cpu,
    ...(local
      ? {
          stack: {
            invokeCpuMs: setting(
              invokeCpuMs,
              `the local stack's time per invoke: fanout's overhead growth per task, ${NARROW} wide against 1, at no contention`,
            ),
            sqsRequestCpuMs: setting(
              sqsRequestCpuMs,
              "per SQS request: queue's overhead growth per task, less an invoke, over its 5 SQS requests",
            ),
            stateTransitionCpuMs: setting(
              stateTransitionCpuMs,
              "per state: stepfunctions' overhead growth per task in a Parallel state, less an invoke, over its 2 states",
            ),
            // Set below, by the model itself: what makes it reproduce the throttled run.
            throttledInvokeCpuMs: setting(0, "set below"),
            contentionPerBusyEnvironment: {
              value: Math.round(contention * 10_000) / 10_000,
              source: `${measuredOn}: fanout's overhead growth per task at ${WIDE} wide against ${NARROW} wide`,
            },
            durableOperationCpuMs: setting(
              durableOperationCpuMs,
              "per operation of the durable execution service: durable's overhead growth per task, less an invoke, over its 3 calls",
            ),
          },
        }
      : {}),
    sqs: {
      apiCall,
      deliveryToWorker,
      replyDelivery,
      pollers: local
        ? {
            initial: {
              value: AWS_SQS_SCALING.initialConcurrentBatches,
              source:
                "localEnvironment/pollerScaling.ts: the local event source mapping scales as AWS documents",
            },
            addedPerMinute: {
              value: AWS_SQS_SCALING.addedBatchesPerMinute,
              source: "localEnvironment/pollerScaling.ts",
            },
            maximum: {
              value: AWS_SQS_SCALING.maximumConcurrentBatches,
              source: "localEnvironment/pollerScaling.ts",
            },
          }
        : AWS_PARAMETERS.sqs.pollers,
      visibilityTimeoutMs: local
        ? {
            value: 20_000,
            source: "serverless.yml: the work queue's visibility timeout on the local stage",
          }
        : AWS_PARAMETERS.sqs.visibilityTimeoutMs,
      failedRedeliveryMs: AWS_PARAMETERS.sqs.failedRedeliveryMs,
    },
    stepFunctions: {
      startExecution,
      taskDispatch,
      taskReturn,
      transition,
      endExecution,
      retryIntervalMs: AWS_PARAMETERS.stepFunctions.retryIntervalMs,
      standardTaskDispatch: {
        ...taskDispatch,
        source: `${taskDispatch.source} (LocalStack runs Standard as Express)`,
      },
      // Fitted below on the local stack.
      payloadMsPerMb: AWS_PARAMETERS.stepFunctions.payloadMsPerMb,
    },
    durable,
  };
  // What a refused invoke costs the local stack has no probe of its own: it is fitted by the
  // model, on shapes the validation suite does not hold (fanout past the concurrency, at two
  // widths): the cost, in whole ms, whose forecast overheads are nearest the measured ones.
  let throttledInvokeCpuMs = 0;
  const stack = parameters.stack;
  if (stack && throttled.length > 0) {
    throttledInvokeCpuMs = fitFigure(
      throttled.map(({ width, overheadMs }) => ({
        strategy: STRATEGY.fanout,
        workflow: wideWorkflow(width, 50),
        overheadMs,
      })),
      Array.from({ length: 101 }, (_, cost) => cost),
      (cost) => ({ ...parameters, stack: { ...stack, throttledInvokeCpuMs: setting(cost, "") } }),
    );
    stack.throttledInvokeCpuMs = setting(
      throttledInvokeCpuMs,
      `fitted: the model's nearest to fanout past the concurrency of ${concurrencyLimit} (${throttled.map(({ width, overheadMs }) => `${width} wide: ${Math.round(overheadMs)} ms of overhead`).join(", ")})`,
    );
  }
  // What a larger state or checkpoint costs beyond its transfer has no probe of its own either:
  // fitted on a chain of 2 whose first task returns 100 KB, against 256 bytes (the validation
  // suite's payload cell carries 200 KB), as the model's nearest to the growth in overhead.
  const perMbCandidates = Array.from({ length: 201 }, (_, step) => step * 10);
  if (local && payloadRuns.stepfunctions) {
    const value = fitGrowth(
      STRATEGY.stepfunctions,
      payloadRuns.stepfunctions,
      perMbCandidates,
      (v) => ({
        ...parameters,
        stepFunctions: { ...parameters.stepFunctions, payloadMsPerMb: setting(v, "") },
      }),
    );
    parameters.stepFunctions.payloadMsPerMb = setting(
      value,
      `fitted: the model's nearest to stepfunctions' overhead growth from a 256-byte to a 100 KB result in a chain of 2, the payload each way of its Task states (${describeGrowth(payloadRuns.stepfunctions)})`,
    );
  }
  if (local && payloadRuns.durable) {
    const value = fitGrowth(STRATEGY.durable, payloadRuns.durable, perMbCandidates, (v) => ({
      ...parameters,
      durable: { ...parameters.durable, checkpointMsPerMb: setting(v, "") },
    }));
    parameters.durable.checkpointMsPerMb = setting(
      value,
      `fitted: the model's nearest to durable's overhead growth from a 256-byte to a 100 KB result in a chain of 2 (${describeGrowth(payloadRuns.durable)})`,
    );
  }
  const parsed = platformParametersSchema.parse(parameters);
  const dir = join(projectRoot, "bench/results");
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(parsed, null, 2)}\n`;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const files = values.out
    ? [values.out]
    : [
        join(dir, `parameters-${setName}-${stamp}.json`),
        join(dir, `parameters-${setName}-latest.json`),
      ];
  if (values.save) files.push(join(projectRoot, "lib/forecast/parameterSets/local.json"));
  for (const file of files) writeFileSync(file, text);
  console.log(
    [
      `invoke ${parsed.lambda.invokeRequest.p50Ms} + ${parsed.lambda.invokeResponse.p50Ms} ms, INIT task ${parsed.lambda.init.task.p50Ms} / orchestrator ${parsed.lambda.init.orchestrator.p50Ms} / worker ${parsed.lambda.init.worker.p50Ms} ms, cold placement ${parsed.lambda.coldPlacement.p50Ms} ms`,
      `stack time: invoke ${round(invokeCpuMs)} ms, SQS request ${round(sqsRequestCpuMs)} ms, transition ${round(stateTransitionCpuMs)} ms, durable operation ${round(durableOperationCpuMs)} ms, refused invoke ${round(throttledInvokeCpuMs)} ms; caller ${round(callerCpuPerRequestMs)} ms a request`,
      `SQS: call ${parsed.sqs.apiCall.p50Ms} ms, delivery ${parsed.sqs.deliveryToWorker.p50Ms} ms, reply ${parsed.sqs.replyDelivery.p50Ms} ms`,
      `Step Functions: start ${startExecution.p50Ms}, dispatch ${taskDispatch.p50Ms}, return ${taskReturn.p50Ms}, transition ${transition.p50Ms}, end ${endExecution.p50Ms} ms`,
      `durable: start ${durable.startExecution.p50Ms}, checkpoint ${durable.checkpoint.p50Ms}, dispatch ${durable.invokeDispatch.p50Ms}, resume ${durable.resume.p50Ms}, replay ${durable.replayBase.p50Ms} + ${durable.replayPerOperationMs.value}/operation ms`,
      `transfer ${round(transferMsPerMb)} ms/MB; written: ${files.join(", ")}`,
    ].join("\n"),
  );
} finally {
  await target.stop();
}
