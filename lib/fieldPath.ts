import type { z } from "zod";
import { InvalidInputError } from "./errors.js";

/** `["tasks", 2, "deps"]` under `workflow` -> `workflow.tasks[2].deps`. */
export function formatFieldPath(root: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (joined, key) => (typeof key === "number" ? `${joined}[${key}]` : `${joined}.${String(key)}`),
    root,
  );
}

/** Parses with a zod schema; the first issue becomes an InvalidInputError naming its field. */
export function parseOrThrow<Schema extends z.ZodType>(
  schema: Schema,
  value: unknown,
  root: string,
): z.infer<Schema> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  if (!issue) throw new InvalidInputError(root, "is invalid");
  throw new InvalidInputError(formatFieldPath(root, issue.path), issue.message, {
    cause: result.error,
  });
}
