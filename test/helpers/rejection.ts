import { InvalidInputError } from "../../lib/errors.js";
import { validateWorkflow } from "../../lib/workflow/dag.js";

/** The InvalidInputError validateWorkflow throws for `raw`; fails the test if it accepts it. */
export function rejection(raw: unknown): InvalidInputError {
  try {
    validateWorkflow(raw);
  } catch (error) {
    if (error instanceof InvalidInputError) return error;
    throw error;
  }
  throw new Error("expected validateWorkflow to throw");
}

/** What `promise` rejected with, or undefined when it resolved: a refusal to assert on. */
export const refusalOf = (promise: Promise<unknown>): Promise<unknown> =>
  promise.then(
    () => undefined,
    (error: unknown) => error,
  );

/** What `action` threw, or undefined when it returned: an error to assert on. */
export function thrownBy(action: () => unknown): unknown {
  try {
    action();
  } catch (error) {
    return error;
  }
  return undefined;
}
