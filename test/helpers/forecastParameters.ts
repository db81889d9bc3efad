import { constantFigure, type Figure } from "../../lib/forecast/figure.js";
import type { PlatformParameters } from "../../lib/forecast/parameters.js";

const SOURCE = "test: fixed";

/** Every latency of a platform, by its path: each is a constant figure (p50 == p99) in the helper. */
export type FixedLatency =
  | "lambda.invokeRequest"
  | "lambda.invokeResponse"
  | "lambda.init.task"
  | "lambda.init.orchestrator"
  | "lambda.init.worker"
  | "lambda.coldPlacement"
  | "sqs.apiCall"
  | "sqs.deliveryToWorker"
  | "sqs.replyDelivery"
  | "stepFunctions.startExecution"
  | "stepFunctions.taskDispatch"
  | "stepFunctions.taskReturn"
  | "stepFunctions.transition"
  | "stepFunctions.endExecution"
  | "stepFunctions.standardTaskDispatch"
  | "durable.startExecution"
  | "durable.checkpoint"
  | "durable.runRecordStart"
  | "durable.invokeDispatch"
  | "durable.resume"
  | "durable.lastReplay"
  | "durable.replayBase"
  | "durable.suspendDelay";

/** Every count or duration setting of a platform, by its path. */
export type FixedSetting =
  | "lambda.idleReapMs"
  | "lambda.accountConcurrency"
  | "lambda.scalingPer10s"
  | "lambda.callerCpuPerRequestMs"
  | "network.transferMsPerMb"
  | "sqs.transferMsPerMb"
  | "sqs.pollers.initial"
  | "sqs.pollers.addedPerMinute"
  | "sqs.pollers.maximum"
  | "sqs.visibilityTimeoutMs"
  | "sqs.failedRedeliveryMs"
  | "stepFunctions.retryIntervalMs"
  | "durable.replayPerOperationMs"
  | "stepFunctions.payloadMsPerMb"
  | "durable.checkpointMsPerMb"
  | "durable.throttleRetry.firstMs"
  | "durable.throttleRetry.maxMs";

export type FixedOverrides = Partial<Record<FixedLatency | FixedSetting, number>>;

/** The settings' values unless overridden: AWS's documented limits, no caller CPU, free transfer. */
const DEFAULT_SETTINGS: Record<FixedSetting, number> = {
  "lambda.idleReapMs": 10 * 60_000,
  "lambda.accountConcurrency": 1000,
  "lambda.scalingPer10s": 1000,
  "lambda.callerCpuPerRequestMs": 0,
  "network.transferMsPerMb": 0,
  "sqs.transferMsPerMb": 0,
  "sqs.pollers.initial": 5,
  "sqs.pollers.addedPerMinute": 300,
  "sqs.pollers.maximum": 1000,
  "sqs.visibilityTimeoutMs": 180_000,
  "sqs.failedRedeliveryMs": 1500,
  "stepFunctions.retryIntervalMs": 1000,
  "durable.replayPerOperationMs": 0,
  "stepFunctions.payloadMsPerMb": 0,
  "durable.checkpointMsPerMb": 0,
  "durable.throttleRetry.firstMs": 1000,
  "durable.throttleRetry.maxMs": 1000,
};

/** The CPU of the AWS platform: each environment its own share, one vCPU at 1,769 MB. */
export const PER_ENVIRONMENT_CPU: PlatformParameters["cpu"] = {
  mode: "perEnvironment",
  mbPerVcpu: { value: 1769, source: SOURCE },
};

/** CPU shared by every environment, as on this machine: `cores` cores, processor sharing. */
export function sharedCpu(cores: number): PlatformParameters["cpu"] {
  return { mode: "shared", cores: { value: cores, source: SOURCE } };
}

type Stack = NonNullable<PlatformParameters["stack"]>;
/** The local stack's figures by name: ms of its core per request, the contention, the share. */
export type StackCosts = Partial<Record<keyof Stack, number>>;

/**
 * A local stack whose figures are `costs` (0 unless said; the own-function calls share only when
 * given, as a set from before it has none), for `{ ...fixedPlatform(...), stack: localStack() }`.
 */
