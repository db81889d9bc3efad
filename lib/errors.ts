import type { LambdaBilling } from "./tasks/types.js";

/**
 * Domain errors. They carry context in readonly fields and know nothing of HTTP:
 * the edge (functions/middleware) decides which status each one becomes.
 */
export class LabError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "LabError";
  }
}

/** Input that breaks a rule: `field` is a path such as `workflow.tasks[2].deps`. */
export class InvalidInputError extends LabError {
  readonly field: string;
  readonly problem: string;

  constructor(field: string, problem: string, options?: ErrorOptions) {
    super(`${field}: ${problem}`, options);
    this.name = "InvalidInputError";
    this.field = field;
    this.problem = problem;
  }
}

/**
 * A request body over the size the API reads (`field` is `body`): refused before it is parsed,
 * so the answer can say how big it was and what the limit is.
 */
export class RequestTooLargeError extends InvalidInputError {
  readonly bytes: number;
  readonly limitBytes: number;

  constructor(field: string, bytes: number, limitBytes: number) {
    super(
      field,
      `is ${bytes.toLocaleString("en-US")} bytes, over the limit of ${limitBytes.toLocaleString("en-US")} bytes`,
    );
    this.name = "RequestTooLargeError";
    this.bytes = bytes;
    this.limitBytes = limitBytes;
  }
}

/** A request body declared as something other than what the API reads (`field` names the header). */
export class UnsupportedContentTypeError extends InvalidInputError {
  /** As the request declared it, or undefined when it declared none. */
  readonly contentType: string | undefined;

  constructor(field: string, problem: string, contentType: string | undefined) {
    super(field, problem);
    this.name = "UnsupportedContentTypeError";
    this.contentType = contentType;
  }
}

/** A task ran and failed: its body threw, its Lambda returned a FunctionError, or it timed out. */
export class TaskFailedError extends LabError {
  readonly taskId: string;
  readonly errorType: string;
  /** What the failed task's Lambda was billed for, when its transport reported it. */
  readonly billing?: LambdaBilling;

  constructor(
    taskId: string,
    errorType: string,
    message: string,
    options?: ErrorOptions & { billing?: LambdaBilling },
  ) {
    super(message, options);
    this.name = "TaskFailedError";
    this.taskId = taskId;
    this.errorType = errorType;
    if (options?.billing) this.billing = options.billing;
  }
}

/** A run id the client chose is already a different run's: the request is refused (409). */
export class RunIdConflictError extends InvalidInputError {
  constructor(runId: string) {
    super(
      "runId",
      `${runId} is already the id of a run with a different request; choose another id, or send the same request to get that run`,
    );
    this.name = "RunIdConflictError";
  }
}

/**
 * A run's reply channel is gone: the run is over (it timed out, or failed, and cleaned up), so no
 * one waits for the completion that was to be sent on it.
 */
export class ReplyChannelGoneError extends LabError {
  readonly runId: string;

  constructor(runId: string, options?: ErrorOptions) {
    super(`run ${runId} is over: its reply channel is gone`, options);
    this.name = "ReplyChannelGoneError";
    this.runId = runId;
  }
}

/** A payload over a platform limit, caught before it is sent so the run says which limit. */
export class PayloadTooLargeError extends LabError {
  readonly limitName: string;
  readonly limitBytes: number;
  readonly bytes: number;

  constructor(what: string, bytes: number, limit: { name: string; bytes: number }) {
    super(
      `${what} is ${bytes.toLocaleString("en-US")} bytes, over the ${limit.name} limit of ${limit.bytes.toLocaleString("en-US")} bytes`,
    );
    this.name = "PayloadTooLargeError";
    this.limitName = limit.name;
    this.limitBytes = limit.bytes;
    this.bytes = bytes;
  }
}

/**
 * The one way an error becomes `{ type, message }` in a report, so the same failure reads the
 * same under every strategy: a task's own error type when a transport reported one, else the
 * error's name.
 */
export function describeError(error: unknown): { type: string; message: string } {
  if (error instanceof TaskFailedError) return { type: error.errorType, message: error.message };
  if (error instanceof Error) return { type: error.name, message: error.message };
  return { type: "Error", message: String(error) };
}

/** A run that would take more of a platform's counted resource than it allows, refused up front. */
export class LimitExceededError extends LabError {
  constructor(what: string, count: number, limit: { name: string; count: number }) {
    super(
      `${what} is ${count.toLocaleString("en-US")}, over the ${limit.name} limit of ${limit.count.toLocaleString("en-US")}`,
    );
    this.name = "LimitExceededError";
  }
}

/**
 * A queued task failed with retries left: its message is to be delivered again (SQS's own retry,
 * by receive count) after `delaySeconds`, rather than its failure reported to the run.
 */
export class RedeliveryRequestedError extends LabError {
  readonly taskId: string;
  readonly delaySeconds: number;

  constructor(taskId: string, attempt: number, delaySeconds: number, options?: ErrorOptions) {
    super(`${taskId} failed on attempt ${attempt}: delivered again in ${delaySeconds} s`, options);
    this.name = "RedeliveryRequestedError";
    this.taskId = taskId;
    this.delaySeconds = delaySeconds;
  }
}
