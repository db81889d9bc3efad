import type {
  Clock,
  DurableHistoryReader,
  DurableScheduler,
  FunctionDirectory,
  FunctionInvoker,
  SqsRequestMeter,
  StateMachineRunner,
  TaskInvoker,
  TaskQueue,
} from "../ports.js";
import type { RunReport, RunUsage, StateMachineType } from "../runReport/types.js";
import type { TaskFunctionName } from "../tasks/catalog.js";
import type { LambdaBilling } from "../tasks/types.js";

/** What every strategy needs besides its transport. */
export interface RunContext {
  clock: Clock;
  /** Time the run may take before unfinished tasks are reported as timed out. */
  budgetMs: number;
  /** Tallies the requests a transport makes, for the run's cost. */
  meter: SqsRequestMeter;
  /**
   * The stepfunctions strategy only: the workflow type its state machine runs as (Express unless
   * said). Standard is billed per state transition, Express per request and GB-s.
   */
  stateMachineType?: StateMachineType;
  /** Told as each task ends (succeeded, failed or timed out): the run record's progress. */
  onTaskEnded?: (taskId: string) => void;
}

/** What the stepfunctions strategy runs on: Step Functions, calling the task functions itself. */
export interface StepFunctionsTransport {
  stateMachines: StateMachineRunner;
  /** The ARN a state machine's Task state calls for a task function. */
  functionArnOf: (fn: TaskFunctionName) => string;
}

/** What the durable strategy runs on: the durable execution this invocation replays. */
export interface DurableTransport {
  scheduler: DurableScheduler;
  executionArn: string;
  history: DurableHistoryReader;
  /** The name `context.invoke` calls for a task function. */
  functionNameOf: (fn: TaskFunctionName) => string;
  /** When this invocation (the replay that finishes the run) started, epoch ms. */
  invocationStartedAt: number;
  /** How long the service keeps the execution's data once it ended (the template's setting). */
  retentionDays: number;
  /**
   * How long the run may take before unfinished tasks are reported timed out: a setting, not the
   * invocation's remaining time, which differs in every replay (the run's timer must not).
   */
  runBudgetMs: number;
}

/**
 * The platform's transports, one per platform piece, made on first use: an orchestrator builds
 * only the clients its strategy needs. Asynchronous so that an implementation can load its adapter
 * (and the AWS SDK client behind it) at that first use rather than at import: an orchestrator's
 * cold start then evaluates one SDK client, not all three (functions/orchestrator.ts).
 * Implemented by adapters (AWS SDK), or fakes in tests.
 */
export interface Transports {
  /** Invokes the built-in task functions and the user's own. */
  lambda(): Promise<TaskInvoker & FunctionInvoker>;
  /** Looks up the user's own functions before a run that names them. */
  functionDirectory(): Promise<FunctionDirectory>;
  sqs(): Promise<TaskQueue>;
  stepfunctions(): Promise<StepFunctionsTransport>;
  /** Only inside a durable execution (functions/durableOrchestrator.ts); elsewhere it rejects. */
  durableExecutions(): Promise<DurableTransport>;
}

/**
 * What a strategy adds to its report once the orchestrator's invocation is priced (durable: its
 * last replay's billing and its break-even), kept with the strategy rather than in the handler.
 */
export type ReportFinisher = (
  report: RunReport,
  priced: { usage: RunUsage; orchestrator: LambdaBilling },
) => RunReport;
