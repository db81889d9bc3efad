import type { TaskQueue } from "../ports.js";
import type { RunReport } from "../report/types.js";
import type { RunPlan } from "../workflow/plan.js";
import { executeWorkflow } from "./executeWorkflow.js";
import { QueueInvoker } from "./QueueInvoker.js";
import type { RunContext } from "./types.js";

/**
 * Celery / RQ: the orchestrator produces ready tasks onto a work queue, worker Lambdas consume
 * them and report on this run's own reply channel, and dependents are produced as deps complete.
 */
export async function runQueue(
  plan: RunPlan,
  context: RunContext & { taskQueue: TaskQueue },
): Promise<RunReport> {
  const mailbox = await context.taskQueue.openRun(plan.runId, context.meter);
  const invoker = new QueueInvoker(mailbox, context.clock);
  try {
    return await executeWorkflow(plan, {
      ...context,
      invoker,
      maxConcurrency: Number.POSITIVE_INFINITY,
    });
  } finally {
    await invoker.stop();
    await mailbox.close();
  }
}
