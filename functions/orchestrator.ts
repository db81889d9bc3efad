import type { LambdaFunctionDirectory } from "../adapters/LambdaFunctionDirectory.js";
import type { LambdaTaskInvoker } from "../adapters/LambdaTaskInvoker.js";
import type { SfnStateMachineRunner } from "../adapters/SfnStateMachineRunner.js";
import type { SqsTaskQueue } from "../adapters/SqsTaskQueue.js";
import { parseStrategy } from "../lib/runRequest.js";
import { strategyNamed } from "../lib/strategies/registry.js";
import type { Transports } from "../lib/strategies/types.js";
import { serviceConfig, stateMachineConfig } from "./config.js";
import { createRunHandler } from "./http/createRunHandler.js";
import { awsRunServices } from "./runServices.js";

let invoker: LambdaTaskInvoker | undefined;
let taskQueue: SqsTaskQueue | undefined;
let stateMachines: SfnStateMachineRunner | undefined;
let functionDirectory: LambdaFunctionDirectory | undefined;

/**
 * The AWS transports, each built on first use and kept for the environment's next invocations.
 * Each adapter is imported when its transport is first asked for, not at the top of this file:
 * every orchestrator (one function per strategy) loads this same bundle, and evaluating an SDK
 * client costs tens of ms of CPU at each cold start, so each pays only for the client its own
 * strategy uses (inline: none). esbuild keeps a dynamically imported module of the bundle in a
 * lazy wrapper, evaluated at that `import()`; the configuration is read first, as before.
 */
const awsTransports: Transports = {
  lambda: async () => {
    const { TASK_FUNCTION_PREFIX } = serviceConfig();
    const { LambdaTaskInvoker } = await import("../adapters/LambdaTaskInvoker.js");
    invoker ??= new LambdaTaskInvoker((fn) => `${TASK_FUNCTION_PREFIX}${fn}`);
    return invoker;
  },
  functionDirectory: async () => {
    const { LambdaFunctionDirectory } = await import("../adapters/LambdaFunctionDirectory.js");
    functionDirectory ??= new LambdaFunctionDirectory();
    return functionDirectory;
  },
  sqs: async () => {
    const { WORK_QUEUE_NAME, REPLY_QUEUE_PREFIX } = serviceConfig();
    const { SqsTaskQueue } = await import("../adapters/SqsTaskQueue.js");
    taskQueue ??= new SqsTaskQueue({
      workQueueName: WORK_QUEUE_NAME,
      replyQueuePrefix: REPLY_QUEUE_PREFIX,
    });
    return taskQueue;
  },
  stepfunctions: async () => {
    const { STATE_MACHINE_PREFIX, STATE_MACHINE_ROLE_ARN, TASK_FUNCTION_ARN_PREFIX } =
      stateMachineConfig();
    const { SfnStateMachineRunner } = await import("../adapters/SfnStateMachineRunner.js");
    stateMachines ??= new SfnStateMachineRunner({
      namePrefix: STATE_MACHINE_PREFIX,
      roleArn: STATE_MACHINE_ROLE_ARN,
    });
    return { stateMachines, functionArnOf: (fn) => `${TASK_FUNCTION_ARN_PREFIX}${fn}` };
  },
  // Only a durable execution can run the durable strategy: functions/durableOrchestrator.ts.
  durableExecutions: async () => {
    throw new Error("the durable strategy runs in its own durable function, not here");
  },
};

/**
 * `POST /runs/{strategy}`: one orchestrator Lambda per strategy (serverless.yml), all with this
 * handler; each function's STRATEGY variable says which registry entry it runs.
 */
export const handler = createRunHandler(
  () => strategyNamed(parseStrategy(process.env.STRATEGY)),
  awsTransports,
  awsRunServices,
);
