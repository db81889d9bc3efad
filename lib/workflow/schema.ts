import { z } from "zod";
import { inputsKeyOf } from "../ownFunctions/functionEvent.js";
import {
  FUNCTION_REFERENCE_PATTERN,
  MAX_PAYLOAD_BYTES,
} from "../ownFunctions/functionReference.js";
import { byteLength } from "../payloadLimits.js";
import {
  MAX_OUTPUT_BYTES,
  MAX_TASK_DURATION_MS,
  ORCHESTRATOR_FAULTS,
  TASK_FAULTS,
  TASK_FUNCTIONS,
  TASK_KINDS,
} from "../tasks/catalog.js";

/**
 * Widest workflow accepted: Lambda's default concurrency per region is 1,000, so wider runs would
 * only measure throttling. The local stack runs fewer at once (LOCAL_CONCURRENCY in
 * localstack/start.sh) and throttles the rest, as Lambda does.
 */
export const MAX_TASKS = 1000;

/**
 * The most retries a task may ask for: the work queue's maxReceiveCount of 3 (serverless.yml)
 * allows the queue strategy two redeliveries before the DLQ, and every strategy gets the same.
 */
export const MAX_RETRIES = 2;

const retriesSchema = z.number().int().min(0).max(MAX_RETRIES);

export const taskKindSchema = z.enum(TASK_KINDS);

/**
 * Ids that are also the names of JavaScript's object machinery. Task ids become keys of plain
 * objects (a task's `inputs`, processData's `digests`, Step Functions' `results`): zod's
 * z.record, like any `object[key] = value`, turns a `__proto__` key into the object's prototype
 * and drops it (the dependent's input vanishes), and a lookup of an absent `constructor` finds
 * Object's own. Refused up front rather than guarded at every boundary.
 */
const RESERVED_TASK_IDS: ReadonlySet<string> = new Set(["__proto__", "constructor", "prototype"]);

/** A task id, and the key under which an own function receives its deps' outputs. */
const identifier = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, "use letters, digits, '_' or '-'");

/** Fields that shape a built-in task's planned work: an own function does its own work. */
const BUILT_IN_ONLY = ["durationMs", "kind", "outputBytes", "fail", "fault"] as const;

export const taskNodeSchema = z
  .strictObject({
    id: identifier.refine((id) => !RESERVED_TASK_IDS.has(id), {
      message: `is reserved: ${[...RESERVED_TASK_IDS].join(", ")} name JavaScript's object machinery`,
    }),
    /** One of the built-in task functions, deployed with this service. */
    fn: z.enum(TASK_FUNCTIONS).optional(),
    /**
     * Any Lambda function instead: a name, `name:alias` or an ARN. It receives `payload` with the
     * deps' outputs under `inputsKey` (lib/ownFunctions/functionEvent.ts) and returns its output.
     */
    function: z
      .string()
      .max(170)
      .regex(FUNCTION_REFERENCE_PATTERN, "is not a Lambda function name, name:alias or ARN")
      .optional(),
    payload: z
      .record(z.string(), z.unknown())
      .refine((payload) => byteLength(JSON.stringify(payload)) <= MAX_PAYLOAD_BYTES, {
        message: `is over ${MAX_PAYLOAD_BYTES.toLocaleString("en-US")} bytes as JSON`,
      })
      .optional(),
    /** Where the deps' outputs go in the event; null sends the payload as is. */
    inputsKey: identifier.nullable().optional(),
    deps: z.array(z.string()).default([]),
    // The bounds before int(): zod reports the first failed check, and for 1e308 that should be
    // "<=10000", not int()'s own safe-integer bound.
    durationMs: z.number().min(0).max(MAX_TASK_DURATION_MS).int().optional(),
    kind: taskKindSchema.optional(),
    /** Size of queryData's record set: the data its dependents receive (the lesson's copying cost). */
    outputBytes: z.number().min(0).max(MAX_OUTPUT_BYTES).int().optional(),
    /** Makes the task throw with this message: shows how each strategy reports a failure. */
    fail: z.string().min(1).max(500).optional(),
    /** Attempts after the first when it fails; each strategy retries with its own mechanism. */
    retries: retriesSchema.optional(),
    fault: z.enum(TASK_FAULTS).optional(),
  })
  .superRefine((node, context) => {
    const problem = (path: string, message: string) =>
      context.addIssue({ code: "custom", path: [path], message });
    if ((node.fn === undefined) === (node.function === undefined)) {
      problem("fn", "set exactly one of fn (a built-in task) and function (your own Lambda)");
      return;
    }
    if (node.function === undefined) {
      for (const field of ["payload", "inputsKey"] as const) {
        if (node[field] !== undefined) problem(field, "applies to a node with `function` only");
      }
      if (node.outputBytes !== undefined && node.fn !== "queryData") {
        problem(
          "outputBytes",
          "applies to queryData only: it makes the data that dependents receive",
        );
      }
      return;
    }
    for (const field of BUILT_IN_ONLY) {
      if (node[field] !== undefined) {
        problem(field, "applies to built-in tasks only: your own function does its own work");
      }
    }
    const inputsKey = inputsKeyOf(node);
    if (inputsKey !== null && node.payload && Object.hasOwn(node.payload, inputsKey)) {
      problem(
        "payload",
        `has a key '${inputsKey}', where the deps' outputs go; set inputsKey to another key`,
      );
    }
  });

/** Shape only; the graph rules (unique ids, known deps, no cycle) live in validateWorkflow. */
export const workflowSchema = z.strictObject({
  tasks: z.array(taskNodeSchema).min(1).max(MAX_TASKS),
  /** Every task's retries unless it sets its own (default 0). */
  retries: retriesSchema.optional(),
  /** Kills the orchestrator's environment once, mid-run (lib/tasks/catalog.ts). */
  orchestratorFault: z.enum(ORCHESTRATOR_FAULTS).optional(),
});
