import type { TransportTimings } from "../ports.js";
import type { StrategyName } from "../strategies/names.js";
import type { TaskFunctionName } from "../tasks/catalog.js";
import type { LambdaBilling, Measurement } from "../tasks/types.js";
import type { TaskKind } from "../workflow/types.js";

export type { StrategyName } from "../strategies/names.js";

export type TaskStatus = "succeeded" | "failed" | "skipped" | "timedOut";

export type { Architecture, LambdaBilling } from "../tasks/types.js";

/** One task of a run, as the orchestrator saw it and as the task measured itself. */
export interface TaskReport {
  id: string;
  /** A built-in task function; or `function`, the user's own Lambda function. */
  fn?: TaskFunctionName;
  function?: string;
  deps: string[];
  kind: TaskKind;
  /** Planned duration after scaling. */
  durationMs: number;
  /** DAG depth: 0 for tasks without deps. */
  level: number;
  status: TaskStatus;
  /** Orchestrator's view: request sent -> response received (epoch ms). */
  invokedAt?: number;
  returnedAt?: number;
  /** Task's own view: body start -> end (epoch ms). */
  startedAt?: number;
  endedAt?: number;
  coldStart?: boolean;
  /** Present when the task ran in a Lambda of its own (task function or queue worker). */
  billing?: LambdaBilling;
  /** Attempts made (1 when it did not fail, or was not retried); retries are a workflow setting. */
  attempts?: number;
  /** Own functions: where each figure came from (Lambda's REPORT line, or the service's times). */
  measurement?: Measurement;
  /** Queue strategy with an own function: the worker that invoked it is billed too. */
  workerBilling?: LambdaBilling;
  /** Invoke attempts refused (429 past Lambda's concurrency limit, or a transient error) and retried. */
  invokeRetries?: number;
  /** Queue strategy only: when the work message was sent, received and completed. */
  transport?: TransportTimings;
  /** Size of the task request's inputs (deps' outputs) as JSON, UTF-8 bytes. */
  bytesIn?: number;
  /** Size of the task's output as JSON, UTF-8 bytes. */
  bytesOut?: number;
  /** sha256 (hex) of the output's JSON: proves what a dependent received without carrying it. */
  outputDigest?: string;
  /** The output itself when small (see MAX_REPORTED_OUTPUT_BYTES); large ones are left out. */
  output?: unknown;
  error?: { type: string; message: string };
}

/** The orchestrator Lambda itself: it pays for the whole time it waits on its tasks. */
export interface OrchestratorReport extends LambdaBilling {
  coldStart: boolean;
}

/**
 * Everything a run used that AWS charges for, counted where it happened. `lambda` lists every
 * invocation (orchestrator, task functions, queue workers); SQS requests are split into those
 * counted on the wire and those estimated (the event source mapping's own receives and deletes,
 * which run inside AWS and cannot be observed from a function).
 */
export interface RunUsage {
  apiGatewayRequests: number;
  lambda: Array<LambdaBilling & { role: "orchestrator" | "task" | "worker"; taskId?: string }>;
  sqsRequests: { counted: number; estimated: number };
  /** Express executions with what Step Functions billed for each (100 ms and 64 MB units). */
  stepFunctions?: Array<{ billedDurationMs: number; billedMemoryMb: number; estimated?: boolean }>;
  durable?: DurableUsage;
}

/** A durable execution's operations, the bytes it checkpointed and how long they are kept. */
export interface DurableUsage {
  operations: number;
  bytesWritten: number;
  retentionDays: number;
}

/** How the `stepfunctions` strategy shaped the DAG into a state machine, and what it billed. */
export interface StateMachineReport {
  form: "seriesParallel" | "levels";
  /** Dependencies the series-parallel form added (Parallel states cannot express every DAG). */
  addedEdges: Array<{ from: string; to: string }>;
  /** Critical path of the generated form minus the DAG's own, from the planned durations. */
  structuralDelayMs: number;
  billing?: { billedDurationMs: number; billedMemoryMb: number };
}

/**
 * The `durable` strategy only, from the execution's own history: the orchestrator ran only while
 * it replayed (each replay billed), and was suspended, not billed, in between.
 */
export interface DurableReport {
  executionArn: string;
  /** Every orchestrator invocation, oldest first; the last one measured itself, as it returned. */
  replays: Array<{ startedAt: number; endedAt: number; billedMs: number }>;
  /** Operations the execution started (itself, a child context and an invoke per task). */
  operations: number;
  /** Payload bytes the operations checkpointed. */
  bytesCheckpointed: number;
  /** The run's wall time minus its replays': the orchestrator was suspended, not billed. */
  suspendedMs: number;
  /** How long the service keeps the execution's data after it ended. */
  retentionDays: number;
  /**
   * The critical path (ms) beyond which this workflow costs less as a durable execution than as
   * a fanout orchestrator of the same memory waiting on it (lib/cost/durableBreakEven.ts); set
   * with the run's cost.
   */
  breakEvenCriticalPathMs?: number;
}

/** USD per run by component; `totalUsd` is their sum. Modelled from `usage` and list prices. */
export interface RunCost {
  totalUsd: number;
  lambdaDurationUsd: number;
  lambdaRequestsUsd: number;
  sqsUsd: number;
  apiGatewayUsd: number;
  stepFunctionsUsd: number;
  /** Durable operations, data written and retained (the `durable` strategy only). */
  durableUsd: number;
}

export interface RunReport {
  runId: string;
  strategy: StrategyName;
  status: "succeeded" | "failed";
  /** Why the run failed: the first failing task, or the deadline. */
  error?: { taskId?: string; type: string; message: string };
  scale: number;
  startedAt: number;
  endedAt: number;
  wallMs: number;
  /** Longest path through the DAG weighted with the tasks' own measured durations. */
  criticalPathMs: number;
  criticalPath: string[];
  /** wallMs - criticalPathMs: what orchestration cost on top of the ideal. */
  overheadMs: number;
  /** Number of DAG levels on the critical path (overhead is paid once per level). */
  levels: number;
  /** Cold starts seen in this run: tasks' and the orchestrator's own. */
  coldStarts: number;
  tasks: TaskReport[];
  /** The `stepfunctions` strategy only. */
  stateMachine?: StateMachineReport;
  /** The `durable` strategy only. */
  durable?: DurableReport;
  /**
   * The `queue` strategy only: completions that arrived for a task already settled (SQS delivers
   * at least once). Each task counts once; these were ignored.
   */
  duplicateCompletions?: number;
  /** Set by the orchestrator handler once the run is over. */
  orchestrator?: OrchestratorReport;
  usage?: RunUsage;
  cost?: RunCost;
  /** Set by the compare CLI: a warm-up run, kept in report.json but left out of the statistics. */
  warmup?: boolean;
}
