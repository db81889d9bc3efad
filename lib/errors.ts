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

/** A task ran and failed: its body threw, its Lambda returned a FunctionError, or it timed out. */
export class TaskFailedError extends LabError {
  readonly taskId: string;
  readonly errorType: string;

  constructor(taskId: string, errorType: string, message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "TaskFailedError";
    this.taskId = taskId;
    this.errorType = errorType;
  }
}
