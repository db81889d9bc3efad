import { z } from "zod";
import { parseAllowList } from "../lib/ownFunctions/ownFunctions.js";

/** Settings serverless.yml gives every function; read on first use, not at import. */
const environmentSchema = z.object({
  TASK_FUNCTION_PREFIX: z.string().min(1),
  WORK_QUEUE_NAME: z.string().min(1),
  REPLY_QUEUE_PREFIX: z.string().min(1),
});

export type ServiceConfig = z.infer<typeof environmentSchema>;

let cached: ServiceConfig | undefined;

export function serviceConfig(): ServiceConfig {
  cached ??= environmentSchema.parse(process.env);
  return cached;
}

/** What the orchestrators and the records API are given: where run records are kept. */
const runRecordsEnvironmentSchema = z.object({
  RUN_RECORDS_BUCKET: z.string().min(1),
  /** The queue orchestrator only: the worker's timeout bounds a queued task. */
  WORKER_TIMEOUT_SECONDS: z.coerce.number().int().positive().optional(),
});

export function runRecordsConfig(): z.infer<typeof runRecordsEnvironmentSchema> {
  return runRecordsEnvironmentSchema.parse(process.env);
}

/** What the stepfunctions orchestrator alone is given (serverless.yml, its own environment). */
const stateMachineEnvironmentSchema = z.object({
  STATE_MACHINE_PREFIX: z.string().min(1),
  STATE_MACHINE_ROLE_ARN: z.string().min(1),
  TASK_FUNCTION_ARN_PREFIX: z.string().min(1),
});

export function stateMachineConfig(): z.infer<typeof stateMachineEnvironmentSchema> {
  return stateMachineEnvironmentSchema.parse(process.env);
}

/**
 * What the reply-queue sweeper alone is given (serverless.yml): the queue orchestrator's Lambda
 * timeout, read from that function's own configuration, bounds how long a live run's reply queue
 * can exist.
 */
const sweeperEnvironmentSchema = z.object({
  REPLY_QUEUE_PREFIX: z.string().min(1),
  QUEUE_ORCHESTRATOR_TIMEOUT_SECONDS: z.coerce.number().int().positive(),
});

export function sweeperConfig(): z.infer<typeof sweeperEnvironmentSchema> {
  return sweeperEnvironmentSchema.parse(process.env);
}

/** What the durable orchestrator alone is given (serverless.yml, its own environment). */
const durableEnvironmentSchema = z.object({
  TASK_FUNCTION_PREFIX: z.string().min(1),
  /** The function's DurableConfig retention, priced as data retained. */
  DURABLE_RETENTION_DAYS: z.coerce.number().int().min(1).max(90),
  /** How long a run may take before it answers with its unfinished tasks timed out. */
  DURABLE_RUN_BUDGET_S: z.coerce.number().int().positive(),
  /** The DurableConfig execution timeout: it bounds an asynchronous durable run. */
  DURABLE_EXECUTION_TIMEOUT_S: z.coerce.number().int().positive(),
});

export function durableConfig(): z.infer<typeof durableEnvironmentSchema> {
  return durableEnvironmentSchema.parse(process.env);
}

/**
 * The user's own functions this service may invoke: the deploy parameter `invokableFunctions`
 * (serverless.yml), the same list the invoking roles were granted. Unset allows none.
 */
export function invokableFunctions(): ReadonlySet<string> {
  return parseAllowList(process.env.INVOKABLE_FUNCTIONS);
}

/**
 * What the run-record sweeper is given besides the service's settings. Locally, durable
 * executions are kept by AWS's local durable execution service, named here and not as
 * AWS_ENDPOINT_URL_LAMBDA: that variable is what marks a function durable on the local stack.
 */
const runRecordSweeperEnvironmentSchema = z.object({
  DURABLE_SERVICE_ENDPOINT: z.url().optional(),
});

export function runRecordSweeperConfig(): z.infer<typeof runRecordSweeperEnvironmentSchema> {
  return runRecordSweeperEnvironmentSchema.parse(process.env);
}
