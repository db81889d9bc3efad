import { type DurableContext, withDurableExecution } from "@aws/durable-execution-sdk-js";
import type { APIGatewayProxyEvent } from "aws-lambda";
import { LambdaDurableHistory } from "../adapters/LambdaDurableHistory.js";
import { LambdaFunctionDirectory } from "../adapters/LambdaFunctionDirectory.js";
import { createLambdaControlPlaneClient } from "../adapters/lambdaClient.js";
import { asyncRunIdOf } from "../lib/runs/asyncRunEvent.js";
import { runLimit } from "../lib/runs/runLimits.js";
import { DURABLE_STRATEGY } from "../lib/strategies/names.js";
import { strategyNamed } from "../lib/strategies/registry.js";
import type { Transports } from "../lib/strategies/types.js";
import { durableConfig } from "./config.js";
import { schedulerOf } from "./durableScheduler.js";
import { createRunHandler } from "./http/createRunHandler.js";
import { awsRunServices } from "./runServices.js";

let history: LambdaDurableHistory | undefined;
let functionDirectory: LambdaFunctionDirectory | undefined;

const outsideDurable = async (): Promise<never> => {
  throw new Error("the durable orchestrator runs the durable strategy only");
};

/**
 * `POST /runs/durable`: a Lambda durable function. API Gateway invokes it (its `durable` alias)
 * with the request; the durable execution SDK checkpoints each task's invoke and ends this
 * invocation while tasks run, and the service replays the handler from its checkpoints when a
 * result arrives. The run handler is the other strategies' own; what it does outside a
 * checkpointed operation (parsing, planning, reading the clock) is repeated by every replay, so
 * the run id is the execution's own, not a random one.
 */
export const handler = withDurableExecution(
  async (event: APIGatewayProxyEvent, context: DurableContext) => {
    const invocationStartedAt = Date.now();
    const {
      TASK_FUNCTION_PREFIX,
      DURABLE_RETENTION_DAYS,
      DURABLE_RUN_BUDGET_S,
      DURABLE_EXECUTION_TIMEOUT_S,
    } = durableConfig();
    const executionArn = context.executionContext.durableExecutionArn;
    history ??= new LambdaDurableHistory();
    const reader = history;
    const scheduler = schedulerOf(context);
    // A fixed figure, the same in every replay: the run's timer is a checkpointed wait.
    const asyncRunLimit = runLimit(DURABLE_STRATEGY, "async", {
      durableExecutionTimeoutMs: DURABLE_EXECUTION_TIMEOUT_S * 1000,
    });
    const runBudgetMs =
      asyncRunIdOf(event) === undefined ? DURABLE_RUN_BUDGET_S * 1000 : asyncRunLimit.ms;
    functionDirectory ??= new LambdaFunctionDirectory(createLambdaControlPlaneClient());
    const directory = functionDirectory;
    const transports: Transports = {
      lambda: outsideDurable,
      sqs: outsideDurable,
      stepfunctions: outsideDurable,
      functionDirectory: async () => directory,
      durableExecutions: async () => ({
        scheduler,
        executionArn,
        history: reader,
        functionNameOf: (fn) => `${TASK_FUNCTION_PREFIX}${fn}`,
        invocationStartedAt,
        retentionDays: DURABLE_RETENTION_DAYS,
        runBudgetMs,
      }),
    };
    const runHandler = createRunHandler(
      () => strategyNamed(DURABLE_STRATEGY),
      transports,
      { ...awsRunServices, asyncRunLimit: () => asyncRunLimit },
      {
        // The execution's id: the last segment of its ARN, the same in every replay.
        runId: () => executionArn.split("/").pop() || executionArn,
        once: (name, body) => scheduler.step(name, body),
        // Suspended between replays: the execution's own status says whether it goes on.
        livesForTheRun: false,
        carriedBy: () => ({ durableExecutionArn: executionArn }),
      },
    );
    return runHandler(event, context.lambdaContext);
  },
);
