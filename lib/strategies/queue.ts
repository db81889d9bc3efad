import type { TaskQueue } from "../ports.js";
import type { RunReport } from "../runReport/types.js";
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
  const invoker = new QueueInvoker(
    plan.runId,
    mailbox,
    context.clock,
    context.clock.now() + context.budgetMs,
  );
  try {
    const report = await executeWorkflow(plan, {
      ...context,
      invoker,
      functions: invoker,
      // SQS redelivers a failed task (the worker asks it to, up to the task's retries).
      reinvokeFailed: false,
      maxConcurrency: Number.POSITIVE_INFINITY,
    });
    // A run that timed out while its completions could not be received says why.
    if (report.error?.type === "Timeout" && invoker.lastReceiveError) {
      report.error.message += `; receiving completions failed: ${invoker.lastReceiveError}`;
    }
    return invoker.duplicateCompletions > 0
      ? { ...report, duplicateCompletions: invoker.duplicateCompletions }
      : report;
  } finally {
    await invoker.stop();
    // The run is over and its report stands: a reply channel that could not be deleted is left
    // for SQS's retention to empty, and said so in the logs, never turned into a failed request.
    await mailbox.close().catch((error: unknown) => {
      console.warn(
        `run ${plan.runId}: could not close its reply channel ${mailbox.replyTo}`,
        error,
      );
    });
  }
}
