import { z } from "zod";
import { RUN_ID_PATTERN } from "./record.js";

/** The key of the event an orchestrator sends itself to run an accepted asynchronous run. */
export const ASYNC_RUN_EVENT = "labAsyncRun";

export const asyncRunEventSchema = z.object({
  [ASYNC_RUN_EVENT]: z.object({ runId: z.string().regex(RUN_ID_PATTERN) }),
});
export type AsyncRunEvent = z.infer<typeof asyncRunEventSchema>;

/** The run id when `event` is an asynchronous run's, else undefined (an API Gateway request). */
export function asyncRunIdOf(event: unknown): string | undefined {
  const parsed = asyncRunEventSchema.safeParse(event);
  return parsed.success ? parsed.data[ASYNC_RUN_EVENT].runId : undefined;
}
