/**
 * The run report: what `POST /runs/{strategy}` answers and report.json holds, one zod schema per
 * part, the types inferred from them. The orchestrators build reports; the CLI parses each one it
 * receives with runReportSchema, so a malformed answer is an error naming the field.
 */
import { z } from "zod";
import { STRATEGIES, type StrategyName } from "../strategies/names.js";
import { TASK_FUNCTIONS, TASK_KINDS } from "../tasks/catalog.js";
import { lambdaBillingSchema, measurementSchema } from "../tasks/schema.js";

const strategyNameSchema = z.enum(STRATEGIES as [StrategyName, ...StrategyName[]]);

export const taskStatusSchema = z.enum(["succeeded", "failed", "skipped", "timedOut"]);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

const errorSchema = z.object({ type: z.string(), message: z.string() });

/** Message timings a transport adds to a task (the queue strategy fills them). */
export const transportTimingsSchema = z.object({
  sentAt: z.number(),
  /** When the orchestrator's SendMessage of the work message returned (its own clock). */
  acknowledgedAt: z.number().optional(),
  receivedAt: z.number(),
  completedAt: z.number(),
});
export type TransportTimings = z.infer<typeof transportTimingsSchema>;

/** One task of a run, as the orchestrator saw it and as the task measured itself. */
export const taskReportSchema = z.object({
  id: z.string(),
  /** A built-in task function; or `function`, the user's own Lambda function. */
  fn: z.enum(TASK_FUNCTIONS).optional(),
  function: z.string().optional(),
  deps: z.array(z.string()),
  kind: z.enum(TASK_KINDS),
  /** Planned duration after scaling. */
  durationMs: z.number(),
  /** DAG depth: 0 for tasks without deps. */
  level: z.number(),
  status: taskStatusSchema,
  /** Orchestrator's view: request sent -> response received (epoch ms). */
  invokedAt: z.number().optional(),
  returnedAt: z.number().optional(),
  /** Task's own view: body start -> end (epoch ms). */
  startedAt: z.number().optional(),
  endedAt: z.number().optional(),
  coldStart: z.boolean().optional(),
  /** Present when the task ran in a Lambda of its own (task function or queue worker). */
  billing: z.optional(lambdaBillingSchema),
  /** Attempts made (1 when it did not fail, or was not retried); retries are a workflow setting. */
  attempts: z.number().int().min(1).optional(),
  /** Own functions: where each figure came from (Lambda's REPORT line, or the service's times). */
  measurement: z.optional(measurementSchema),
  /** Queue strategy with an own function: the worker that invoked it is billed too. */
  workerBilling: z.optional(lambdaBillingSchema),
  /** Invoke attempts refused (429 past Lambda's concurrency limit, or a transient error) and retried. */
  invokeRetries: z.number().optional(),
  /** Queue strategy only: when the work message was sent, received and completed. */
  transport: transportTimingsSchema.optional(),
  /** Size of the task request's inputs (deps' outputs) as JSON, UTF-8 bytes. */
  bytesIn: z.number().optional(),
  /** Size of the task's output as JSON, UTF-8 bytes. */
  bytesOut: z.number().optional(),
  /** sha256 (hex) of the output's JSON: proves what a dependent received without carrying it. */
  outputDigest: z.string().optional(),
  /** The output itself when small (see MAX_REPORTED_OUTPUT_BYTES); large ones are left out. */
  output: z.unknown().optional(),
  error: errorSchema.optional(),
});
export type TaskReport = z.infer<typeof taskReportSchema>;

/** The orchestrator Lambda itself: it pays for the whole time it waits on its tasks. */
export const orchestratorReportSchema = z.intersection(
  lambdaBillingSchema,
  z.object({ coldStart: z.boolean() }),
);
export type OrchestratorReport = z.infer<typeof orchestratorReportSchema>;

/** A durable execution's operations, the bytes it checkpointed and how long they are kept. */
export const durableUsageSchema = z.object({
  operations: z.number(),
  bytesWritten: z.number(),
  retentionDays: z.number(),
});
export type DurableUsage = z.infer<typeof durableUsageSchema>;

/** Step Functions' workflow types: Express bills requests and GB-s, Standard state transitions. */
export const stateMachineTypeSchema = z.enum(["express", "standard"]);
export type StateMachineType = z.infer<typeof stateMachineTypeSchema>;

/**
 * One state machine execution as Step Functions bills it. Express (`type` absent in reports made
 * before Standard could run): what it billed, in 100 ms and 64 MB units. Standard: its state
 * transitions. `estimated` when the figures are the model's, not the service's.
 */
export const stepFunctionsUsageSchema = z.union([
  z.object({
    type: z.literal("express").optional(),
    billedDurationMs: z.number(),
    billedMemoryMb: z.number(),
    estimated: z.boolean().optional(),
  }),
  z.object({
    type: z.literal("standard"),
    transitions: z.number(),
    estimated: z.boolean().optional(),
  }),
]);
export type StepFunctionsUsage = z.infer<typeof stepFunctionsUsageSchema>;

