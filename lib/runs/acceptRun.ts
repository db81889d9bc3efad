import { createHash } from "node:crypto";
import { RunIdConflictError } from "../errors.js";
import type { RunRecordStore } from "../ports.js";
import type { RunRequest } from "../runRequest.js";
import type { StrategyName } from "../strategies/names.js";
import type { RunMode, RunRecord } from "./record.js";

/** What identifies a request, whatever its mode: the same id and hash is the same run. */
export function requestHashOf(strategy: StrategyName, request: RunRequest): string {
  const { workflow, scale, stateMachineForm } = request;
  return createHash("sha256")
    .update(
      JSON.stringify({ strategy, workflow, scale, stateMachineForm: stateMachineForm ?? null }),
    )
    .digest("hex");
}

export type Acceptance = { accepted: RunRecord } | { repeated: RunRecord };

/**
 * Accepts a run: its record is written, as "accepted", before anything runs. A run id already
 * taken by the same request answers that run (as Powertools' idempotency utility answers a
 * repeated request with the first one's result); by a different request, a 409.
 */
export async function acceptRun(
  store: RunRecordStore,
  run: {
    runId: string;
    strategy: StrategyName;
    mode: RunMode;
    request: RunRequest;
    now: number;
    deadlineAt: number;
  },
): Promise<Acceptance> {
  const { workflow, scale, stateMachineForm } = run.request;
  const record: RunRecord = {
    runId: run.runId,
    strategy: run.strategy,
    mode: run.mode,
    status: "accepted",
    requestHash: requestHashOf(run.strategy, run.request),
    request: { workflow, scale, ...(stateMachineForm ? { stateMachineForm } : {}) },
    acceptedAt: run.now,
    deadlineAt: run.deadlineAt,
  };
  const outcome = await store.create(record);
  if (outcome.created) return { accepted: record };
  if (outcome.existing.requestHash !== record.requestHash) throw new RunIdConflictError(run.runId);
  return { repeated: outcome.existing };
}
