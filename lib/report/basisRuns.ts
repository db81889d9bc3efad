import type { RunReport } from "../runReport/types.js";

/**
 * Which runs a strategy's timings come from: warm succeeded runs when there are any, else the
 * succeeded runs that paid cold starts, else (nothing succeeded) every run.
 */
export type StatisticsBasis = "warm" | "cold" | "failed";

/**
 * The runs of one strategy that its statistics rest on (see {@link StatisticsBasis}). Shared by
 * the medians of compareRuns and the intervals of compareGroups, so both describe the same runs.
 *
 * @example
 * const { basis, measured } = basisRuns(runsOfFanout); // "warm", the warm succeeded runs
 */
export function basisRuns(runs: readonly RunReport[]): {
  basis: StatisticsBasis;
  measured: RunReport[];
} {
  const succeeded = runs.filter((run) => run.status === "succeeded");
  const warm = succeeded.filter((run) => run.coldStarts === 0);
  if (warm.length > 0) return { basis: "warm", measured: warm };
  // A failed run stops early or at the deadline: its timings would distort the picture.
  if (succeeded.length > 0) return { basis: "cold", measured: succeeded };
  return { basis: "failed", measured: [...runs] };
}
