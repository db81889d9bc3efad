/**
 * bench:calibrate's measurement: each hop of the platform a target runs on, timed by runs of the
 * strategies there, turned into the parameter set the forecast reads (lib/forecast/parameters.ts).
 * On the local stack: the invoke hop each way, INIT of each kind of function and a cold start's
 * wait beyond it, SQS calls and delivery, Step Functions' execution start, task dispatch and
 * transitions, durable checkpoints, resumes and replays, payload transfer, and the local stack's
 * own time per request, which every request queues for on its one core. Against a deployment on
 * AWS, what reports show is measured, and what they cannot show (SQS API calls, the stack's CPU) is
 * kept from the `aws` set and said so. bench:calibrate and bench:forecast (which calibrates on the
 * stack it then validates on) both call it. Longer than ~400 lines: the probes that stand alone
 * are modules of their own; what is left measures and fits figures that rest on each other.
 */
import { readFileSync } from "node:fs";
import { cpus } from "node:os";
import { join } from "node:path";
import { projectRoot, type Session } from "../../cli/session.js";
import { AWS_PARAMETERS } from "../../lib/forecast/awsParameters.js";
import { WORK_QUEUE_MAXIMUM_CONCURRENCY } from "../../lib/forecast/forecastRuns.js";
import {
  type PlatformParameters,
  platformParametersSchema,
} from "../../lib/forecast/parameters.js";
import { summarize } from "../../lib/stats/stats.js";
import { STRATEGY, type StrategyName } from "../../lib/strategies/names.js";
import { SEED_WORKFLOW } from "../../lib/workflow/defaults.js";
import { wideWorkflow } from "../../lib/workflow/shapes.js";
import { AWS_SQS_SCALING } from "../../localEnvironment/pollerScaling.js";
import { LONG_POLL_SECONDS } from "../../localEnvironment/SqsEventSourceMapping.js";
import { withinLocalConcurrency } from "../../localEnvironment/startLocalEnvironment.js";
import { untilLocalStackIsIdle } from "../localStackIdle.js";
import { localStackPid, treeUsage, usageBetween } from "../localStackUsage.js";
import { probeDurable } from "./durableProbe.js";
import {
  fitFigure,
  overheadOf,
  PAYLOAD_PROBE_BYTES,
  type PayloadGrowth,
  payloadChain,
  round,
  shift,
  span,
  tasksOf,
  warm,
} from "./fit.js";
import { fitStackFigures } from "./fitStackFigures.js";
import { probeLambda } from "./lambdaProbe.js";
import { probeOn } from "./probe.js";
import { probeSqs } from "./sqsProbe.js";
import { probeStepFunctions } from "./stepFunctionsProbe.js";

/**
 * An own function's measured time, split between its calls into the local stack and its own CPU:
 * no probe splits it (the calibration runs no function of the user's), so half, labelled.
 */
export const OWN_FUNCTION_CALLS_SHARE = {
  value: 0.5,
  source:
    "assumption: half an own function's measured time is its calls into the local stack (it could be 0 to 1; no probe splits it). The sales-report example's parts, for one, read an S3 object (a call) and parse it (their own CPU)",
};

/**
 * How much of a SendMessage's round trip comes before its message can be received: no probe
 * splits it, so half, labelled. Measured spans say it is well short of all of it (2026-12-07): a
 * worker's completion reached the orchestrator 11-14 ms after the worker began its send, while the
 * orchestrator's own SendMessage took 20-26 ms to answer it (two calibrations that day).
 */
export const SENT_SHARE = {
  value: 0.5,
  source:
    "assumption: half a SendMessage's round trip, as its caller times it, comes before its message can be received (it could be 0 to 1; no probe splits it). Measured spans say well short of all of it (2026-12-07): a worker's completion reached the orchestrator 11-14 ms after the worker began its send, the orchestrator's own SendMessage took 20-26 ms to answer (two calibrations that day)",
};

/** Widths of the wide runs the stack's per-request figures are fitted on: not the suite's 10, 100, 1,000. */
const FIT_WIDTHS = [40, 150];

export interface Calibration {
  parameters: PlatformParameters;
  /** What was measured, a few lines for the console. */
  summary: string[];
}

