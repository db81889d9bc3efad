import * as z from "zod/mini";
import {
  describeError,
  InvalidInputError,
  RedeliveryRequestedError,
  ReplyChannelGoneError,
  TaskFailedError,
} from "../errors.js";
import { parseOrThrow } from "../fieldPath.js";
import { assertWithinLimit, byteLength, SQS_MESSAGE_LIMIT } from "../payloadLimits.js";
import type {
  Clock,
  Completion,
  CompletionSender,
  FunctionInvoker,
  InvocationOutcome,
  WorkMessage,
} from "../ports.js";
import { runTask, type TaskEnvironment } from "../tasks/runTask.js";
import { workMessageSchemaFor } from "../tasks/schema.js";
import type { LambdaBilling } from "../tasks/types.js";

export interface WorkerContext {
  sender: CompletionSender;
  /** Invokes a user's own function named by a work message (made on first use). */
  functions?: () => Promise<FunctionInvoker>;
  clock: Clock;
  coldStart: boolean;
  /** Where a built-in task's injected `crash` fault strikes (the worker's own process). */
  environment?: TaskEnvironment;
  /** SQS's ApproximateReceiveCount of the message: 1 on its first delivery. */
  receiveCount?: number;
  /**
   * What the worker's invocation is billed for so far. Attached to the message's completion: with
   * the event source mapping's batch size of 1 (serverless.yml) one message is one invocation.
   */
  billing?: () => LambdaBilling;
}

/** Enough of a message to tell its run that it could not be processed. */
const addressSchema = z.object({ runId: z.string(), taskId: z.string(), replyTo: z.string() });

function parseBody(body: string): unknown {
  try {
    return JSON.parse(body);
  } catch (error) {
    throw new InvalidInputError("body", "malformed JSON", { cause: error });
  }
}

/**
 * Consumes one work message: runs the task and reports its completion (success or the task's own
 * failure) on the run's reply queue; if that queue is gone, the run is over and the completion is
 * dropped (the message is consumed: a retry could only end in the DLQ). A malformed message throws, so the batch reports it as a
 * failed item, SQS redelivers it and finally moves it to the DLQ; if the run can be named, it is
 * told at once so it fails instead of waiting out its budget.
 */
export async function handleWorkMessage(body: string, context: WorkerContext): Promise<void> {
  const { sender, clock } = context;
  const receivedAt = clock.now();
  let raw: unknown;
  try {
    raw = parseBody(body);
    const message: WorkMessage = parseOrThrow(workMessageSchemaFor(raw), raw, "message");
    const address = { runId: message.runId, taskId: message.taskId };
    // Queued past its run's budget (a backlog after a burst): the run has given up on it.
    if (message.expiresAt !== undefined && receivedAt > message.expiresAt) {
      console.warn(`run ${message.runId} is over: ${message.taskId} dropped, not run`);
      return;
    }
    const billed = () => (context.billing ? { billing: context.billing() } : {});
    const receiveCount = context.receiveCount ?? 1;
    let completion: Completion;
    try {
      const result = await runWork(message, context, receiveCount - 1);
      const attempts = receiveCount > 1 || message.retries ? { attempts: receiveCount } : {};
      completion = {
        ...address,
        ok: true,
        result: { ...result, ...attempts },
        receivedAt,
        completedAt: clock.now(),
      };
      // Too large for SQS: the failure below says why, instead of losing it to a failed send.
      assertWithinLimit(
        `${message.taskId}'s completion`,
        byteLength(JSON.stringify(completion)),
        SQS_MESSAGE_LIMIT,
      );
    } catch (error) {
      // Retries left: SQS delivers the message again (its receive count is the attempt), and the
      // run hears of this task only when it succeeds or has no attempt left.
      if (receiveCount - 1 < (message.retries ?? 0)) {
        throw new RedeliveryRequestedError(message.taskId, receiveCount, receiveCount, {
          cause: error,
        });
      }
      // An own function that failed was billed as itself (its REPORT line); a task body, as us.
      const ownBilling = error instanceof TaskFailedError ? error.billing : undefined;
      const billing = ownBilling ? { billing: ownBilling } : billed();
      completion = failedCompletion(address, error, { ...billing, receivedAt, clock });
    }
    try {
      await sender.send(message.replyTo, completion);
    } catch (error) {
      // The run gave up (its budget ran out) and deleted its reply queue while this message waited
      // or ran. Nobody waits for the completion: consumed, not retried into the DLQ.
      if (!(error instanceof ReplyChannelGoneError)) throw error;
      console.warn(`${error.message}: ${message.taskId}'s completion dropped`);
    }
  } catch (error) {
    if (error instanceof InvalidInputError) await reportMalformed(raw, error, context, receivedAt);
    throw error;
  }
}

/**
 * A built-in task runs here, billed as this worker's invocation; an own function is invoked, and
 * billed as itself (its REPORT line) with this worker's waiting billed beside it.
 */
async function runWork(
  message: WorkMessage,
  context: WorkerContext,
  attempt: number,
): Promise<InvocationOutcome> {
  const billed = () => (context.billing ? context.billing() : undefined);
  if (!("function" in message)) {
    const span = await runTask({ ...message, attempt }, context.clock, context.environment);
    const billing = billed();
    return { ...span, coldStart: context.coldStart, ...(billing ? { billing } : {}) };
  }
  if (!context.functions) throw new Error("this worker cannot invoke functions");
  const invoker = await context.functions();
  const { taskId, function: functionName, configuration, event } = message;
  const outcome = await invoker.invokeFunction(
    { taskId, function: functionName, configuration, event },
    AbortSignal.timeout(configuration.timeoutS * 1000 + 5000),
  );
  const workerBilling = billed();
  return { ...outcome, ...(workerBilling ? { workerBilling } : {}) };
}

function failedCompletion(
  address: { runId: string; taskId: string },
  error: unknown,
  options: { billing?: LambdaBilling; receivedAt: number; clock: Clock },
): Completion {
  const { type, message } = describeError(error);
  return {
    ...address,
    ok: false,
    error: { type, message },
    ...(options.billing ? { billing: options.billing } : {}),
    receivedAt: options.receivedAt,
    completedAt: options.clock.now(),
  };
}

async function reportMalformed(
  raw: unknown,
  error: InvalidInputError,
  { sender, clock }: WorkerContext,
  receivedAt: number,
): Promise<void> {
  const address = addressSchema.safeParse(raw);
  if (!address.success) return;
  const { runId, taskId, replyTo } = address.data;
  try {
    await sender.send(replyTo, {
      runId,
      taskId,
      ok: false,
      error: { type: "MalformedMessage", message: error.message },
      receivedAt,
      completedAt: clock.now(),
    });
  } catch (sendError) {
    // Best effort: the run may be over and its reply queue gone; the message still goes to the DLQ.
    console.warn("could not report a malformed message to its run", sendError);
  }
}
