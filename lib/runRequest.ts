import { z } from "zod";
import { InvalidInputError } from "./errors.js";
import { parseOrThrow } from "./fieldPath.js";
import { STRATEGIES, type StrategyName } from "./strategies/registry.js";
import { MAX_SCALE } from "./tasks/catalog.js";
import { validateWorkflow } from "./workflow/dag.js";
import { SEED_WORKFLOW } from "./workflow/defaults.js";
import type { Workflow } from "./workflow/types.js";

const runRequestSchema = z.strictObject({
  workflow: z.unknown().optional(),
  scale: z.number().positive().max(MAX_SCALE).default(1),
  /** The stepfunctions strategy only: series-parallel (default) or a Parallel per DAG level. */
  stateMachineForm: z.enum(["seriesParallel", "levels"]).optional(),
});

export interface RunRequest {
  workflow: Workflow;
  scale: number;
  stateMachineForm?: "seriesParallel" | "levels";
}

export function parseStrategy(raw: string | undefined): StrategyName {
  const strategy = STRATEGIES.find((name) => name === raw);
  if (!strategy) {
    throw new InvalidInputError(
      "strategy",
      `unknown strategy '${raw ?? ""}'; expected one of ${STRATEGIES.join(", ")}`,
    );
  }
  return strategy;
}

function parseJsonBody(body: string | null | undefined): unknown {
  if (body === null || body === undefined || body.trim() === "") return {};
  try {
    return JSON.parse(body);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new InvalidInputError("body", `malformed JSON (${reason})`, { cause: error });
  }
}

/** The body of `POST /runs/{strategy}`: optional, `{ workflow?, scale? }`; the seed by default. */
export function parseRunRequest(body: string | null | undefined): RunRequest {
  const parsed = parseOrThrow(runRequestSchema, parseJsonBody(body), "body");
  const workflow =
    parsed.workflow === undefined ? SEED_WORKFLOW : validateWorkflow(parsed.workflow, "workflow");
  return {
    workflow,
    scale: parsed.scale,
    ...(parsed.stateMachineForm ? { stateMachineForm: parsed.stateMachineForm } : {}),
  };
}
