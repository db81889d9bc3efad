import type { z } from "zod";
import { safeParse } from "zod/mini";
import { InvalidInputError } from "./errors.js";

/** How much of a caller's own text an error message repeats: enough to recognise it. */
const QUOTED_INPUT_MAX_CHARS = 40;
/** How many unknown keys a message names before it only counts the rest. */
const NAMED_KEYS_MAX = 5;

/** `["tasks", 2, "deps"]` under `workflow` -> `workflow.tasks[2].deps`. */
export function formatFieldPath(root: string, path: ReadonlyArray<PropertyKey>): string {
  return path.reduce<string>(
    (joined, key) => (typeof key === "number" ? `${joined}[${key}]` : `${joined}.${String(key)}`),
    root,
  );
}

/**
 * A caller's text quoted for an error message, cut to a few dozen characters: an answer that
 * echoed input whole could be made as big as the request (a 5 MB key), past Lambda's 6 MB
 * response limit, where API Gateway answers 502 instead of our 400.
 */
export function quoteInput(text: string): string {
  const quoted = JSON.stringify(text.slice(0, QUOTED_INPUT_MAX_CHARS));
  return text.length > QUOTED_INPUT_MAX_CHARS
    ? `${quoted}… (${text.length.toLocaleString("en-US")} characters)`
    : quoted;
}

/** zod's message, except that unknown keys are named a few at a time, each cut short. */
function problemOf(issue: z.core.$ZodIssue): string {
  if (issue.code !== "unrecognized_keys") return issue.message;
  const named = issue.keys.slice(0, NAMED_KEYS_MAX).map(quoteInput).join(", ");
  const more = issue.keys.length - NAMED_KEYS_MAX;
  const rest = more > 0 ? ` and ${more.toLocaleString("en-US")} more` : "";
  return `unknown ${issue.keys.length === 1 ? "key" : "keys"} ${named}${rest}`;
}

/** Parses with a zod schema; the first issue becomes an InvalidInputError naming its field. */
export function parseOrThrow<Schema extends z.core.$ZodType>(
  schema: Schema,
  value: unknown,
  root: string,
): z.output<Schema> {
  // the function, not the method: zod/mini schemas (lib/tasks/schema.ts) and zod's alike
  const result = safeParse(schema, value);
  if (result.success) return result.data;
  const [issue] = result.error.issues;
  if (!issue) throw new InvalidInputError(root, "is invalid");
  throw new InvalidInputError(formatFieldPath(root, issue.path), problemOf(issue), {
    cause: result.error,
  });
}
