import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import { TaskFailedError } from "../lib/errors.js";
import { parseOrThrow } from "../lib/fieldPath.js";
import { assertWithinLimit, LAMBDA_SYNC_INVOKE_LIMIT } from "../lib/payloadLimits.js";
import type { InvocationOutcome, TaskInvoker } from "../lib/ports.js";
import type { TaskFunctionName } from "../lib/tasks/catalog.js";
import { taskResultSchema } from "../lib/tasks/schema.js";
import type { TaskRequest } from "../lib/tasks/types.js";
import { createLambdaClient } from "./clients.js";

interface LambdaErrorPayload {
  errorType?: string;
  errorMessage?: string;
}

const decoder = new TextDecoder();

function decodePayload(payload: Uint8Array | undefined): unknown {
  const text = payload ? decoder.decode(payload) : "";
  return text === "" ? undefined : JSON.parse(text);
}

/** Invokes a task's own Lambda (RequestResponse) and turns a FunctionError into TaskFailedError. */
export class LambdaTaskInvoker implements TaskInvoker {
  constructor(
    private readonly functionNameOf: (fn: TaskFunctionName) => string,
    private readonly client: LambdaClient = createLambdaClient(),
  ) {}

  async invoke(request: TaskRequest, signal: AbortSignal): Promise<InvocationOutcome> {
    const payload = new TextEncoder().encode(JSON.stringify(request));
    assertWithinLimit(`${request.taskId}'s request`, payload.byteLength, LAMBDA_SYNC_INVOKE_LIMIT);
    const response = await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionNameOf(request.fn),
        InvocationType: "RequestResponse",
        Payload: payload,
      }),
      { abortSignal: signal },
    );
    if (response.FunctionError) {
      const error = (decodePayload(response.Payload) ?? {}) as LambdaErrorPayload;
      throw new TaskFailedError(
        request.taskId,
        error.errorType ?? response.FunctionError,
        error.errorMessage ?? `${request.fn} failed (${response.FunctionError})`,
      );
    }
    return parseOrThrow(
      taskResultSchema,
      decodePayload(response.Payload),
      `${request.fn}'s response`,
    );
  }
}
