import { z } from "zod";
import { taskKindSchema } from "../workflow/schema.js";
import { MAX_SCALE, MAX_TASK_DURATION_MS, TASK_FUNCTIONS } from "./catalog.js";

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
  inputs: z.record(z.string(), z.unknown()),
  fail: z.string().optional(),
});

export const workMessageSchema = taskRequestSchema.extend({
  replyTo: z.string().min(1),
  sentAt: z.number(),
});

const taskResultSchema = z.object({
  output: z.unknown(),
  startedAt: z.number(),
  endedAt: z.number(),
  coldStart: z.boolean(),
  memoryMb: z.number().optional(),
});

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
    error: z.object({ type: z.string(), message: z.string() }),
    receivedAt: z.number(),
    completedAt: z.number(),
  }),
]);
