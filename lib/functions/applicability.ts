import {
  describedStrategy,
  type StrategyDescription,
  type StrategyName,
} from "../strategies/names.js";
import type { Workflow } from "../workflow/types.js";

/**
 * Whether a strategy can run a user's own function: every strategy that invokes Lambda can;
 * inline runs the built-in task bodies in its own process and has nothing to invoke with.
 */
export function invokesFunctions(strategy: Pick<StrategyDescription, "needs">): boolean {
  return strategy.needs.some((piece) => piece === "lambda");
}

/** A strategy that cannot run a workflow at all, and why: reported, never silently dropped. */
export interface NotApplicable {
  strategy: StrategyName;
  reason: string;
}

/** The strategies among `strategies` that cannot run `workflow`, each with its reason. */
export function notApplicableStrategies(
  workflow: Workflow,
  strategies: readonly StrategyName[],
): NotApplicable[] {
  const own = workflow.tasks.find((task) => task.function !== undefined);
  if (!own) return [];
  return strategies
    .filter((name) => !invokesFunctions(describedStrategy(name)))
    .map((strategy) => ({
      strategy,
      reason: `runs the built-in task bodies in its own process and cannot invoke a Lambda function (task '${own.id}' names ${own.function})`,
    }));
}
