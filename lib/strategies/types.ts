import type { Clock } from "../ports.js";

/** What every strategy needs besides its transport. */
export interface RunContext {
  clock: Clock;
  /** Time the run may take before unfinished tasks are reported as timed out. */
  budgetMs: number;
}
