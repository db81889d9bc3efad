import { setTimeout as sleep } from "node:timers/promises";
import {
  InvokeCommand,
  type InvokeCommandOutput,
  type LambdaClient,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
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

/**
 * Past the account's concurrency Lambda answers 429 TooManyRequestsException and nothing runs, so
 * retrying is safe; AWS advises exponential backoff with jitter. The run's budget bounds the wait.
 */
const FIRST_THROTTLE_BACKOFF_MS = 50;
const MAX_THROTTLE_BACKOFF_MS = 1000;

function decodePayload(payload: Uint8Array | undefined): unknown {
  const text = payload ? decoder.decode(payload) : "";
  return text === "" ? undefined : JSON.parse(text);
}

/**
 * Invokes a task's own Lambda (RequestResponse) and turns a FunctionError into TaskFailedError.
 * A throttled invoke is retried until the run is aborted; the outcome says how many attempts it took.
 */
export class LambdaTaskInvoker implements TaskInvoker {
  constructor(
    private readonly functionNameOf: (fn: TaskFunctionName) => string,
    private readonly client: LambdaClient = createLambdaClient(),
  ) {}

  async invoke(request: TaskRequest, signal: AbortSignal): Promise<InvocationOutcome> {
    const payload = new TextEncoder().encode(JSON.stringify(request));
    assertWithinLimit(`${request.taskId}'s request`, payload.byteLength, LAMBDA_SYNC_INVOKE_LIMIT);
    const command = new InvokeCommand({
      FunctionName: this.functionNameOf(request.fn),
      InvocationType: "RequestResponse",
      Payload: payload,
    });
    // The SDK retries a 429 a few times itself ($metadata.attempts), then this loop takes over.
    let retries = 0;
    let response: InvokeCommandOutput | undefined;
    while (!response) {
      try {
        response = await this.client.send(command, { abortSignal: signal });
        retries += Math.max(0, (response.$metadata?.attempts ?? 1) - 1);
      } catch (error) {
        if (!(error instanceof TooManyRequestsException)) throw error;
        retries += error.$metadata?.attempts ?? 1;
        const ceilingMs = Math.min(
          MAX_THROTTLE_BACKOFF_MS,
          FIRST_THROTTLE_BACKOFF_MS * 2 ** retries,
        );
        await sleep(Math.random() * ceilingMs, undefined, { signal });
      }
    }
    if (response.FunctionError) {
      const error = (decodePayload(response.Payload) ?? {}) as LambdaErrorPayload;
      throw new TaskFailedError(
        request.taskId,
        error.errorType ?? response.FunctionError,
        error.errorMessage ?? `${request.fn} failed (${response.FunctionError})`,
      );
    }
    const result = parseOrThrow(
      taskResultSchema,
      decodePayload(response.Payload),
      `${request.fn}'s response`,
    );
    return retries === 0 ? result : { ...result, invokeRetries: retries };
  }
}
