import { z } from "zod";
import { InvalidInputError, RequestTooLargeError } from "./errors.js";
import { parseOrThrow, quoteInput } from "./fieldPath.js";
import { byteLength } from "./payloadLimits.js";
import { RUN_ID_PATTERN, type RunMode, runModeSchema } from "./runs/record.js";
import { STRATEGIES, type StrategyName } from "./strategies/names.js";
import { MAX_SCALE } from "./tasks/catalog.js";
import { validateWorkflow } from "./workflow/dag.js";
import { SEED_WORKFLOW } from "./workflow/defaults.js";
import type { Workflow } from "./workflow/types.js";

/**
 * The largest body `POST /runs/{strategy}` reads, UTF-8 bytes. MAX_TASKS tasks with 64-character
 * ids, two deps each and a 500-character fail message make 778 KB (270 KB without the message);
 * anything bigger is refused with a 413 naming `body` before it is parsed. The platforms' own
 * limits are higher and answer without our JSON, before any function runs. On AWS, API Gateway
 * refuses a REST request over 10 MB with its REQUEST_TOO_LARGE response (413, the one gateway
 * response that cannot be customised), and a Lambda proxy event over Lambda's 6 MB synchronous
 * invoke payload with 413 {"message":"Request Too Long"} (as reported in
 * koki-develop/lgtm-generator#10; not measured here). LocalStack 4.14 enforces neither: its API
 * Gateway defines RequestTooLargeError but never raises it, and Lambda's 6 MB check lives in the
 * init of its Docker runtime, which our node-process executor replaces, so locally a body of any
 * size reaches this check.
 */
export const MAX_RUN_REQUEST_BYTES = 1024 * 1024;

const runRequestSchema = z.strictObject({
  workflow: z.unknown().optional(),
  scale: z.number().positive().max(MAX_SCALE).default(1),
  /** The stepfunctions strategy only: series-parallel (default) or a Parallel per DAG level. */
  stateMachineForm: z.enum(["seriesParallel", "levels"]).optional(),
  /** The client's own id for the run: posting it again is the same run, not a second one. */
  runId: z
    .string()
    .regex(RUN_ID_PATTERN, "must be 1-128 letters, digits, '-' or '_'")
    .refine((id) => !STRATEGIES.some((name) => name === id), "must not be a strategy's name")
    .optional(),
  /** `async` answers 202 at once and runs on (as the header `Prefer: respond-async` asks). */
  mode: runModeSchema.optional(),
});

export interface RunRequest {
  workflow: Workflow;
  scale: number;
  stateMachineForm?: "seriesParallel" | "levels";
  runId?: string;
  mode?: RunMode;
}

export function parseStrategy(raw: string | undefined): StrategyName {
  const strategy = STRATEGIES.find((name) => name === raw);
  if (!strategy) {
    throw new InvalidInputError(
      "strategy",
      `unknown strategy ${quoteInput(raw ?? "")}; expected one of ${STRATEGIES.join(", ")}`,
    );
  }
  return strategy;
}

/**
 * The body is a JSON object whose fields are all optional: `{}` runs the seed. An empty body is
 * refused rather than read as `{}`: it is not JSON, and it is what a `curl -X POST` without `-d`
 * sends, which should not start a run by accident.
 */
function parseJsonBody(body: string | null | undefined): unknown {
  if (body === null || body === undefined || body.trim() === "") {
    throw new InvalidInputError("body", "is empty; send a JSON object ({} runs the seed workflow)");
  }
  const bytes = byteLength(body);
  if (bytes > MAX_RUN_REQUEST_BYTES) {
    throw new RequestTooLargeError("body", bytes, MAX_RUN_REQUEST_BYTES);
  }
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError("body", `malformed JSON (${reason})`, { cause: error });
  }
}

/**
 * The body of `POST /runs/{strategy}`: a JSON object `{ workflow?, scale?, stateMachineForm?,
 * runId?, mode? }`; `{}` runs the seed.
 */
export function parseRunRequest(body: string | null | undefined): RunRequest {
  const parsed = parseOrThrow(runRequestSchema, parseJsonBody(body), "body");
  const workflow =
    parsed.workflow === undefined ? SEED_WORKFLOW : validateWorkflow(parsed.workflow, "workflow");
  return {
    workflow,
    scale: parsed.scale,
    ...(parsed.stateMachineForm ? { stateMachineForm: parsed.stateMachineForm } : {}),
    ...(parsed.runId ? { runId: parsed.runId } : {}),
    ...(parsed.mode ? { mode: parsed.mode } : {}),
  };
}

/**
 * The mode a request asks for: its body's `mode`, else RFC 7240's `Prefer: respond-async` header
 * (any letter case, among other preferences), else synchronous.
 */
export function requestedMode(
  request: RunRequest,
  headers: Record<string, string | undefined> | null,
): RunMode {
  if (request.mode) return request.mode;
  const prefer = Object.entries(headers ?? {}).find(([name]) => name.toLowerCase() === "prefer");
  const preferences = (prefer?.[1] ?? "").split(",").map((part) => part.trim().toLowerCase());
  return preferences.includes("respond-async") ? "async" : "sync";
}
