import {
  InvokeCommand,
  type InvokeCommandInput,
  type InvokeCommandOutput,
  type LambdaClient,
  TooManyRequestsException,
} from "@aws-sdk/client-lambda";
import { backoffCeilingMs, jitteredMs } from "../lib/backoff.js";
import { TaskFailedError } from "../lib/errors.js";
import { parseOrThrow } from "../lib/fieldPath.js";
import { measureFromReportLine } from "../lib/ownFunctions/measurement.js";
import { parseReportLine } from "../lib/ownFunctions/reportLine.js";
import { assertWithinLimit, LAMBDA_SYNC_INVOKE_LIMIT } from "../lib/payloadLimits.js";
import type {
  FunctionCall,
  FunctionInvoker,
  InvocationOutcome,
  TaskInvoker,
} from "../lib/ports.js";
import type { TaskFunctionName } from "../lib/tasks/catalog.js";
import { lambdaErrorPayloadSchema, taskResultSchema } from "../lib/tasks/schema.js";
import type { LambdaBilling, TaskRequest } from "../lib/tasks/types.js";
import { isDroppedConnection, MAX_DROPPED_CONNECTIONS } from "./droppedConnections.js";
import { createLambdaClient } from "./lambdaClient.js";

const decoder = new TextDecoder();

/**
 * Past the account's concurrency Lambda answers 429 TooManyRequestsException and nothing runs, so
 * retrying is safe. A refused invoke waits for one of this orchestrator's own invocations to end
 * (that frees a unit of concurrency): one retry per freed unit, never a storm of 1,000 refused
 * invokes retrying on timers. With none of its own in flight (the concurrency is someone else's),
 * it backs off exponentially with jitter. The run's budget bounds the wait either way.
 */
const FIRST_THROTTLE_BACKOFF_MS = 50;
const MAX_THROTTLE_BACKOFF_MS = 1000;
/** A waiter whose wake-up never comes (the freed unit went elsewhere) tries again after this. */
const SLOT_WAIT_FALLBACK_MS = 3000;

/** First in, first out: a freed unit of concurrency goes to the invoke refused longest ago. */
class ConcurrencyWaitList {
  private inFlight = 0;
  private readonly waiting: Array<() => void> = [];

  started(): void {
    this.inFlight += 1;
  }

  /** `ran`: the invocation took a unit of concurrency (a refused one frees nothing). */
  ended(ran: boolean): void {
    this.inFlight -= 1;
    if (ran) this.waiting.shift()?.();
  }

  /** Resolves when an own invocation ends, or after a backoff; rejects when `signal` aborts. */
  waitAfterThrottle(attempt: number, signal: AbortSignal): Promise<void> {
    const ceilingMs =
      this.inFlight > 0
        ? SLOT_WAIT_FALLBACK_MS
        : backoffCeilingMs(attempt, {
            firstMs: FIRST_THROTTLE_BACKOFF_MS,
            maxMs: MAX_THROTTLE_BACKOFF_MS,
          });
    return new Promise((resolve, reject) => {
      const leave = () => {
        clearTimeout(timer);
        signal.removeEventListener("abort", abort);
        const index = this.waiting.indexOf(wake);
        if (index >= 0) this.waiting.splice(index, 1);
      };
      const wake = () => {
        leave();
        resolve();
      };
      const abort = () => {
        leave();
        reject(signal.reason);
      };
      const timer = setTimeout(wake, jitteredMs(ceilingMs));
      if (this.inFlight > 0) this.waiting.push(wake);
      signal.addEventListener("abort", abort, { once: true });
    });
  }
}

function decodePayload(payload: Uint8Array | undefined): unknown {
  const text = payload ? decoder.decode(payload) : "";
  return text === "" ? undefined : JSON.parse(text);
}

/**
 * Invokes a task's own Lambda (RequestResponse) and turns a FunctionError into TaskFailedError.
 * A throttled invoke is retried until the run is aborted; the outcome says how many attempts it took.
 */
export class LambdaTaskInvoker implements TaskInvoker, FunctionInvoker {
  private readonly concurrency = new ConcurrencyWaitList();