export function localStack(costs: StackCosts = {}): Stack {
  const setting = (key: keyof Stack) => ({ value: costs[key] ?? 0, source: SOURCE });
  return {
    invokeCpuMs: setting("invokeCpuMs"),
    sqsRequestCpuMs: setting("sqsRequestCpuMs"),
    stateTransitionCpuMs: setting("stateTransitionCpuMs"),
    durableOperationCpuMs: setting("durableOperationCpuMs"),
    throttledInvokeCpuMs: setting("throttledInvokeCpuMs"),
    contentionPerBusyEnvironment: setting("contentionPerBusyEnvironment"),
    ...(costs.ownFunctionCallsShare === undefined
      ? {}
      : { ownFunctionCallsShare: setting("ownFunctionCallsShare") }),
  };
}

/**
 * A platform whose every latency is a constant (0 unless overridden), so that a forecast's times
 * can be worked out by hand: no local stack, CPU per environment unless `cpu` says otherwise.
 *
 * @example
 * fixedPlatform({ "lambda.invokeRequest": 7, "lambda.accountConcurrency": 2001 })
 */
export function fixedPlatform(
  overrides: FixedOverrides = {},
  cpu: PlatformParameters["cpu"] = PER_ENVIRONMENT_CPU,
): PlatformParameters {
  const latency = (path: FixedLatency): Figure => constantFigure(overrides[path] ?? 0, SOURCE);
  const setting = (path: FixedSetting) => ({
    value: overrides[path] ?? DEFAULT_SETTINGS[path],
    source: SOURCE,
  });
  return {
    name: "fixed",
    description: "test platform: every latency a constant",
    date: "2026-12-06",
    lambda: {
      invokeRequest: latency("lambda.invokeRequest"),
      invokeResponse: latency("lambda.invokeResponse"),
      init: {
        task: latency("lambda.init.task"),
        orchestrator: latency("lambda.init.orchestrator"),
        worker: latency("lambda.init.worker"),
      },
      coldPlacement: latency("lambda.coldPlacement"),
      idleReapMs: setting("lambda.idleReapMs"),
      accountConcurrency: setting("lambda.accountConcurrency"),
      scalingPer10s: setting("lambda.scalingPer10s"),
      callerCpuPerRequestMs: setting("lambda.callerCpuPerRequestMs"),
    },
    network: { transferMsPerMb: setting("network.transferMsPerMb") },
    cpu,
    sqs: {
      apiCall: latency("sqs.apiCall"),
      deliveryToWorker: latency("sqs.deliveryToWorker"),
      replyDelivery: latency("sqs.replyDelivery"),
      transferMsPerMb: setting("sqs.transferMsPerMb"),
      pollers: {
        initial: setting("sqs.pollers.initial"),
        addedPerMinute: setting("sqs.pollers.addedPerMinute"),
        maximum: setting("sqs.pollers.maximum"),
      },
      visibilityTimeoutMs: setting("sqs.visibilityTimeoutMs"),
      failedRedeliveryMs: setting("sqs.failedRedeliveryMs"),
    },
    stepFunctions: {
      startExecution: latency("stepFunctions.startExecution"),
      taskDispatch: latency("stepFunctions.taskDispatch"),
      taskReturn: latency("stepFunctions.taskReturn"),
      transition: latency("stepFunctions.transition"),
      endExecution: latency("stepFunctions.endExecution"),
      retryIntervalMs: setting("stepFunctions.retryIntervalMs"),
      standardTaskDispatch: latency("stepFunctions.standardTaskDispatch"),
      payloadMsPerMb: setting("stepFunctions.payloadMsPerMb"),
    },
    durable: {
      startExecution: latency("durable.startExecution"),
      checkpoint: latency("durable.checkpoint"),
      runRecordStart: latency("durable.runRecordStart"),
      invokeDispatch: latency("durable.invokeDispatch"),
      resume: latency("durable.resume"),
      lastReplay: latency("durable.lastReplay"),
      replayPerOperationMs: setting("durable.replayPerOperationMs"),
      replayBase: latency("durable.replayBase"),
      suspendDelay: latency("durable.suspendDelay"),
      checkpointMsPerMb: setting("durable.checkpointMsPerMb"),
      throttleRetry: {
        firstMs: setting("durable.throttleRetry.firstMs"),
        maxMs: setting("durable.throttleRetry.maxMs"),
      },
    },
  };
}
