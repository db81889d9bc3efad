import type {
  RunReport,
  RunUsage,
  StateMachineReport,
  StepFunctionsUsage,
} from "../runReport/types.js";
import type { LambdaBilling } from "../tasks/types.js";
import {
  STEP_FUNCTIONS_EXPRESS_BILLING_GRANULARITY_MS,
  STEP_FUNCTIONS_EXPRESS_MEMORY_CHUNK_MB,
} from "./prices.js";

/**
 * Gathers what a run used from its report: the orchestrator's own invocation, every task that ran
 * in a Lambda of its own (a task function, or a queue worker when the task came by queue), the
 * SQS requests its transport counted, and the one API Gateway request that started it.
 *
 * A task Lambda that failed returns an error instead of its billing: it is left out, so the cost
 * of a failed run is a lower bound.
 */
export function collectUsage(
  report: RunReport,
  orchestrator: LambdaBilling,
  sqsRequests: RunUsage["sqsRequests"],
): RunUsage {
  const lambda: RunUsage["lambda"] = [{ role: "orchestrator", ...orchestrator }];
  for (const task of report.tasks) {
    if (!task.billing) continue;
    lambda.push({ role: task.transport ? "worker" : "task", taskId: task.id, ...task.billing });
  }
  // A durable orchestrator is billed for every replay: the earlier ones from the execution's
  // history (no INIT known for them: a replay's cold start is not recorded there), the last one
  // as it measured itself (`orchestrator`).
  for (const replay of report.durable?.replays.slice(0, -1) ?? []) {
    lambda.push({ role: "orchestrator", ...orchestrator, billedMs: replay.billedMs, initMs: 0 });
  }
  const usage: RunUsage = { apiGatewayRequests: 1, lambda, sqsRequests };
  if (report.durable) {
    const { operations, bytesCheckpointed, retentionDays } = report.durable;
    return { ...usage, durable: { operations, bytesWritten: bytesCheckpointed, retentionDays } };
  }
  if (!report.stateMachine) return usage;
  return { ...usage, stepFunctions: [stepFunctionsUsage(report.stateMachine, report.wallMs)] };
}

/**
 * What the run's execution is billed for. Standard: the state transitions counted from its
 * history; where they are unknown (the run gave up on the execution before it ended) none are
 * counted and the figure is marked estimated: a lower bound. Express: what Step Functions reports
 * it billed; where it does not (LocalStack), the wall time in 100 ms units at the smallest 64 MB
 * memory chunk.
 */
function stepFunctionsUsage(machine: StateMachineReport, wallMs: number): StepFunctionsUsage {
  if (machine.type === "standard") {
    return machine.transitions === undefined
      ? { type: "standard", transitions: 0, estimated: true }
      : { type: "standard", transitions: machine.transitions };
  }
  return {
    type: "express",
    ...(machine.billing ?? {
      billedDurationMs:
        Math.ceil(wallMs / STEP_FUNCTIONS_EXPRESS_BILLING_GRANULARITY_MS) *
        STEP_FUNCTIONS_EXPRESS_BILLING_GRANULARITY_MS,
      billedMemoryMb: STEP_FUNCTIONS_EXPRESS_MEMORY_CHUNK_MB,
      estimated: true,
    }),
  };
}
