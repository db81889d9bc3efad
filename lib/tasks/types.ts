import type { z } from "zod";
import type { taskRequestSchema, taskResultSchema } from "./schema.js";

/** What a task function receives: one node of a run, durations already scaled. */
export type TaskRequest = z.infer<typeof taskRequestSchema>;

/** The task's own view of its run, measured inside the task body. */
export interface TaskSpan {
  startedAt: number;
  endedAt: number;
}

export type TaskResult = z.infer<typeof taskResultSchema>;
