import type { z } from "zod";
import type {
  lambdaBillingSchema,
  measurementSchema,
  taskRequestSchema,
  taskResultSchema,
} from "./schema.js";

/** What a task function receives: one node of a run, durations already scaled. */
export type TaskRequest = z.infer<typeof taskRequestSchema>;

/** The task's own view of its run, measured inside the task body. */
export interface TaskSpan {
  startedAt: number;
  endedAt: number;
}

export type TaskResult = z.infer<typeof taskResultSchema>;

/**
 * What one Lambda invocation was billed for: memory, architecture, handler duration rounded up to
 * 1 ms, and the INIT phase of a cold start (billed since 2025-08-01; 0 when warm).
 */
export type LambdaBilling = z.infer<typeof lambdaBillingSchema>;

/** Lambda's instruction set architectures: they are priced differently. */
export type Architecture = LambdaBilling["architecture"];

/** Where an own function's figures came from, and which were derived. */
export type Measurement = z.infer<typeof measurementSchema>;