/**
 * Everything a run used that AWS charges for, counted where it happened. `lambda` lists every
 * invocation (orchestrator, task functions, queue workers); SQS requests are split into those
 * counted on the wire and those estimated (the event source mapping's own receives and deletes,
 * which run inside AWS and cannot be observed from a function).
 */
export const runUsageSchema = z.object({
  apiGatewayRequests: z.number(),
  lambda: z.array(
    z.intersection(
      lambdaBillingSchema,
      z.object({ role: z.enum(["orchestrator", "task", "worker"]), taskId: z.string().optional() }),
    ),
  ),
  sqsRequests: z.object({ counted: z.number(), estimated: z.number() }),
  /** The run's state machine executions, each billed as its workflow type bills. */
  stepFunctions: z.array(stepFunctionsUsageSchema).optional(),
  durable: durableUsageSchema.optional(),
});
export type RunUsage = z.infer<typeof runUsageSchema>;

/** How the `stepfunctions` strategy shaped the DAG into a state machine, and what it billed. */
export const stateMachineReportSchema = z.object({
  form: z.enum(["seriesParallel", "levels"]),
  /** Dependencies the series-parallel form added (Parallel states cannot express every DAG). */
  addedEdges: z.array(z.object({ from: z.string(), to: z.string() })),
  /** Critical path of the generated form minus the DAG's own, from the planned durations. */
  structuralDelayMs: z.number(),
  /** The workflow type it ran as; absent in reports made before Standard could run: Express. */
  type: stateMachineTypeSchema.optional(),
  /** Express: what Step Functions billed, when it said. */
  billing: z.object({ billedDurationMs: z.number(), billedMemoryMb: z.number() }).optional(),
  /** Standard: the state transitions the execution made (what Standard bills), from its history. */
  transitions: z.number().optional(),
});
export type StateMachineReport = z.infer<typeof stateMachineReportSchema>;

/**
 * The `durable` strategy only, from the execution's own history: the orchestrator ran only while
 * it replayed (each replay billed), and was suspended, not billed, in between.
 */
export const durableReportSchema = z.object({
  executionArn: z.string(),
  /** Every orchestrator invocation, oldest first; the last one measured itself, as it returned. */
  replays: z.array(z.object({ startedAt: z.number(), endedAt: z.number(), billedMs: z.number() })),
  /** Operations the execution started (itself, its timer, a child context and an invoke per task, the history step). */
  operations: z.number(),
  /** Payload bytes the operations checkpointed. */
  bytesCheckpointed: z.number(),
  /** The run's wall time minus its replays': the orchestrator was suspended, not billed. */
  suspendedMs: z.number(),
  /** How long the service keeps the execution's data after it ended. */
  retentionDays: z.number(),
  /**
   * The critical path (ms) beyond which this workflow costs less as a durable execution than as
   * a fanout orchestrator of the same memory waiting on it (lib/cost/durableBreakEven.ts); set
   * with the run's cost.
   */
  breakEvenCriticalPathMs: z.number().optional(),
});
export type DurableReport = z.infer<typeof durableReportSchema>;

/** USD per run by component; `totalUsd` is their sum. Modelled from `usage` and list prices. */
export const runCostSchema = z.object({
  totalUsd: z.number(),
  lambdaDurationUsd: z.number(),
  lambdaRequestsUsd: z.number(),
  sqsUsd: z.number(),
  apiGatewayUsd: z.number(),
  stepFunctionsUsd: z.number(),
  /** Durable operations, data written and retained (the `durable` strategy only). */
  durableUsd: z.number(),
});
export type RunCost = z.infer<typeof runCostSchema>;

export const runReportSchema = z.object({
  runId: z.string(),
  strategy: strategyNameSchema,
  status: z.enum(["succeeded", "failed"]),
  /** Why the run failed: the first failing task, or the deadline. */
  error: errorSchema.extend({ taskId: z.string().optional() }).optional(),
  scale: z.number(),
  startedAt: z.number(),
  endedAt: z.number(),
  wallMs: z.number(),
  /** Longest path through the DAG weighted with the tasks' own measured durations. */
  criticalPathMs: z.number(),
  criticalPath: z.array(z.string()),
  /** wallMs - criticalPathMs: what orchestration cost on top of the ideal. */
  overheadMs: z.number(),
  /** Number of DAG levels on the critical path (overhead is paid once per level). */
  levels: z.number(),
  /** Cold starts seen in this run: tasks' and the orchestrator's own. */
  coldStarts: z.number(),
  tasks: z.array(taskReportSchema),
  /** The `stepfunctions` strategy only. */
  stateMachine: stateMachineReportSchema.optional(),
  /** The `durable` strategy only. */
  durable: durableReportSchema.optional(),
  /**
   * The `queue` strategy only: completions that arrived for a task already settled (SQS delivers
   * at least once). Each task counts once; these were ignored.
   */
  duplicateCompletions: z.number().optional(),
  /** Set by the orchestrator handler once the run is over. */
  orchestrator: orchestratorReportSchema.optional(),
  usage: runUsageSchema.optional(),
  cost: runCostSchema.optional(),
  /** Set by the compare CLI: a warm-up run, kept in report.json but left out of the statistics. */
  warmup: z.boolean().optional(),
});
export type RunReport = z.infer<typeof runReportSchema>;
