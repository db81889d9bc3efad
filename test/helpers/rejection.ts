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
