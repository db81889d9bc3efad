import { z } from "zod";
import { taskKindSchema } from "../workflow/schema.js";
import { MAX_OUTPUT_BYTES, MAX_SCALE, MAX_TASK_DURATION_MS, TASK_FUNCTIONS } from "./catalog.js";

/** A task request's fields, `inputs` keyed by dep id: what every strategy but stepfunctions sends. */
const taskRequestFields = z.object({
  runId: z.string().min(1),
  taskId: z.string().min(1),
  fn: z.enum(TASK_FUNCTIONS),
  durationMs: z
    .number()
    .int()
    .min(0)
    .max(MAX_TASK_DURATION_MS * MAX_SCALE),
  kind: taskKindSchema,
  /** Outputs of the task's deps, by dep id. */
  inputs: z.record(z.string(), z.unknown()),
  outputBytes: z.number().int().min(0).max(MAX_OUTPUT_BYTES).optional(),
  fail: z.string().optional(),
});

/**
 * What a task Lambda accepts: the orchestrator builds it, but a Lambda trusts no caller.
 *
 * A Step Functions definition is shared by every workflow of one shape, so it cannot hold task
 * ids, not even as the keys of `inputs`: a state machine keys `inputs` by its own names for the
 * deps (`t0`, `t1`...) and sends `inputIds`, the dep id of each of those keys, as data. Parsing
 * puts every input back under its dep's id and drops `inputIds`, so what runTask receives is the
 * same request whichever strategy sent it.
 */
export const taskRequestSchema = taskRequestFields
  .extend({
    /** The dep id of each key of `inputs`, when `inputs` is not keyed by dep id already. */
    inputIds: z.record(z.string(), z.string().min(1)).optional(),
  })
  .superRefine(({ inputs, inputIds }, context) => {
    if (inputIds === undefined) return;
    const problem = (path: string[], message: string) =>
      context.addIssue({ code: "custom", path, message });
    for (const key of Object.keys(inputs)) {
      if (!Object.hasOwn(inputIds, key)) problem(["inputs", key], "has no dep id in inputIds");
    }
    const seen = new Set<string>();
    for (const [key, id] of Object.entries(inputIds)) {
      if (!Object.hasOwn(inputs, key)) problem(["inputIds", key], "names no key of inputs");
      if (seen.has(id)) problem(["inputIds", key], `repeats dep id '${id}'`);
      seen.add(id);
    }
  })
  .transform(({ inputIds, ...request }) =>
    inputIds === undefined
      ? request
      : {
          ...request,
          inputs: Object.fromEntries(
            Object.entries(request.inputs).map(([key, input]) => [inputIds[key] ?? key, input]),
          ),
        },
  );

export const workMessageSchema = taskRequestFields.extend({
  replyTo: z.string().min(1),
  sentAt: z.number(),
  /** When the run gives up (epoch ms): a message still queued then is dropped, not run. */
  expiresAt: z.number().optional(),
});

/** What one Lambda invocation was billed for, measured inside the function. */
export const lambdaBillingSchema = z.object({
  memoryMb: z.number().positive(),
  architecture: z.enum(["arm64", "x86_64"]),
  billedMs: z.number().min(0),
  initMs: z.number().min(0),
});

/** What a task returns: its output and its own span; `billing` when it ran in its own Lambda. */
export const taskResultSchema = z.object({
  output: z.unknown(),
  startedAt: z.number(),
  endedAt: z.number(),
  coldStart: z.boolean(),
  billing: lambdaBillingSchema.optional(),
});

const taskErrorSchema = z.object({ type: z.string(), message: z.string() });

export const completionSchema = z.discriminatedUnion("ok", [
  z.object({
    runId: z.string(),
    taskId: z.string(),
    ok: z.literal(true),
    result: taskResultSchema,
    receivedAt: z.number(),
    completedAt: z.number(),
  }),
  z.object({
    runId: z.string(),
    taskId: z.string(),
    ok: z.literal(false),
    error: taskErrorSchema,
    billing: lambdaBillingSchema.optional(),
    receivedAt: z.number(),
    completedAt: z.number(),
  }),
]);
