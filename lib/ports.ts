/**
 * The ports of the domain: what lib/ needs from a platform, implemented by adapters/ (AWS SDK)
 * or by fakes in tests. lib/ never imports the AWS SDK; a new platform is a new adapter.
 *
 * @example
 * // A task invoker that runs every task in this process (what the inline strategy does):
 * const invoker: TaskInvoker = new InProcessInvoker(systemClock);
 * const report = await runFanout(plan, { clock: systemClock, budgetMs: 27_000, meter, invoker });
 */
import type { z } from "zod";
import type { DurableHistoryEvent } from "./durable/history.js";
import type { StateMachineType, TransportTimings } from "./runReport/types.js";
import type { RunRecord } from "./runs/record.js";
import type { ListedQueue } from "./sweeper/selectStaleQueues.js";
import type { completionSchema, workMessageSchema } from "./tasks/schema.js";
import type { Architecture, TaskRequest, TaskResult } from "./tasks/types.js";

/** Epoch milliseconds and waiting: the system clock in production, fake timers in tests. */
export interface Clock {
  now(): number;
  /** Rejects when `signal` aborts first, so pending timers never hold the process. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export interface InvocationOutcome extends TaskResult {
  transport?: TransportTimings;
  /** Invoke attempts refused (429 past the concurrency limit, or a transient error) and retried. */
  invokeRetries?: number;
}

/**
 * Runs one task somewhere (a Lambda, a queue worker, this process) and resolves with its result;
 * rejects with a TaskFailedError when the task failed.
 *
 * @example
 * const outcome = await new LambdaTaskInvoker((fn) => `concurrency-lab-dev-${fn}`).invoke(request, signal);
 * outcome.billing?.billedMs; // the task Lambda's own billed duration
 */
export interface TaskInvoker {
  invoke(request: TaskRequest, signal: AbortSignal): Promise<InvocationOutcome>;
}

/** What the platform says of an own function: what cost and the report need. */
export interface FunctionConfiguration {
  /** As Lambda returns it, qualified when the reference was. */
  arn: string;
  memoryMb: number;
  architecture: Architecture;
  timeoutS: number;
}

/**
 * Looks up a function's configuration (Lambda's GetFunctionConfiguration); undefined when no such
 * function exists where the service runs.
 */
export interface FunctionDirectory {
  describe(reference: string): Promise<FunctionConfiguration | undefined>;
}

/** One invocation of a user's own function, its event already built (lib/ownFunctions/functionEvent.ts). */
export interface FunctionCall {
  taskId: string;
  /** The reference the workflow gave: name, name:alias or ARN. */
  function: string;
  configuration: FunctionConfiguration;
  event: unknown;
  /** Attempts after the first, for a transport whose platform retries (the queue). */
  retries?: number;
}

/**
 * Invokes a user's own Lambda function and measures it from Lambda's REPORT line, not from code
 * inside it; rejects with a TaskFailedError when the function failed.
 */
export interface FunctionInvoker {
  invokeFunction(call: FunctionCall, signal: AbortSignal): Promise<InvocationOutcome>;
}

/** The work message a queue worker receives: the task plus where to report. */
export type WorkMessage = z.infer<typeof workMessageSchema>;

/** What a worker reports for a work message, on the run's reply channel. */
export type Completion = z.infer<typeof completionSchema>;

/**
 * Counts the SQS requests a run causes, for the cost model: `count` for calls made or observed on
 * the wire, `estimate` for calls AWS makes on the run's behalf that no function can see (the
 * event source mapping's receives and deletes). Both in billed requests (64 KB chunks).
 */
export interface SqsRequestMeter {
  count(requests: number): void;
  estimate(requests: number): void;
}

/** One run's private channel pair: work goes out on the shared queue, completions come back here. */
export interface RunMailbox {
  readonly replyTo: string;
  dispatch(message: WorkMessage): Promise<void>;
  /** Waits briefly for completions; what it returns is not returned again. */
  nextCompletions(signal: AbortSignal): Promise<Completion[]>;
  close(): Promise<void>;
}

/** Opens a private reply channel per run, so run A never sees run B's completions. */
export interface TaskQueue {
  openRun(runId: string, meter: SqsRequestMeter): Promise<RunMailbox>;
}

/** Used by workers to report a completion to the channel named in the work message. */
export interface CompletionSender {
  send(replyTo: string, completion: Completion): Promise<void>;
}

/** How a run asks for its state machine: Express unless said. */
export interface StateMachineRunOptions {
  type: StateMachineType;
}

