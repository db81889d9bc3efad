import { InvalidInputError } from "../errors.js";
import { quoteInput } from "../fieldPath.js";
import type { FunctionConfiguration, FunctionDirectory } from "../ports.js";
import type { PlannedTask, RunPlan } from "../workflow/plan.js";
import { functionNameOf } from "./functionReference.js";

/** A planned task that names the user's own Lambda function, its configuration looked up. */
export type OwnFunctionTask = PlannedTask & {
  function: string;
  configuration?: FunctionConfiguration;
};

export function isOwnFunctionTask(task: PlannedTask): task is OwnFunctionTask {
  return task.function !== undefined;
}

/** A node names a function the service was not deployed to invoke: a 403, not bad syntax. */
export class FunctionNotAllowedError extends InvalidInputError {
  constructor(field: string, problem: string) {
    super(field, problem);
    this.name = "FunctionNotAllowedError";
  }
}

/**
 * The strategy cannot run the workflow at all (inline and an own function, or a task fault):
 * decided by one rule, lib/ownFunctions/applicability.ts, for the API and the CLI alike.
 */
export class NotApplicableError extends InvalidInputError {
  constructor(field: string, problem: string) {
    super(field, problem);
    this.name = "NotApplicableError";
  }
}

/**
 * The deploy parameter `invokableFunctions`, as the service's functions read it from their
 * environment: names or ARNs, comma-separated; empty allows none.
 */
export function parseAllowList(raw: string | undefined): Set<string> {
  return new Set(
    (raw ?? "")
      .split(",")
      .map((entry) => entry.trim())
      .filter((entry) => entry !== "")
      .map(functionNameOf),
  );
}

const fieldOf = (plan: RunPlan, task: PlannedTask) =>
  `workflow.tasks[${plan.workflow.tasks.findIndex((node) => node.id === task.id)}].function`;

/**
 * Checks every own function of a run before any task starts, and attaches its configuration:
 * a function the deploy did not allow, or one that does not exist, fails here, naming the task,
 * the function and what to do. Whether the strategy can invoke one at all is decided before,
 * by assertApplicable (lib/ownFunctions/applicability.ts).
 */
export async function resolveOwnFunctions(
  plan: RunPlan,
  options: {
    allowed: ReadonlySet<string>;
    directory: () => Promise<FunctionDirectory>;
  },
): Promise<RunPlan> {
  const own = plan.tasks.filter(isOwnFunctionTask);
  if (own.length === 0) return plan;
  for (const task of own) {
    if (!options.allowed.has(functionNameOf(task.function))) {
      throw new FunctionNotAllowedError(
        fieldOf(plan, task),
        `task '${task.id}': ${quoteInput(task.function)} is not among the functions this service may invoke; redeploy with --param invokableFunctions=${functionNameOf(task.function)} (comma-separated, with any others)`,
      );
    }
  }
  const directory = await options.directory();
  const references = [...new Set(own.map((task) => task.function))];
  const configurations = new Map(
    await Promise.all(
      references.map(
        async (reference) => [reference, await directory.describe(reference)] as const,
      ),
    ),
  );
  return {
    ...plan,
    tasks: plan.tasks.map((task) => {
      if (!isOwnFunctionTask(task)) return task;
      const configuration = configurations.get(task.function);
      if (!configuration) {
        throw new InvalidInputError(
          fieldOf(plan, task),
          `task '${task.id}': no Lambda function ${quoteInput(task.function)} where this service runs; deploy it first, or correct the name`,
        );
      }
      return { ...task, configuration };
    }),
  };
}
