import { z } from "zod";
import { figureSchema } from "./figure.js";

/** A figure that is a count or a duration set by a document or a setting, not a latency. */
const settingSchema = z.object({ value: z.number().min(0), source: z.string().min(1) });
export type Setting = z.infer<typeof settingSchema>;

/**
 * How CPU is shared. On AWS each execution environment has a share of its own by memory size
 * (1,769 MB = one vCPU); on this machine every environment and the local stack itself share the
 * machine's cores.
 */
const cpuSchema = z.discriminatedUnion("mode", [
  z.object({ mode: z.literal("perEnvironment"), mbPerVcpu: settingSchema }),
  z.object({ mode: z.literal("shared"), cores: settingSchema }),
]);

/**
 * The local stack's own CPU per request, in ms of one core: LocalStack serves every request on
 * one Python core, so requests queue behind each other there. Absent on AWS.
 */
const stackSchema = z.object({
  invokeCpuMs: settingSchema,
  sqsRequestCpuMs: settingSchema,
  stateTransitionCpuMs: settingSchema,
  durableOperationCpuMs: settingSchema,
  /** An invoke refused past the concurrency limit (429): its time on the stack, retry and all. */
  throttledInvokeCpuMs: settingSchema,
  /**
   * How much slower the stack serves each request per execution environment busy at the time
   * (its Python threads contend for one interpreter): a request costs its time x (1 + this x busy).
   */
  contentionPerBusyEnvironment: settingSchema,
  /**
   * The share (0-1) of an own function's measured time that is its calls into the local stack
   * (its AWS SDK calls go to LocalStack): served on the stack's one core, shared with the other
   * own functions' calls at the time; the rest is the function's own CPU. Optional: a set
   * calibrated before it existed reads 0.
   */
  ownFunctionCallsShare: settingSchema.optional(),
});

/** The durable execution service: checkpoints, replays, chained invokes. */
export const durableParametersSchema = z.object({
  /** The orchestrator's invocation starts the execution: its first replay's extra latency. */
  startExecution: figureSchema,
  /** One checkpoint call (a batch of operations). */
  checkpoint: figureSchema,
  /**
   * The first replay's steps before its first invoke that keep the run's record: accepting the run
   * and marking it started, each a write of the record and a checkpoint. Optional: a set calibrated
   * before it existed reads 0.
   */
  runRecordStart: figureSchema.optional(),
  /** A checkpointed invoke -> the target's handler starts. */
  invokeDispatch: figureSchema,
  /** A target's result -> the orchestrator's next replay starts. */
  resume: figureSchema,
  /**
   * The replay that ends the run takes this much longer than a resume and a replay's base: the
   * run's end is stamped on the orchestrator's own clock, which starts only once the service's
   * invoke has reached the handler and the SDK has loaded the execution's state, where the
   * earlier replays' spans are the service's stamps. Optional: a set calibrated before it existed
   * (or where the resume is timed on the orchestrator's own clock, as AWS's published one is)
   * reads 0.
   */
  lastReplay: figureSchema.optional(),
  /** A replay's own time besides checkpoints: per operation of history it replays. */
  replayPerOperationMs: settingSchema,
  /** A replay's fixed time besides checkpoints: loading the state, the handler's own work. */
  replayBase: figureSchema,
  /** A checkpoint takes this much longer per MB of payload it records, beyond its transfer. */
  checkpointMsPerMb: settingSchema,
  /** A replay that started invokes waits this long for more progress before it suspends. */
  suspendDelay: figureSchema,
  /**
   * A chained invoke refused past the concurrency (429) is sent again by the service after
   * `firstMs`, doubling up to `maxMs`, each wait stretched by a uniform 0-100 % (jitter).
   */
  throttleRetry: z.object({ firstMs: settingSchema, maxMs: settingSchema }),
});
export type DurableParameters = z.infer<typeof durableParametersSchema>;

/**
 * A platform as the forecast models it: every latency and limit it draws from, each with its
 * source. `aws` (lib/forecast/awsParameters.ts) is written from published measurements and
 * documented limits; `local` is what `npm run bench:calibrate` measured on this machine; a set
 * calibrated against a deployment (`bench:calibrate --url`) is the user's own account.
 */
