import { quoteInput } from "../fieldPath.js";
import {
  describedStrategy,
  type StrategyDescription,
  type StrategyName,
} from "../strategies/names.js";
import type { Workflow } from "../workflow/types.js";
import { NotApplicableError } from "./ownFunctions.js";

/**
 * Whether a strategy's tasks run in Lambda functions of their own: every strategy that invokes
 * Lambda does; inline runs the built-in task bodies in its own process, so it has nothing to
 * invoke a user's function with, and no task environment apart from its own.
 */
export function invokesFunctions(strategy: Pick<StrategyDescription, "needs">): boolean {
  return strategy.needs.some((piece) => piece === "lambda");
}

/** A strategy that cannot run a workflow at all, and why: reported, never silently dropped. */
export interface NotApplicable {
  strategy: StrategyName;
  reason: string;
}

/** What makes a workflow impossible for a strategy: the field at fault, and why. */
export interface Inapplicability {
  /** As a 400 names it, e.g. `workflow.tasks[0].fault`. */
  field: string;
  reason: string;
}

/**
 * The one rule for what a strategy cannot run at all, so that the API and the CLI agree: a
 * strategy whose tasks run in its own process (inline) can neither invoke a user's own function
 * nor inject a task `fault`, since a killed or stuck task environment would be its own, and the
 * run would be lost with it rather than a task failed. Undefined when the strategy can run it.
 *
 * @example
 * whyNotApplicable({ tasks: [{ id: "q", fn: "queryData", deps: [], fault: "crash" }] }, strategy);
 * // inline: { field: "workflow.tasks[0].fault", reason: "runs tasks in the orchestrator's own process: ..." }
 */
export function whyNotApplicable(
  workflow: Workflow,
  strategy: StrategyName,
): Inapplicability | undefined {
  if (invokesFunctions(describedStrategy(strategy))) return undefined;
  const ownIndex = workflow.tasks.findIndex((task) => task.function !== undefined);
  const own = workflow.tasks[ownIndex];
  if (own?.function !== undefined) {
    return {
      field: `workflow.tasks[${ownIndex}].function`,
      reason: `runs the built-in task bodies in its own process and cannot invoke a Lambda function (task '${own.id}' names ${quoteInput(own.function)})`,
    };
  }
  const faultIndex = workflow.tasks.findIndex((task) => task.fault !== undefined);
  const faulty = workflow.tasks[faultIndex];
  if (faulty?.fault !== undefined) {
    return {
      field: `workflow.tasks[${faultIndex}].fault`,
      reason: `runs tasks in the orchestrator's own process: a '${faulty.fault}' fault of task '${faulty.id}' would take the whole run with it, not one task`,
    };
  }
  return undefined;
}

/**
 * Refuses, before anything runs, a workflow the strategy cannot run (see whyNotApplicable).
 *
 * @throws NotApplicableError naming the field (the API answers 400 NotApplicable).
 */
export function assertApplicable(workflow: Workflow, strategy: StrategyName): void {
  const why = whyNotApplicable(workflow, strategy);
  if (why) throw new NotApplicableError(why.field, `${strategy} ${why.reason}`);
}

/** The strategies among `strategies` that cannot run `workflow`, each with its reason. */
export function notApplicableStrategies(
  workflow: Workflow,
  strategies: readonly StrategyName[],
): NotApplicable[] {
  return strategies.flatMap((strategy) => {
    const why = whyNotApplicable(workflow, strategy);
    return why ? [{ strategy, reason: why.reason }] : [];
  });
}
