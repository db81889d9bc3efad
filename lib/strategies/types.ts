import type { Clock, SqsRequestMeter } from "../ports.js";

/** What every strategy needs besides its transport. */
export interface RunContext {
  clock: Clock;
  /** Time the run may take before unfinished tasks are reported as timed out. */
  budgetMs: number;
  /** Tallies the requests a transport makes, for the run's cost. */
  meter: SqsRequestMeter;
}
