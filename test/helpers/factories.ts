import type { RunReport, TaskReport } from "../../lib/report/types.js";

/** A fixed epoch so that reports built in tests are deterministic. */
export const T0 = 1_700_000_000_000;

/** A succeeded task that was invoked at T0 and ran for 1 s; override what the test is about. */
export function aTaskReport(overrides: Partial<TaskReport> = {}): TaskReport {
  return {
    id: "query",
    fn: "queryData",
    deps: [],
    kind: "io",
    durationMs: 1000,
    level: 0,
    status: "succeeded",
    invokedAt: T0,
    startedAt: T0 + 20,
    endedAt: T0 + 1020,
    returnedAt: T0 + 1040,
    coldStart: false,
    memoryMb: 1024,
    ...overrides,
  };
}

/**
 * A succeeded one-task run. `endedAt` follows `startedAt + wallMs` and `overheadMs` follows
 * `wallMs - criticalPathMs` unless overridden, so a test only sets the numbers it is about.
 */
export function aRunReport(overrides: Partial<RunReport> = {}): RunReport {
  const startedAt = overrides.startedAt ?? T0;
  const wallMs = overrides.wallMs ?? (overrides.endedAt ?? startedAt + 1100) - startedAt;
  const criticalPathMs = overrides.criticalPathMs ?? Math.min(1000, wallMs);
  return {
    runId: "3f2a9c1e-7b4d-4e0a-9c1f-5d6e7f8a9b0c",
    strategy: "sequential",
    status: "succeeded",
    scale: 1,
    startedAt,
    endedAt: startedAt + wallMs,
    wallMs,
    criticalPathMs,
    criticalPath: ["query"],
    overheadMs: wallMs - criticalPathMs,
    levels: 1,
    coldStarts: 0,
    tasks: [
      aTaskReport({
        invokedAt: startedAt,
        startedAt: startedAt + 20,
        endedAt: startedAt + 20 + criticalPathMs,
        returnedAt: startedAt + wallMs,
      }),
    ],
    ...overrides,
  };
}
