import type { RunReport } from "../runReport/types.js";
import { InProcessInvoker } from "../tasks/InProcessInvoker.js";
import type { RunPlan } from "../workflow/plan.js";
import { executeWorkflow } from "./executeWorkflow.js";
import type { RunContext } from "./types.js";

/** asyncio's create_task: every task body runs as a promise in this one process (one CPU). */
export function runInline(plan: RunPlan, context: RunContext): Promise<RunReport> {
  return executeWorkflow(plan, {
    ...context,
    invoker: new InProcessInvoker(context.clock),
    maxConcurrency: Number.POSITIVE_INFINITY,
  });
}
