import type { RunRecord } from "../../../lib/runs/record.js";
import { SEED_WORKFLOW } from "../../../lib/workflow/defaults.js";
import { aRunReport, T0 } from "../../helpers/factories.js";

export const RUN_ID = "compare-20261205T101112Z-3f9a-queue-1";

/**
 * A run's record as GET /runs/{runId} answers it: running, with one task finished; override what
 * the test is about. (Beside the CLI's tests: the brief keeps this change out of test/helpers.)
 */
export function aRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  return {
    runId: RUN_ID,
    strategy: "queue",
    mode: "async",
    status: "running",
    requestHash: "0".repeat(64),
    request: { workflow: SEED_WORKFLOW, scale: 1 },
    acceptedAt: T0,
    deadlineAt: T0 + 15 * 60_000,
    startedAt: T0 + 100,
    tasksFinished: ["queryData"],
    ...overrides,
  };
}

/** A record that ended with its report. */
export function anEndedRunRecord(overrides: Partial<RunRecord> = {}): RunRecord {
  const { tasksFinished: _running, ...record } = aRunRecord();
  return {
    ...record,
    status: "succeeded",
    endedAt: T0 + 5000,
    report: aRunReport({ runId: RUN_ID, strategy: "queue" }),
    ...overrides,
  };
}
