import middy from "@middy/core";
import type { Context } from "aws-lambda";
import { parseOrThrow } from "../lib/fieldPath.js";
import { assertWithinLimit, byteLength, LAMBDA_SYNC_INVOKE_LIMIT } from "../lib/payloadLimits.js";
import { systemClock } from "../lib/systemClock.js";
import { runTask } from "../lib/tasks/runTask.js";
import { taskRequestSchema } from "../lib/tasks/schema.js";
import type { TaskResult } from "../lib/tasks/types.js";
import { startInvocation } from "./lambdaInvocation.js";

/**
 * The task Lambdas (queryData, processData, writeLog): one handler, the task named in the event.
 * Errors propagate, so the invoker sees a FunctionError with the task's message; so does a result
 * too large for Lambda's synchronous response, named here rather than cut off by the platform.
 */
export const handler = middy(async (event: unknown, context: Context): Promise<TaskResult> => {
  const invocation = startInvocation(context);
  const request = parseOrThrow(taskRequestSchema, event, "event");
  const span = await runTask(request, systemClock);
  const result = {
    ...span,
    coldStart: invocation.coldStart,
    billing: invocation.billing(),
    // The attempt its invoker said this is (0-based): how many it took, on the report.
    ...(request.attempt === undefined ? {} : { attempts: request.attempt + 1 }),
  };
  assertWithinLimit(
    `${request.taskId}'s response`,
    byteLength(JSON.stringify(result)),
    LAMBDA_SYNC_INVOKE_LIMIT,
  );
  return result;
});