/**
 * How a state machine execution ended: an Express workflow's via StartSyncExecution, a Standard
 * workflow's as DescribeExecution last reported it.
 */
export interface StateMachineExecution {
  /** The workflow type it ran as. */
  type: StateMachineType;
  status: "SUCCEEDED" | "FAILED" | "TIMED_OUT";
  /** The execution's output, parsed, when it succeeded. */
  output?: unknown;
  error?: string;
  /** Often JSON: a failed Lambda task's `{ errorType, errorMessage }`. */
  cause?: string;
  /** What Step Functions billed, when the service reports it (Express: 100 ms, 64 MB units). */
  billing?: { billedDurationMs: number; billedMemoryMb: number };
  /** Standard only: the state transitions the execution made, read from its history (what Standard bills). */
  transitions?: number;
}

/**
 * Runs a state machine definition to its end on `input`. Workflows arrive per request, so the
 * adapter creates (once, cached by the definition's hash and the type) the state machine it
 * needs, then executes it: one definition serves every run whose differences are all in the input.
 */
export interface StateMachineRunner {
  run(
    definition: object,
    input: object,
    signal: AbortSignal,
    options?: StateMachineRunOptions,
  ): Promise<StateMachineExecution>;
}

/**
 * The queues the reply-queue sweeper looks at and removes. "Gone" answers mean the queue was
 * deleted meanwhile (its run ended, or another sweep got there first): not an error.
 */
export interface QueueDirectory {
  /** URLs of the queues whose name starts with `prefix`, page by page. */
  listQueueUrls(prefix: string): AsyncIterable<string[]>;
  /** The queue with its creation time, or "gone" when it no longer exists. */
  describeQueue(url: string): Promise<ListedQueue | "gone">;
  deleteQueue(url: string): Promise<"deleted" | "gone">;
}

/**
 * The durable execution SDK's context, as the durable strategy uses it: structurally
 * `@aws/durable-execution-sdk-js`'s DurableContext, whose operations are checkpointed and, on a
 * replay, answered from their checkpoints. Each call takes its operation id when it is made, so
 * the order of calls must be the same in every replay.
 */
export interface DurableScheduler {
  runInChildContext<T>(name: string, body: (child: DurableScheduler) => Promise<T>): Promise<T>;
  /** Invokes a Lambda function and suspends until it answers; rejects when the function failed. */
  invoke<T>(name: string, functionName: string, input: unknown): Promise<T>;
  /** A timer the service keeps: resolves once `seconds` have passed since it was first created. */
  wait(name: string, seconds: number): Promise<void>;
  /**
   * Runs `body` once and checkpoints its JSON result; a replay gets the checkpoint. While it
   * runs the SDK does not suspend the invocation, as it would after 20 ms with only a timer left.
   */
  step<T>(name: string, body: () => Promise<T>): Promise<T>;
}

/** Reads what the platform recorded of a durable execution, oldest event first. */
export interface DurableHistoryReader {
  read(executionArn: string): Promise<DurableHistoryEvent[]>;
}

/** A durable execution's status as the platform keeps it, and its error once it has failed. */
export interface DurableExecutionStatus {
  status: "RUNNING" | "SUCCEEDED" | "FAILED" | "TIMED_OUT" | "STOPPED";
  error?: { type: string; message: string };
}

/** Asks the platform whether a durable execution goes on (the record sweeper's question). */
export interface DurableExecutionStatusReader {
  /** Undefined when the platform no longer knows the execution (past its retention). */
  status(executionArn: string): Promise<DurableExecutionStatus | undefined>;
}

/**
 * Where every accepted run's record is kept (adapters/S3RunRecordStore.ts). Creation is
 * conditional, so two requests racing with one client-chosen id make one run.
 */
export interface RunRecordStore {
  /** Stores `record` unless a record with its id exists; then answers the stored one. */
  create(record: RunRecord): Promise<{ created: true } | { created: false; existing: RunRecord }>;
  /** The record, or undefined when no run has that id. */
  read(runId: string): Promise<RunRecord | undefined>;
  /**
   * Replaces the record: after its creation, the run's orchestrator is its one writer (and the
   * sweeper, once that writer has gone quiet). A record that ended is no longer listed as live.
   */
  write(record: RunRecord): Promise<void>;
  /** The ids of runs accepted and not yet ended, page by page: what the sweeper looks at. */
  listLive(): AsyncIterable<string[]>;
}

/** Starts an accepted run in the background: an asynchronous invocation of its orchestrator. */
export interface RunStarter {
  start(runId: string): Promise<void>;
}
