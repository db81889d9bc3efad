/**
 * Every strategy's name and what it is, in the order reports list them: the one place that names
 * them, apart from the code that runs them (lib/strategies/registry.ts), so that a report, a
 * route check or the CLI that only needs a name does not import every strategy's code.
 */

/**
 * What a strategy needs from the platform besides the orchestrator's own Lambda: named as
 * LocalStack names its services, but for `durable` (Lambda's durable executions), which the
 * local stack serves with AWS's own local durable execution service (`durableExecutions`).
 */
export type PlatformPiece = "lambda" | "sqs" | "stepfunctions" | "durableExecutions";

export interface FailureMode {
  /** How often a task may run: at most once, or at least once (then possibly twice). */
  delivery: string;
  /** Who retries a failed task, and how (the workflow's `retries`). */
  retriedBy: string;
  /** What a retry costs on top of the first attempt. */
  retryCost: string;
  /** Whether a run that gave up can stop its work, and what that work keeps costing. */
  afterGivingUp: string;
}

/** A strategy as the reports, the routes and the local stack know it: everything but its code. */
export interface StrategyDescription {
  /** The path segment of `POST /runs/{name}`, the orchestrator's function name, the report's key. */
  name: string;
  /** What it stands for in the chapter on parallelism. */
  analog: string;
  /** One line: how it runs. */
  how: string;
  /** Platform pieces it uses: the local stack starts them, the orchestrator wires their transports. */
  needs: readonly PlatformPiece[];
  /**
   * What it promises when a task fails, and what a retry and giving up cost: the semantics the
   * "when tasks fail" tables (bench:faults) measure, read from the code and the platform's
   * documented behaviour.
   */
  whenTasksFail: FailureMode;
  /**
   * The longest a run can last on the platform, whatever the request (asynchronous runs
   * included), and the limit that sets it: what the forecast stops a run at.
   */
  longestRun: { ms: number; limit: string };
}

/** Lambda's longest invocation: an orchestrator that waits for its run cannot wait longer. */
const LAMBDA_INVOCATION = { ms: 15 * 60_000, limit: "Lambda's 15-minute invocation" };

/**
 * A new strategy is one entry here, its runner in the registry, its module, and its function in
 * serverless.yml.
 */
