import { LambdaTaskInvoker } from "../adapters/LambdaTaskInvoker.js";
import { SfnStateMachineRunner } from "../adapters/SfnStateMachineRunner.js";
import { SqsTaskQueue } from "../adapters/SqsTaskQueue.js";
import { parseStrategy } from "../lib/runRequest.js";
import { strategyNamed } from "../lib/strategies/registry.js";
import type { Transports } from "../lib/strategies/types.js";
import { serviceConfig, stateMachineConfig } from "./config.js";
import { createRunHandler } from "./http/createRunHandler.js";

let invoker: LambdaTaskInvoker | undefined;
let taskQueue: SqsTaskQueue | undefined;
let stateMachines: SfnStateMachineRunner | undefined;

/** The AWS transports, each built on first use and kept for the environment's next invocations. */
const awsTransports: Transports = {
  lambda: () => {
    const { TASK_FUNCTION_PREFIX } = serviceConfig();
    invoker ??= new LambdaTaskInvoker((fn) => `${TASK_FUNCTION_PREFIX}${fn}`);
    return invoker;
  },
  sqs: () => {
    const { WORK_QUEUE_NAME, REPLY_QUEUE_PREFIX } = serviceConfig();
    taskQueue ??= new SqsTaskQueue({
      workQueueName: WORK_QUEUE_NAME,
      replyQueuePrefix: REPLY_QUEUE_PREFIX,
    });
    return taskQueue;
  },
  stepfunctions: () => {
    const { STATE_MACHINE_PREFIX, STATE_MACHINE_ROLE_ARN, TASK_FUNCTION_ARN_PREFIX } =
      stateMachineConfig();
    stateMachines ??= new SfnStateMachineRunner({
      namePrefix: STATE_MACHINE_PREFIX,
      roleArn: STATE_MACHINE_ROLE_ARN,
    });
    return { stateMachines, functionArnOf: (fn) => `${TASK_FUNCTION_ARN_PREFIX}${fn}` };
  },
};

/**
 * `POST /runs/{strategy}`: one orchestrator Lambda per strategy (serverless.yml), all with this
 * handler; each function's STRATEGY variable says which registry entry it runs.
 */
export const handler = createRunHandler(
  () => strategyNamed(parseStrategy(process.env.STRATEGY)),
  awsTransports,
);
