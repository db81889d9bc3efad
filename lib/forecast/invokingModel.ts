import { buildRunReport } from "../runReport/buildRunReport.js";
import { SimulatedTaskInvoker } from "./invokeTask.js";
import type { StrategyModel } from "./model.js";
import { scheduleDag } from "./scheduleDag.js";

/**
 * An orchestrator that invokes each task's Lambda itself, at most `maxConcurrency` at a time
 * (lib/strategies/executeWorkflow.ts with the Lambda task invoker): sequential is 1, fanout all.
 */
export function invokingModel(maxConcurrency: number): StrategyModel {
  return (plan, context, done) => {
    const invoker = new SimulatedTaskInvoker(context);
    scheduleDag(
      context.simulation,
      plan,
      {
        maxConcurrency,
        budgetMs: context.budgetMs,
        start: (task, bytesIn, finish) => invoker.invoke(task, bytesIn, finish),
      },
      (schedule) =>
        done({
          report: buildRunReport({ plan, ...schedule }),
          sqsRequests: { counted: 0, estimated: 0 },
          orchestratorWaits: true,
        }),
    );
  };
}
