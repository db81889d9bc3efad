import { LambdaTaskInvoker } from "../adapters/LambdaTaskInvoker.js";
import { SqsTaskQueue } from "../adapters/SqsTaskQueue.js";
import { runFanout } from "../lib/strategies/fanout.js";
import { runInline } from "../lib/strategies/inline.js";
import { runQueue } from "../lib/strategies/queue.js";
import { runSequential } from "../lib/strategies/sequential.js";
import { serviceConfig } from "./config.js";
import { createRunHandler } from "./http/createRunHandler.js";

let invoker: LambdaTaskInvoker | undefined;
let taskQueue: SqsTaskQueue | undefined;

function lambdaInvoker(): LambdaTaskInvoker {
  const { TASK_FUNCTION_PREFIX } = serviceConfig();
  invoker ??= new LambdaTaskInvoker((fn) => `${TASK_FUNCTION_PREFIX}${fn}`);
  return invoker;
}

function sqsTaskQueue(): SqsTaskQueue {
  const { WORK_QUEUE_NAME, REPLY_QUEUE_PREFIX } = serviceConfig();
  taskQueue ??= new SqsTaskQueue({
    workQueueName: WORK_QUEUE_NAME,
    replyQueuePrefix: REPLY_QUEUE_PREFIX,
  });
  return taskQueue;
}

/** `POST /runs/{strategy}`: one orchestrator Lambda per strategy, each wired to its transport. */
export const sequential = createRunHandler("sequential", (plan, context) =>
  runSequential(plan, { ...context, invoker: lambdaInvoker() }),
);
export const fanout = createRunHandler("fanout", (plan, context) =>
  runFanout(plan, { ...context, invoker: lambdaInvoker() }),
);
export const queue = createRunHandler("queue", (plan, context) =>
  runQueue(plan, { ...context, taskQueue: sqsTaskQueue() }),
);
export const inline = createRunHandler("inline", runInline);
