import type {
  Clock,
  SqsRequestMeter,
  StateMachineRunner,
  TaskInvoker,
  TaskQueue,
} from "../ports.js";
import type { TaskFunctionName } from "../tasks/catalog.js";

/** What every strategy needs besides its transport. */
export interface RunContext {
  clock: Clock;
  /** Time the run may take before unfinished tasks are reported as timed out. */
  budgetMs: number;
  /** Tallies the requests a transport makes, for the run's cost. */
  meter: SqsRequestMeter;
}

/**
 * The platform's transports, one per platform piece, made on first use: an orchestrator builds
 * only the clients its strategy needs. Implemented by adapters (AWS SDK), or fakes in tests.
 */
export interface Transports {
  lambda(): TaskInvoker;
  sqs(): TaskQueue;
  stepfunctions(): {
    stateMachines: StateMachineRunner;
    /** The ARN a state machine's Task state calls for a task function. */
    functionArnOf: (fn: TaskFunctionName) => string;
  };
}
