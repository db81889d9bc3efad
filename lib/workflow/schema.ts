import { z } from "zod";
import { MAX_OUTPUT_BYTES, MAX_TASK_DURATION_MS, TASK_FUNCTIONS } from "../tasks/catalog.js";

/**
 * Widest workflow accepted: Lambda's default concurrency per region is 1,000, so wider runs would
 * only measure throttling. The local stack runs fewer at once (LOCAL_CONCURRENCY in
 * localstack/start.sh) and throttles the rest, as Lambda does.
 */
export const MAX_TASKS = 1000;

export const taskKindSchema = z.enum(["io", "cpu"]);

export const taskNodeSchema = z
  .strictObject({
    id: z
      .string()
      .min(1)
      .max(64)
      .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, '_' or '-'"),
    fn: z.enum(TASK_FUNCTIONS),
    deps: z.array(z.string()).default([]),
    durationMs: z.number().int().min(0).max(MAX_TASK_DURATION_MS).optional(),
    kind: taskKindSchema.optional(),
    /** Size of queryData's record set: the data its dependents receive (the lesson's copying cost). */
    outputBytes: z.number().int().min(0).max(MAX_OUTPUT_BYTES).optional(),
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
