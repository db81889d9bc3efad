/**
 * A run's record: what the service keeps of every run it accepted, synchronous or asynchronous,
 * and what `GET /runs/{runId}` answers. Written when the run is accepted (its request, strategy,
 * deadline), when it starts, and when it ends (its report, or why it failed). One zod schema:
 * the store parses what it reads, the CLI parses what the API answers.
 */
import { z } from "zod";
import { runReportSchema } from "../runReport/types.js";
import { STRATEGIES, type StrategyName } from "../strategies/names.js";

/** Client-chosen ids travel in URLs and object keys: letters, digits, `-` and `_`. */
export const RUN_ID_PATTERN = /^[A-Za-z0-9_-]{1,128}$/;

export const runModeSchema = z.enum(["sync", "async"]);
export type RunMode = z.infer<typeof runModeSchema>;

export const runStatusSchema = z.enum(["accepted", "running", "succeeded", "failed"]);
export type RunStatus = z.infer<typeof runStatusSchema>;

/** What a run was asked to do: the body of its POST, as parsed (workflow validated). */
export const recordedRequestSchema = z.object({
  workflow: z.unknown(),
  scale: z.number(),
  stateMachineForm: z.enum(["seriesParallel", "levels"]).optional(),
});

export const runRecordSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  strategy: z.enum(STRATEGIES as [StrategyName, ...StrategyName[]]),
  mode: runModeSchema,
  status: runStatusSchema,
  /** A hash of the request: the same id posted with a different request is refused (409). */
  requestHash: z.string(),
  request: recordedRequestSchema,
  /** Epoch ms. */
  acceptedAt: z.number(),
  /** The run is failed if it has not ended by then (its longest run, or the request's budget). */
  deadlineAt: z.number(),
  startedAt: z.number().optional(),
  /** While running: when its orchestrator last said it was alive (every 20 s). */
  heartbeatAt: z.number().optional(),
  endedAt: z.number().optional(),
  /**
   * The durable execution that carries the run (durable strategy): suspended between replays, its
   * orchestrator has no heartbeat, so the sweeper asks the platform whether the execution goes on.
   */
  durableExecutionArn: z.string().optional(),
  /** The injected orchestrator crash (workflow.orchestratorFault): when it was made, once per run. */
  orchestratorCrashedAt: z.number().optional(),
  /** While running: ids of the tasks that have finished so far. */
  tasksFinished: z.array(z.string()).optional(),
  /** When it ended with a report (succeeded, or failed with the failing task named in it). */
  report: runReportSchema.optional(),
  /** When it ended without a report: why (the sweeper's reason, for a run no one ended). */
  error: z.object({ type: z.string(), message: z.string() }).optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;
/** What a record says carries its run, where the platform keeps an execution of its own. */
export type RunCarrier = Pick<RunRecord, "durableExecutionArn">;

export const isEnded = (record: RunRecord) =>
  record.status === "succeeded" || record.status === "failed";