export const STRATEGY_DESCRIPTIONS = [
  {
    name: "sequential",
    analog: "plain calls",
    how: "the orchestrator Lambda invokes each task Lambda in topological order, one at a time",
    needs: ["lambda"],
    longestRun: LAMBDA_INVOCATION,
    whenTasksFail: {
      delivery:
        "at most once with retries 0; at least once with retries (a killed attempt may have done part of its work)",
      retriedBy: "the orchestrator, invoking the task again at once",
      retryCost: "another task invocation, and the orchestrator's own billed wait",
      afterGivingUp:
        "cannot cancel an invoke: tasks in flight run to their end (at most their timeout), billed",
    },
  },
  {
    name: "fanout",
    analog: "thread / process pool",
    how: "the orchestrator invokes every task as soon as its deps are done, all ready tasks at once",
    needs: ["lambda"],
    longestRun: LAMBDA_INVOCATION,
    whenTasksFail: {
      delivery: "as sequential",
      retriedBy: "the orchestrator, invoking the task again at once",
      retryCost: "another task invocation, and the orchestrator's own billed wait",
      afterGivingUp: "as sequential: every task in flight runs on, billed",
    },
  },
  {
    name: "queue",
    analog: "Celery / RQ",
    how: "the orchestrator sends ready tasks to an SQS work queue; a worker Lambda consumes them and reports on the run's own reply queue",
    needs: ["lambda", "sqs"],
    longestRun: LAMBDA_INVOCATION,
    whenTasksFail: {
      delivery:
        "at least once, whatever the retries: SQS redelivers the message of a worker that died, and may deliver one twice (the first completion counts)",
      retriedBy:
        "SQS: the worker asks for the message again (1-2 s) while retries are left; a killed worker's message comes back after the visibility timeout (20 s locally, 180 s on AWS); past maxReceiveCount (3) the DLQ",
      retryCost:
        "another worker invocation and its SQS requests; a killed worker's task waits out the visibility timeout",
      afterGivingUp:
        "messages still queued are dropped unrun once their run's budget has passed; tasks in flight finish; the reply queue is deleted (a lost run's by the record sweeper, within about 2 minutes)",
    },
  },
  {
    name: "inline",
    analog: "asyncio create_task",
    how: "one Lambda runs every task body as a promise in its own process: no invoke overhead, one CPU",
    needs: [],
    longestRun: LAMBDA_INVOCATION,
    whenTasksFail: {
      delivery:
        "at most once for a killed or stuck environment, which is the orchestrator's own (the run is lost with it); a task that throws is retried in-process",
      retriedBy: "the orchestrator, running the body again",
      retryCost: "the orchestrator's time only",
      afterGivingUp: "nothing outside its own process to stop",
    },
  },
  {
    name: "stepfunctions",
    analog: "a managed scheduler",
    how: "the DAG becomes an Express state machine (Parallel states, series-parallel form) that Step Functions runs, calling the task Lambdas itself",
    needs: ["lambda", "stepfunctions"],
    longestRun: { ms: 5 * 60_000, limit: "an Express execution's 5 minutes" },
    whenTasksFail: {
      delivery: "at least once with retries",
      retriedBy: "Step Functions: Retry on the Task state (any error, 1 s apart)",
      retryCost: "another task invocation, and 1 s more of the Express execution's billed duration",
      afterGivingUp:
        "a synchronous Express execution cannot be stopped: it runs on to its end (at most 5 min), billed",
    },
  },
  {
    name: "durable",
    analog: "asyncio, managed",
    how: "the orchestrator is a Lambda durable function: each task is a checkpointed invoke, and the orchestrator is suspended, not billed, while tasks run, then replayed",
    needs: ["lambda", "durableExecutions"],
    longestRun: { ms: 365 * 24 * 3_600_000, limit: "a durable execution's year" },
    whenTasksFail: {
      delivery: "at least once with retries",
      retriedBy:
        "the durable orchestrator: each attempt a checkpointed invoke of its own, replay-safe",
      retryCost:
        "another task invocation and one durable operation; the orchestrator stays suspended (not billed) while it runs",
      afterGivingUp:
        "the execution ends with the run's report; an invoke in flight runs on, billed (StopDurableExecution could end the execution itself)",
    },
  },
] as const satisfies readonly StrategyDescription[];

export type StrategyName = (typeof STRATEGY_DESCRIPTIONS)[number]["name"];

export const STRATEGIES: readonly StrategyName[] = STRATEGY_DESCRIPTIONS.map(
  (strategy) => strategy.name,
);

/** The strategy whose orchestrator is a durable function (functions/durableOrchestrator.ts). */
export const DURABLE_STRATEGY: StrategyName = "durable";

/** The strategy others are compared with: plain calls, one after another. */
export const BASELINE_STRATEGY: StrategyName = "sequential";

/**
 * What a strategy is, by name.
 *
 * @example
 * describedStrategy("queue").needs; // ["lambda", "sqs"]
 */
export function describedStrategy(name: StrategyName): StrategyDescription {
  const found = STRATEGY_DESCRIPTIONS.find((strategy) => strategy.name === name);
  if (!found) throw new Error(`no strategy named ${name}`);
  return found;
}

/**
 * Each strategy by its name, for code that is about one strategy in particular (a benchmark
 * measuring its hops, a published figure of it): `STRATEGY.fanout` rather than the name spelled
 * again, so that a renamed strategy is a type error there.
 */
export const STRATEGY = Object.fromEntries(STRATEGIES.map((name) => [name, name])) as {
  [Name in StrategyName]: Name;
};
