import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { parseOrThrow } from "../lib/fieldPath.js";
import { systemClock } from "../lib/systemClock.js";
import { runTask } from "../lib/tasks/runTask.js";
import { taskRequestSchema } from "../lib/tasks/schema.js";
import type { TaskResult } from "../lib/tasks/types.js";
import { takeColdStart } from "./coldStart.js";

/**
 * The task Lambdas (queryData, processData, writeLog): one handler, the task named in the event.
 * Errors propagate, so the invoker sees a FunctionError with the task's message.
 */
export const handler = middy(async (event: unknown, context: Context): Promise<TaskResult> => {
  const coldStart = takeColdStart();
  const request = parseOrThrow(taskRequestSchema, event, "event");
  const span = await runTask(request, systemClock);
  return { ...span, coldStart, memoryMb: Number(context.memoryLimitInMB) };
});
