import { z } from "zod";
import { InvalidInputError } from "../errors.js";
import { parseOrThrow } from "../fieldPath.js";
import type { Clock, Completion, CompletionSender } from "../ports.js";
import { runTask } from "../tasks/runTask.js";
import { workMessageSchema } from "../tasks/schema.js";

export interface WorkerContext {
  sender: CompletionSender;
  clock: Clock;
  coldStart: boolean;
  memoryMb?: number;
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
 * failure) on the run's reply queue. A malformed message throws, so the batch reports it as a
 * failed item, SQS redelivers it and finally moves it to the DLQ; if the run can be named, it is
 * told at once so it fails instead of waiting out its budget.
 */
export async function handleWorkMessage(body: string, context: WorkerContext): Promise<void> {
  const { sender, clock, coldStart, memoryMb } = context;
  const receivedAt = clock.now();
  let raw: unknown;
  try {
    raw = parseBody(body);
    const message = parseOrThrow(workMessageSchema, raw, "message");
    let completion: Completion;
    try {
      const span = await runTask(message, clock);
      completion = {
        runId: message.runId,
        taskId: message.taskId,
        ok: true,
        result: { ...span, coldStart, ...(memoryMb === undefined ? {} : { memoryMb }) },
        receivedAt,
        completedAt: clock.now(),
      };
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      completion = {
        runId: message.runId,
        taskId: message.taskId,
        ok: false,
        error: { type: "Error", message: reason },
        receivedAt,
        completedAt: clock.now(),
      };
    }
    await sender.send(message.replyTo, completion);
  } catch (error) {
    if (error instanceof InvalidInputError) await reportMalformed(raw, error, context, receivedAt);
    throw error;
  }
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
