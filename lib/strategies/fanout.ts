import type { FunctionInvoker, TaskInvoker } from "../ports.js";
import type { RunReport } from "../runReport/types.js";
import type { RunPlan } from "../workflow/plan.js";
import { executeWorkflow } from "./executeWorkflow.js";
import type { RunContext } from "./types.js";

/** The pool: invokes every task Lambda as soon as its deps are done, all ready tasks at once. */
export function runFanout(
  plan: RunPlan,
  context: RunContext & { invoker: TaskInvoker; functions?: FunctionInvoker },
): Promise<RunReport> {
  return executeWorkflow(plan, { ...context, maxConcurrency: Number.POSITIVE_INFINITY });
}