  constructor(
    private readonly functionNameOf: (fn: TaskFunctionName) => string,
    // The SDK's own retries stay on: under load a pooled keep-alive socket can be dropped
    // ("socket hang up"), which is worth one more try. Its retry quota soon stops it retrying
    // 429s; the loop below takes those over, paced by freed concurrency.
    private readonly client: LambdaClient = createLambdaClient(),
  ) {}

  async invoke(request: TaskRequest, signal: AbortSignal): Promise<InvocationOutcome> {
    const payload = new TextEncoder().encode(JSON.stringify(request));
    assertWithinLimit(`${request.taskId}'s request`, payload.byteLength, LAMBDA_SYNC_INVOKE_LIMIT);
    const { response, retries } = await this.send(
      { FunctionName: this.functionNameOf(request.fn), Payload: payload },
      signal,
    );
    if (response.FunctionError) {
      throw functionFailure(request.taskId, request.fn, response);
    }
    const result = parseOrThrow(
      taskResultSchema,
      decodePayload(response.Payload),
      `${request.fn}'s response`,
    );
    return retries === 0 ? result : { ...result, invokeRetries: retries };
  }

  /**
   * Invokes a user's own function with its event, asking for the log tail: Lambda's REPORT line
   * in it measures the invocation (duration, billed duration, memory, INIT) without any code of
   * ours inside the function, as AWS Lambda Power Tuning does.
   */
  async invokeFunction(call: FunctionCall, signal: AbortSignal): Promise<InvocationOutcome> {
    const payload = new TextEncoder().encode(JSON.stringify(call.event));
    assertWithinLimit(`${call.taskId}'s event`, payload.byteLength, LAMBDA_SYNC_INVOKE_LIMIT);
    const invokedAt = Date.now();
    const { response, retries } = await this.send(
      { FunctionName: call.function, Payload: payload, LogType: "Tail" },
      signal,
    );
    const returnedAt = Date.now();
    const logTail = response.LogResult
      ? Buffer.from(response.LogResult, "base64").toString("utf8")
      : "";
    const measured = measureFromReportLine(parseReportLine(logTail), call.configuration, {
      invokedAt,
      returnedAt,
    });
    if (response.FunctionError) {
      throw functionFailure(call.taskId, call.function, response, measured.billing);
    }
    const outcome = { ...measured, output: decodePayload(response.Payload) };
    return retries === 0 ? outcome : { ...outcome, invokeRetries: retries };
  }

  /** One RequestResponse invoke, retried while throttled or dropped (see ConcurrencyWaitList). */
  private async send(
    input: Pick<InvokeCommandInput, "FunctionName" | "Payload" | "LogType">,
    signal: AbortSignal,
  ): Promise<{ response: InvokeCommandOutput; retries: number }> {
    const command = new InvokeCommand({ ...input, InvocationType: "RequestResponse" });
    let retries = 0;
    let drops = 0;
    let response: InvokeCommandOutput | undefined;
    while (!response) {
      this.concurrency.started();
      let throttled = false;
      try {
        response = await this.client.send(command, { abortSignal: signal });
        retries += Math.max(0, (response.$metadata?.attempts ?? 1) - 1);
      } catch (error) {
        if (error instanceof TooManyRequestsException) {
          throttled = true;
          retries += error.$metadata?.attempts ?? 1;
        } else if (
          isDroppedConnection(error) &&
          drops < MAX_DROPPED_CONNECTIONS &&
          !signal.aborted
        ) {
          drops += 1;
          retries += 1;
          continue;
        } else {
          throw error;
        }
      } finally {
        this.concurrency.ended(!throttled);
      }
      if (!response) await this.concurrency.waitAfterThrottle(retries, signal);
    }
    return { response, retries };
  }
}

/** A FunctionError answer as the task's failure: the function's own error type and message. */
function functionFailure(
  taskId: string,
  functionName: string,
  response: InvokeCommandOutput,
  billing?: LambdaBilling,
): TaskFailedError {
  const error = lambdaErrorPayloadSchema.safeParse(decodePayload(response.Payload)).data ?? {};
  return new TaskFailedError(
    taskId,
    error.errorType ?? response.FunctionError ?? "Unhandled",
    error.errorMessage ?? `${functionName} failed (${response.FunctionError})`,
    billing ? { billing } : {},
  );
}