/** Calibrates a parameter set on `target` (`runs` measured runs a shape). */
export async function calibratePlatform(
  target: Session,
  options: {
    runs: number;
    name?: string;
    log?: (line: string) => void;
    /** The command calibrating, for the figures' sources (default npm run bench:calibrate). */
    by?: string;
  },
): Promise<Calibration> {
  const log = options.log ?? ((line: string) => console.error(line));
  const by = options.by ?? "npm run bench:calibrate";
  const probe = probeOn(target, options.runs, log, by);
  const { local, measuredOn, date, run, measured } = probe;
  const setName = options.name ?? (local ? "local" : "account");

  /** CPU (ms) LocalStack's own process and the rest of its tree spent during `act`. */
  const cpuDuring = async <T>(
    act: () => Promise<T>,
  ): Promise<{ value: T; usage?: ReturnType<typeof usageBetween> }> => {
    if (!local) return { value: await act() };
    const before = treeUsage(localStackPid());
    const value = await act();
    return { value, usage: usageBetween(before, treeUsage(localStackPid())) };
  };

  log(`calibrating ${setName} at ${target.apiUrl} (${options.runs} runs a shape)`);
  if (local) {
    // A stack just started and deployed runs slower for a while (measured: hops half again as
    // long in a calibration begun at once): every strategy runs the seed a few times first,
    // then the stack is left until its CPU is quiet.
    log("settling the stack ...");
    for (const strategy of target.strategies) {
      for (let index = 0; index < 3; index += 1) await run(strategy, SEED_WORKFLOW);
    }
    await untilLocalStackIsIdle();
  }
  const { invokeRequest, invokeResponse, initTask, coldPlacement, initOrchestrator, initWorker } =
    await probeLambda(probe);

  // --- What the local stack's one core costs each request, seen where requests queue: how much
  // a wider level's overhead grows per task (40 at once, within the concurrency, against 1),
  // and the callers' own CPU per request (/proc).
  log("the local stack's time per request ...");
  // Two widths within the local concurrency: the cost per task, and how it grows with the
  // environments busy at once (the stack's threads contend for one interpreter).
  const NARROW = 20;
  const WIDE = 60;
  // Six runs a width: a slope is the difference of two medians a few ms apart, and with three
  // runs a width the time per invoke came out 4.0 and 0.5 ms on two starts of the same stack.
  const SLOPE_RUNS = 6;
  const slope = async (strategy: StrategyName) => {
    const one = overheadOf(await measured(strategy, wideWorkflow(1, 50), SLOPE_RUNS));
    const narrow = await cpuDuring(() => measured(strategy, wideWorkflow(NARROW, 50), SLOPE_RUNS));
    const broad = overheadOf(await measured(strategy, wideWorkflow(WIDE, 50), SLOPE_RUNS));
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
        name.endsWith(`-${STRATEGY.fanout}`),
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
  // A wide queue or durable run is bound by the stack's time per request, the poller ramp, the
  // reply batching and the throttles all at once, which no slope at 20 wide separates: measured at
  // two widths the validation suite does not hold, for the model itself to fit below.
  const wideRuns: Array<{ strategy: StrategyName; width: number; overheadMs: number }> = [];
  for (const strategy of [STRATEGY.queue, STRATEGY.durable]) {
    if (!local || !target.strategies.includes(strategy)) continue;
    for (const width of FIT_WIDTHS) {
      const overheadMs = overheadOf(await measured(strategy, wideWorkflow(width, 50), 3));
      wideRuns.push({ strategy, width, overheadMs });
    }
  }

  // --- Payload transfer: 1 MB from queryData to processData, against 256 bytes.
  log("payload transfer ...");
  const hopsOf = async (bytes: number) => {
    const tasks = tasksOf(await measured(STRATEGY.sequential, payloadChain(bytes), 3)).filter(warm);
    return (
      summarize(
        tasks.map((t) => span(t, "invokedAt", "startedAt") + span(t, "endedAt", "returnedAt")),
      ).median * 2
    );
  };
  const transferMsPerMb = Math.max(0, ((await hopsOf(1_048_576)) - (await hopsOf(256))) / 2);
  // The same chain carrying 100 KB through a state machine's state and a durable checkpoint. The
  // growth is a difference of two medians 0-20 ms apart, as large as the stack's own drift over a
  // dozen runs in a row: the two sizes run in turn, twenty each after a warm-up of each. (Six of
  // one then six of the other fitted the queue's per MB at 0, 60, 70 and about 80 ms on four
  // calibrations of one day; the suite's 200 KB cell measured 59-66 ms of overhead in all four.
  // Eight in turn, four times over on one stack, grew a chain of 2 x 100 ms under queue by 3, 13,
  // 11 and 17 ms: a difference of medians that wants more runs.)
  const PAYLOAD_RUNS = 20;
  const payloadGrowthOf = async (strategy: StrategyName): Promise<PayloadGrowth> => {
    const [small = [], large = []] = await probe.measuredInTurn(
      strategy,
      [payloadChain(256), payloadChain(PAYLOAD_PROBE_BYTES)],
      PAYLOAD_RUNS,
    );
    return { smallOverheadMs: overheadOf(small), largeOverheadMs: overheadOf(large) };
  };
  const payloadRuns: Partial<Record<StrategyName, PayloadGrowth>> = {};
  for (const strategy of [STRATEGY.queue, STRATEGY.stepfunctions, STRATEGY.durable]) {
    if (!local || !target.strategies.includes(strategy)) continue;
    payloadRuns[strategy] = await payloadGrowthOf(strategy);
  }

  const { apiCall, deliveryToWorker, replyDelivery, spanned: sqsSpans } = await probeSqs(probe);
  const stepFunctions = await probeStepFunctions(probe, { invokeResponse, callerCpuPerRequestMs });
  const { taskDispatch, taskReturn } = stepFunctions;
  const { durable, spanned: durableSpans } = await probeDurable(probe);

  const concurrency = concurrencyLimit;
  const setting = (value: number, what: string) => ({
    value: round(value),
    source: `${measuredOn}: ${what}`,
  });
  const parameters: PlatformParameters = {
    name: setName,
    description: local
      ? `this machine (${cpus().length} cores): LocalStack 4.14.0 in host mode, the project's thread executor, measured by ${by}`
      : `a deployment at ${target.apiUrl}, measured by ${by} --url; what its reports cannot show is kept from the aws set`,
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
            ownFunctionCallsShare: OWN_FUNCTION_CALLS_SHARE,
          },
        }
      : {}),
    sqs: {
      apiCall,
      ...(local ? { sentShare: SENT_SHARE } : {}),
      deliveryToWorker,
      replyDelivery,
      // Fitted below on the local stack; elsewhere the network's.
      transferMsPerMb: {
        value: round(transferMsPerMb),
        source: `assumption: as network.transferMsPerMb (${measuredOn}); no probe of an SQS message's own`,
      },
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
              value:
                withinLocalConcurrency(WORK_QUEUE_MAXIMUM_CONCURRENCY, concurrency) ??
                WORK_QUEUE_MAXIMUM_CONCURRENCY,
              source:
                "localEnvironment/startLocalEnvironment.ts: the local mapping's MaximumConcurrency (serverless.yml), kept under the local Lambda's concurrency less room for the orchestrators",
            },
            idleAfterMs: {
              value: LONG_POLL_SECONDS * 1000,
              source: `localEnvironment/SqsEventSourceMapping.ts: the local mapping counts the queue busy from a receive that returned messages until one comes back empty, after its ${LONG_POLL_SECONDS} s long poll`,
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
      ...stepFunctions.withTransition(
        stepFunctions.transitionEstimateMs,
        "first estimate, fitted below on the local stack",
      ),
      taskDispatch,
      taskReturn,
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
  // A state transition: the model's nearest to the ladder of Parallel states (the execution's
  // start and end, which rest on it, follow each candidate).
  if (local) {
    const { ladder } = stepFunctions;
    const value = fitFigure(
      [
        {
          strategy: STRATEGY.stepfunctions,
          workflow: ladder.workflow,
          overheadMs: ladder.overheadMs,
        },
      ],
      Array.from({ length: 61 }, (_, step) => 0.1 + step * 0.5),
      (candidate) => ({
        ...parameters,
        stepFunctions: {
          ...parameters.stepFunctions,
          ...stepFunctions.withTransition(candidate, ""),
        },
      }),
    );
    Object.assign(
      parameters.stepFunctions,
      stepFunctions.withTransition(
        value,
        `fitted: the model's nearest to a ladder of Parallel states of 2 tasks (${Math.round(ladder.overheadMs)} ms of overhead)`,
      ),
    );
  }
  const { shifts } = fitStackFigures(parameters, {
    measuredOn,
    wideRuns,
    payloadRuns,
    spanned: [...sqsSpans, ...durableSpans],
  });
  const parsed = platformParametersSchema.parse(parameters);
  return {
    parameters: parsed,
    summary: [
      `invoke ${parsed.lambda.invokeRequest.p50Ms} + ${parsed.lambda.invokeResponse.p50Ms} ms, INIT task ${parsed.lambda.init.task.p50Ms} / orchestrator ${parsed.lambda.init.orchestrator.p50Ms} / worker ${parsed.lambda.init.worker.p50Ms} ms, cold placement ${parsed.lambda.coldPlacement.p50Ms} ms`,
      `stack time: invoke ${round(invokeCpuMs)} ms, SQS request ${parsed.stack?.sqsRequestCpuMs.value ?? 0} ms, transition ${round(stateTransitionCpuMs)} ms, durable operation ${parsed.stack?.durableOperationCpuMs.value ?? 0} ms, refused invoke ${round(throttledInvokeCpuMs)} ms; caller ${round(callerCpuPerRequestMs)} ms a request`,
      `SQS: call ${parsed.sqs.apiCall.p50Ms} ms, delivery ${parsed.sqs.deliveryToWorker.p50Ms} ms, reply ${parsed.sqs.replyDelivery.p50Ms} ms`,
      `Step Functions: start ${parsed.stepFunctions.startExecution.p50Ms}, dispatch ${taskDispatch.p50Ms}, return ${taskReturn.p50Ms}, transition ${parsed.stepFunctions.transition.p50Ms}, end ${parsed.stepFunctions.endExecution.p50Ms} ms`,
      `durable: start ${durable.startExecution.p50Ms}, checkpoint ${durable.checkpoint.p50Ms}, dispatch ${durable.invokeDispatch.p50Ms}, resume ${durable.resume.p50Ms}, replay ${durable.replayBase.p50Ms} + ${durable.replayPerOperationMs.value}/operation, last replay +${durable.lastReplay?.p50Ms ?? 0} ms`,
      `transfer ${round(transferMsPerMb)} ms/MB`,
      `matched to the measured spans: ${shifts.map(({ what, byMs }) => `${what} ${byMs > 0 ? "+" : ""}${byMs} ms`).join(", ")}`,
    ],
  };
}
