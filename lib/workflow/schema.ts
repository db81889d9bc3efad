import { z } from "zod";
import {
  MAX_OUTPUT_BYTES,
  MAX_TASK_DURATION_MS,
  TASK_FUNCTIONS,
  TASK_KINDS,
} from "../tasks/catalog.js";

/**
 * Widest workflow accepted: Lambda's default concurrency per region is 1,000, so wider runs would
 * only measure throttling. The local stack runs fewer at once (LOCAL_CONCURRENCY in
 * localstack/start.sh) and throttles the rest, as Lambda does.
 */
export const MAX_TASKS = 1000;

export const taskKindSchema = z.enum(TASK_KINDS);

/**
 * Ids that are also the names of JavaScript's object machinery. Task ids become keys of plain
 * objects (a task's `inputs`, processData's `digests`, Step Functions' `results`): zod's
 * z.record, like any `object[key] = value`, turns a `__proto__` key into the object's prototype
 * and drops it (the dependent's input vanishes), and a lookup of an absent `constructor` finds
 * Object's own. Refused up front rather than guarded at every boundary.
 */
const RESERVED_TASK_IDS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

export const taskNodeSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, '_' or '-'")
      .refine((id) => !RESERVED_TASK_IDS.has(id), {
        message: `is reserved: ${[...RESERVED_TASK_IDS].join(", ")} name JavaScript's object machinery`,
      }),
    fn: z.enum(TASK_FUNCTIONS),
    deps: z.array(z.string()).default([]),
    // The bounds before int(): zod reports the first failed check, and for 1e308 that should be
    // "<=10000", not int()'s own safe-integer bound.
    durationMs: z.number().min(0).max(MAX_TASK_DURATION_MS).int().optional(),
    kind: taskKindSchema.optional(),
    /** Size of queryData's record set: the data its dependents receive (the lesson's copying cost). */
    outputBytes: z.number().min(0).max(MAX_OUTPUT_BYTES).int().optional(),
    /** Makes the task throw with this message: shows how each strategy reports a failure. */
    fail: z.string().min(1).max(500).optional(),
  })
  .refine((node) => node.outputBytes === undefined || node.fn === "queryData", {
    message: "applies to queryData only: it makes the data that dependents receive",
    path: ["outputBytes"],
  });

/** Shape only; the graph rules (unique ids, known deps, no cycle) live in validateWorkflow. */
export const workflowSchema = z.strictObject({
  tasks: z.array(taskNodeSchema).min(1).max(MAX_TASKS),
});
