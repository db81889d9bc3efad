// zod/mini, not zod: a task function's whole bundle is little more than this file, and the full
// zod (its chained methods defined on every schema) is ~750 KB to evaluate at every cold start.
// These are ordinary zod schemas all the same: the rest of the project composes and parses them.
import { en } from "zod/locales";
import * as z from "zod/mini";
import {
  MAX_OUTPUT_BYTES,
  MAX_SCALE,
  MAX_TASK_DURATION_MS,
  TASK_FAULTS,
  TASK_FUNCTIONS,
  TASK_KINDS,
} from "./catalog.js";

// zod/mini loads no messages of its own: the same English ones as the rest of the project.
z.config(en());

/** A task request's fields, `inputs` keyed by dep id: what every strategy but stepfunctions sends. */
const taskRequestFields = z.object({
  runId: z.string().check(z.minLength(1)),
  taskId: z.string().check(z.minLength(1)),
  fn: z.enum(TASK_FUNCTIONS),
  durationMs: z.int().check(z.minimum(0), z.maximum(MAX_TASK_DURATION_MS * MAX_SCALE)),
  kind: z.enum(TASK_KINDS),
  /** Outputs of the task's deps, by dep id. */
  inputs: z.record(z.string(), z.unknown()),
  outputBytes: z.optional(z.int().check(z.minimum(0), z.maximum(MAX_OUTPUT_BYTES))),
  fail: z.optional(z.string()),
  /** 0 for the first attempt: a fault is injected on that one only. */
  attempt: z.optional(z.int().check(z.minimum(0))),
  fault: z.optional(z.enum(TASK_FAULTS)),
  /** The queue strategy only: redeliveries the worker may ask SQS for before it reports failure. */
  retries: z.optional(z.int().check(z.minimum(0))),
});

/**
 * What a task Lambda accepts: the orchestrator builds it, but a Lambda trusts no caller.
 *
 * A Step Functions definition is shared by every workflow of one shape, so it cannot hold task
 * ids, not even as the keys of `inputs`: a state machine keys `inputs` by its own names for the
 * deps (`t0`, `t1`...) and sends `inputIds`, the dep id of each of those keys, as data. Parsing
 * puts every input back under its dep's id and drops `inputIds`, so what runTask receives is the
 * same request whichever strategy sent it.
 */
export const taskRequestSchema = z.pipe(
  z
    .extend(taskRequestFields, {
      /** The dep id of each key of `inputs`, when `inputs` is not keyed by dep id already. */
      inputIds: z.optional(z.record(z.string(), z.string().check(z.minLength(1)))),
    })
    .check(
      z.superRefine(({ inputs, inputIds }, context) => {
        if (inputIds === undefined) return;
        const problem = (path: string[], message: string) =>
          context.addIssue({ code: "custom", path, message });
        for (const key of Object.keys(inputs)) {
          if (!Object.hasOwn(inputIds, key)) problem(["inputs", key], "has no dep id in inputIds");
        }
        const seen = new Set<string>();
        for (const [key, id] of Object.entries(inputIds)) {
          if (!Object.hasOwn(inputs, key)) problem(["inputIds", key], "names no key of inputs");
          if (seen.has(id)) problem(["inputIds", key], `repeats dep id '${id}'`);
          seen.add(id);
        }
      }),
    ),
  z.transform(({ inputIds, ...request }) =>
    inputIds === undefined
      ? request
      : {
          ...request,
          inputs: Object.fromEntries(
            Object.entries(request.inputs).map(([key, input]) => [inputIds[key] ?? key, input]),
          ),
        },
  ),
);

/** Where a worker reports, and until when its message is worth running. */
const workEnvelope = {
  replyTo: z.string().check(z.minLength(1)),
  sentAt: z.number(),
  /** When the run gives up (epoch ms): a message still queued then is dropped, not run. */
  expiresAt: z.optional(z.number()),
};

/** A user's own function for the worker to invoke: its event built, its configuration looked up. */
const functionCallFields = z.object({
  runId: z.string().check(z.minLength(1)),
  taskId: z.string().check(z.minLength(1)),
  function: z.string().check(z.minLength(1)),
  configuration: z.object({
    arn: z.string().check(z.minLength(1)),
    memoryMb: z.number().check(z.positive()),
    architecture: z.enum(["arm64", "x86_64"]),
    timeoutS: z.number().check(z.positive()),
  }),
  event: z.unknown(),
  retries: z.optional(z.int().check(z.minimum(0))),
});

export const builtInWorkMessageSchema = z.extend(taskRequestFields, workEnvelope);
export const functionWorkMessageSchema = z.extend(functionCallFields, workEnvelope);

/** A built-in task to run in the worker, or an own function for the worker to invoke. */
export const workMessageSchema = z.union([builtInWorkMessageSchema, functionWorkMessageSchema]);

/**
 * The schema a raw work message is parsed with: a message naming a `function` is an own
 * function's, any other a built-in task's, so an error names the field that is wrong rather than
 * saying only that neither kind matched.
 */
export function workMessageSchemaFor(
  raw: unknown,
): typeof builtInWorkMessageSchema | typeof functionWorkMessageSchema {
  return raw && typeof raw === "object" && "function" in raw
    ? functionWorkMessageSchema
    : builtInWorkMessageSchema;
}

/** What one Lambda invocation was billed for, measured inside the function. */
export const lambdaBillingSchema = z.object({
  memoryMb: z.number().check(z.positive()),
  architecture: z.enum(["arm64", "x86_64"]),
  billedMs: z.number().check(z.minimum(0)),
  initMs: z.number().check(z.minimum(0)),
  /** An own function's peak memory, from its REPORT line. */
  maxMemoryUsedMb: z.optional(z.number().check(z.minimum(0))),
});

/**
 * Where an own function's figures came from: Lambda's REPORT line (our code invoked it) or the
 * invoking service's own timestamps (Step Functions, the durable service); the rest derived.
 */
export const measurementSchema = z.object({
  source: z.enum(["REPORT line", "execution timestamps", "round trip"]),
  measured: z.array(z.string()),
  derived: z.array(z.string()),
});

/** What a task returns: its output and its own span; `billing` when it ran in its own Lambda. */
export const taskResultSchema = z.object({
  output: z.unknown(),
  startedAt: z.number(),
  endedAt: z.number(),
  coldStart: z.boolean(),
  billing: z.optional(lambdaBillingSchema),
  measurement: z.optional(measurementSchema),
  /** Attempts it took, when the strategy's platform retried it (1: no retry). */
  attempts: z.optional(z.int().check(z.minimum(1))),
  /** The queue worker's own invocation, when it invoked an own function (both are billed). */
  workerBilling: z.optional(lambdaBillingSchema),
});

const taskErrorSchema = z.object({ type: z.string(), message: z.string() });

export const completionSchema = z.discriminatedUnion("ok", [
  z.object({
    runId: z.string(),
    taskId: z.string(),
    ok: z.literal(true),
    result: taskResultSchema,
    receivedAt: z.number(),
    completedAt: z.number(),
  }),
  z.object({
    runId: z.string(),
    taskId: z.string(),
    ok: z.literal(false),
    error: taskErrorSchema,
    billing: z.optional(lambdaBillingSchema),
    receivedAt: z.number(),
    completedAt: z.number(),
  }),
]);

/** What Lambda answers for a failed invocation (FunctionError), and Step Functions keeps as cause. */
export const lambdaErrorPayloadSchema = z.object({
  errorType: z.optional(z.string()),
  errorMessage: z.optional(z.string()),
});
