import type { RunReport } from "../runReport/types.js";
import type { PlatformParameters } from "./parameters.js";
import type { OwnFunctionFacts } from "./taskBodies.js";

/** What an own function is taken to do when nothing was measured of it: an assumption, said so. */
export const UNMEASURED_OWN_FUNCTION: OwnFunctionFacts = {
  workMs: 1000,
  memoryMb: 1024,
  architecture: "arm64",
  bytesOut: 256,
  source: "assumption: not measured, taken as 1 s of work at 1,024 MB",
};

/**
 * The own functions' facts from measured runs: each task's shortest duration over the runs (the
 * one least slowed by other work beside it: on this machine every environment shares its cores),
 * at the memory and architecture its REPORT line gave, turned into work at a full core by the
 * platform the runs were measured on (`measuredOn`), and its largest output.
 */
export function ownFunctionFactsFrom(
  runs: readonly RunReport[],
  measuredOn: PlatformParameters["cpu"],
): Map<string, OwnFunctionFacts> {
  const facts = new Map<string, OwnFunctionFacts>();
  for (const run of runs) {
    for (const task of run.tasks) {
      if (task.function === undefined || task.status !== "succeeded") continue;
      const durationMs =
        task.startedAt !== undefined && task.endedAt !== undefined
          ? task.endedAt - task.startedAt
          : task.billing?.billedMs;
      if (durationMs === undefined) continue;
      const memoryMb = task.billing?.memoryMb ?? UNMEASURED_OWN_FUNCTION.memoryMb;
      const share =
        measuredOn.mode === "perEnvironment"
          ? Math.min(1, memoryMb / measuredOn.mbPerVcpu.value)
          : 1;
      const workMs = durationMs * share;
      const known = facts.get(task.id);
      if (known && known.workMs <= workMs) {
        known.bytesOut = Math.max(known.bytesOut, task.bytesOut ?? 0);
        continue;
      }
      facts.set(task.id, {
        workMs,
        memoryMb,
        architecture: task.billing?.architecture ?? UNMEASURED_OWN_FUNCTION.architecture,
        bytesOut: Math.max(known?.bytesOut ?? 0, task.bytesOut ?? 0),
        source: `measured: the shortest of ${run.strategy} and the other runs given (${task.measurement?.source ?? "the task's own span"})`,
      });
    }
  }
  return facts;
}
