import type { FunctionInvoker, TaskInvoker } from "../ports.js";
import type { RunReport } from "../runReport/types.js";
import type { RunPlan } from "../workflow/plan.js";
import { executeWorkflow } from "./executeWorkflow.js";
import type { RunContext } from "./types.js";

/** Plain calls: invokes each task Lambda in topological order, one at a time. */
export function runSequential(
  plan: RunPlan,
  context: RunContext & { invoker: TaskInvoker; functions?: FunctionInvoker },
): Promise<RunReport> {
  return executeWorkflow(plan, { ...context, maxConcurrency: 1 });
}
