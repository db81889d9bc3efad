import { invokingModel } from "../forecast/invokingModel.js";
import type { StrategyModel } from "../forecast/model.js";
import type { RunReport } from "../runReport/types.js";
import type { RunPlan } from "../workflow/plan.js";
import { finishDurableReport, runDurable } from "./durable.js";
import { durableModel } from "./durableModel.js";
import { runFanout } from "./fanout.js";
import { runInline } from "./inline.js";
import { inlineModel } from "./inlineModel.js";
import { STRATEGY_DESCRIPTIONS, type StrategyDescription, type StrategyName } from "./names.js";
import { runQueue } from "./queue.js";
import { queueModel } from "./queueModel.js";
import { runSequential } from "./sequential.js";
import { stepFunctionsModel } from "./stepFunctionsModel.js";
import { runStepFunctions } from "./stepfunctions.js";
import type { ReportFinisher, RunContext, Transports } from "./types.js";

/** Runs a planned workflow; `transports` gives lazy access to what the strategy `needs`. */
export type StrategyRunner = (
  plan: RunPlan,
  context: RunContext,
  transports: Transports,
) => Promise<RunReport>;

/** Each strategy's code, by its name (lib/strategies/names.ts says what each is). */
const RUNNERS: Record<StrategyName, StrategyRunner> = {
  sequential: async (plan, context, transports) => {
    const invoker = await transports.lambda();
    return runSequential(plan, { ...context, invoker, functions: invoker });
  },
  fanout: async (plan, context, transports) => {
    const invoker = await transports.lambda();
    return runFanout(plan, { ...context, invoker, functions: invoker });
  },
  queue: async (plan, context, transports) =>
    runQueue(plan, { ...context, taskQueue: await transports.sqs() }),
  inline: (plan, context) => runInline(plan, context),
  stepfunctions: async (plan, context, transports) =>
    runStepFunctions(plan, { ...context, ...(await transports.stepfunctions()) }),
  durable: async (plan, context, transports) =>
    runDurable(plan, { ...context, ...(await transports.durableExecutions()) }),
};

/**
 * Each strategy's model of itself on a simulated platform (lib/forecast): what the forecast runs
 * where the strategy's code would run. A new strategy brings its own.
 */
const MODELS: Record<StrategyName, StrategyModel> = {
  sequential: invokingModel(1),
  fanout: invokingModel(Number.POSITIVE_INFINITY),
  queue: queueModel,
  inline: inlineModel,
  stepfunctions: stepFunctionsModel,
  durable: durableModel,
};

/** What a strategy finishes in its own report once it is priced; most have nothing to add. */
const FINISHERS: Partial<Record<StrategyName, ReportFinisher>> = {
  durable: finishDurableReport,
};

/** A strategy with its code and its model: what orchestrators run, and what the forecast runs. */
export type RegisteredStrategy = StrategyDescription & {
  name: StrategyName;
  run: StrategyRunner;
  model: StrategyModel;
  finishReport?: ReportFinisher;
};

/**
 * Every strategy with its runner, in the order reports list them. Orchestrator wiring and the
 * tests read it; what needs only names and descriptions reads lib/strategies/names.ts.
 *
 * @example
 * const report = await strategyNamed(name).run(plan, context, transports);
 */
export const STRATEGY_REGISTRY: readonly RegisteredStrategy[] = STRATEGY_DESCRIPTIONS.map(
  (description) => ({
    ...description,
    run: RUNNERS[description.name],
    model: MODELS[description.name],
    ...(FINISHERS[description.name] ? { finishReport: FINISHERS[description.name] } : {}),
  }),
);

/** The registry entry of a strategy. */
export function strategyNamed(name: StrategyName): RegisteredStrategy {
  const found = STRATEGY_REGISTRY.find((strategy) => strategy.name === name);
  if (!found) throw new Error(`no strategy named ${name}`);
  return found;
}
