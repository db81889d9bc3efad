import { z } from "zod";
import { taskKindSchema } from "../workflow/schema.js";
import { MAX_OUTPUT_BYTES, MAX_SCALE, MAX_TASK_DURATION_MS, TASK_FUNCTIONS } from "./catalog.js";

/** What a task Lambda accepts: the orchestrator builds it, but a Lambda trusts no caller. */
export const taskRequestSchema = z.object({
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

export const workMessageSchema = taskRequestSchema.extend({
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