export const platformParametersSchema = z.object({
  name: z.string().min(1),
  /** One line for a reader: where the figures come from. */
  description: z.string(),
  /** ISO date the set was measured or its sources read. */
  date: z.string(),
  lambda: z.object({
    /** Caller sends Invoke -> the handler starts, warm. */
    invokeRequest: figureSchema,
    /** The handler returns -> the caller has the answer. */
    invokeResponse: figureSchema,
    /** INIT of a new execution environment, by what the function loads. */
    init: z.object({ task: figureSchema, orchestrator: figureSchema, worker: figureSchema }),
    /** A cold start's wait beyond INIT: placing the environment, fetching the code. */
    coldPlacement: figureSchema,
    /** An idle environment is kept warm this long, then reaped. */
    idleReapMs: settingSchema,
    accountConcurrency: settingSchema,
    /** New environments each function may add every 10 s. */
    scalingPer10s: settingSchema,
    /** A caller's own CPU (ms of a full core) to make one request: the SDK building and signing it. */
    callerCpuPerRequestMs: settingSchema,
  }),
  network: z.object({
    /** Moving a payload: ms per MB, each way it travels (Invoke, SQS, Step Functions' state). */
    transferMsPerMb: settingSchema,
  }),
  cpu: cpuSchema,
  stack: stackSchema.optional(),
  sqs: z.object({
    /** One SQS API call (SendMessage, ReceiveMessage with a message waiting, DeleteMessage). */
    apiCall: figureSchema,
    /**
     * The share (0-1) of a SendMessage's round trip, as its caller times it, before the message
     * can be received: the rest is the answer's way back to the sender. Optional: a set without
     * it reads 1, the message receivable only once its sender has the answer.
     */
    sentShare: settingSchema.optional(),
    /** A message sent -> the worker's handler starts, through the event source mapping. */
    deliveryToWorker: figureSchema,
    /** A completion sent -> the orchestrator's long poll returns it. */
    replyDelivery: figureSchema,
    /**
     * A message's payload, per MB, on each leg through SQS: a work message's send and its
     * delivery, a completion's send (its receive is one of a batch, in replyDelivery).
     */
    // Optional: a set calibrated before it existed reads as the network's figure.
    transferMsPerMb: settingSchema.optional(),
    pollers: z.object({
      initial: settingSchema,
      addedPerMinute: settingSchema,
      maximum: settingSchema,
      /**
       * Pollers are added from a receive that returned messages until a poller with a free batch
       * slot has found the queue empty for this long (its long poll came back empty). Optional:
       * absent reads 0, idle as soon as such a poller finds nothing.
       */
      idleAfterMs: settingSchema.optional(),
    }),
    /** A killed worker's message comes back after this. */
    visibilityTimeoutMs: settingSchema,
    /** A failed task's message, its visibility shortened by the worker, comes back after this. */
    failedRedeliveryMs: settingSchema,
  }),
  stepFunctions: z.object({
    /** StartSyncExecution sent -> the first state runs. */
    startExecution: figureSchema,
    /** A Task state entered -> its Lambda's handler starts. */
    taskDispatch: figureSchema,
    /** The Lambda returns -> the next state is entered. */
    taskReturn: figureSchema,
    /** Any other state transition (Pass, entering or leaving a Parallel state, a branch). */
    transition: figureSchema,
    /** The last state done -> StartSyncExecution answers. */
    endExecution: figureSchema,
    /** Seconds between the Task state's retries (its Retry's IntervalSeconds). */
    retryIntervalMs: settingSchema,
    /** A Standard workflow's Task state entered -> its Lambda's handler starts. */
    standardTaskDispatch: figureSchema,
    /** A Task's Lambda payload, each way, takes this much longer per MB beyond its transfer. */
    payloadMsPerMb: settingSchema,
  }),
  durable: durableParametersSchema,
});
export type PlatformParameters = z.infer<typeof platformParametersSchema>;

/**
 * Every figure of a set that is an assumption, by its path (e.g. `lambda.invokeRequest`): what a
 * forecast from the set rests on beyond published measurements.
 */
export function assumptionsOf(parameters: PlatformParameters): string[] {
  const found: string[] = [];
  const visit = (value: unknown, path: string) => {
    if (value === null || typeof value !== "object") return;
    if ("assumption" in value && value.assumption !== undefined) found.push(path);
    else if ("source" in value && typeof value.source === "string") {
      if (value.source.startsWith("assumption")) found.push(path);
      return;
    }
    for (const [key, inner] of Object.entries(value)) {
      visit(inner, path ? `${path}.${key}` : key);
    }
  };
  visit(parameters, "");
  return found;
}
