import type { z } from "zod";
import { InvalidEventError } from "./errors.js";

/**
 * Parses `value` with `schema`, or throws an InvalidEventError naming the first wrong field as a
 * path in the event ("part", or under `base`: "inputs.listParts.keys.3"), so a failed node says
 * what to fix in its payload or in its dep's output.
 */
export function parseEvent<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  base?: string,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  const field = [base, ...(issue?.path ?? []).map(String)].filter(Boolean).join(".") || "event";
  throw new InvalidEventError(field, issue?.message ?? "does not match its schema", {
    cause: result.error,
  });
}
