/**
 * The Amazon States Language (JSONPath) as the generated state machines use it: payload
 * templates, the three state types, branches and definitions, and the throttle retrier every
 * Task state carries.
 */

export type JsonValue =
  | string
  | number
  | boolean
  | null
  | JsonValue[]
  | { [key: string]: JsonValue };

/** A JSONPath payload template: a key ending in `.$` holds a path into the state's input. */
export type PayloadTemplate = { [key: string]: JsonValue };

/** Where a state goes next: the named state, or the end of its branch (or of the machine). */
export type Transition = { Next: string } | { End: true };

// Object types rather than interfaces: they stay assignable to `Record<string, unknown>`, which
// generic definition walkers (withTaskFailures, tests) take.

/** Shapes `{ runId, results: {} }` from the execution input; or notes a time in the results. */
export type AslPassBody = {
  Type: "Pass";
  Parameters: PayloadTemplate;
  ResultPath?: string;
};

/** Invokes a Lambda function directly (its ARN as Resource): the result is its payload. */
export type AslTaskBody = {
  Type: "Task";
  Resource: string;
  Parameters: PayloadTemplate;
  /** Own functions: their answer is the output, with the time the state was entered. */
  ResultSelector?: PayloadTemplate;
  ResultPath: string;
  Retry: AslRetrier[];
};

export type AslRetrier = {
  ErrorEquals: string[];
  IntervalSeconds: number;
  BackoffRate: number;
  MaxAttempts: number;
  JitterStrategy: "FULL" | "NONE";
};

/**
 * Past the account's concurrency Lambda refuses an invoke with 429 and nothing runs, so Step
 * Functions retries it (AWS's advice for Lambda tasks: "Lambda.TooManyRequestsException"), with
 * full-jitter backoff under 1, 2, 4 and 8 s (about 15 s at most, within the run budget). A
 * task that ran and failed is not retried.
 */
export const THROTTLE_RETRY: AslRetrier = {
  // "Exception": LocalStack 4.14.0 names every Lambda API error of a Task with a function ARN so
  // (the message says "Rate Exceeded."); none of the task functions throws an error of that name.
  ErrorEquals: ["Lambda.TooManyRequestsException", "Exception"],
  IntervalSeconds: 1,
  BackoffRate: 2,
  MaxAttempts: 5,
  JitterStrategy: "FULL",
};

/** Runs branches side by side; its raw output is the array of the branches' outputs. */
export type AslParallelBody = {
  Type: "Parallel";
  Branches: AslBranch[];
  ResultSelector: PayloadTemplate;
  ResultPath: string;
};

export type AslPassState = AslPassBody & Transition;
export type AslTaskState = AslTaskBody & Transition;
export type AslParallelState = AslParallelBody & Transition;
export type AslState = AslPassState | AslTaskState | AslParallelState;
/** A state before its transition is added. */
export type AslStateBody = AslPassBody | AslTaskBody | AslParallelBody;

export type AslBranch = {
  StartAt: string;
  States: Record<string, AslState>;
};

/** An Amazon States Language definition (JSONPath, the default query language). */
export type AslDefinition = AslBranch & { Comment: string };
