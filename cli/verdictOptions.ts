import { formatDuration, parseDuration } from "../lib/durationText.js";
import { InvalidInputError } from "../lib/errors.js";
import { EQUIVALENCE_SHARE } from "../lib/report/compareGroups.js";
import {
  DEFAULT_COST_WEIGHT,
  type LatencyTarget,
  parseLatencyTarget,
} from "../lib/report/recommendation.js";
import {
  DEFAULT_BUDGET_MS,
  DEFAULT_MAX_ROUNDS,
  DEFAULT_MIN_ROUNDS,
  type RoundsSettings,
} from "../lib/report/stoppingRule.js";
import { parsedFlag } from "./parsedFlag.js";

export const VERDICT_FLAGS = {
  budget: { type: "string" },
  slo: { type: "string" },
  "cost-weight": { type: "string" },
  wide: { type: "boolean", default: false },
} as const;

export const VERDICT_USAGE = `  --budget T      without --runs: rounds (one run of each strategy) until the verdict is
                  decided, within T (90s, 3m, or seconds; default ${formatDuration(DEFAULT_BUDGET_MS)}): stops once the
                  fastest and the cheapest are each told apart or within ±${EQUIVALENCE_SHARE * 100} % of the
                  runner-up, after ${DEFAULT_MIN_ROUNDS} to ${DEFAULT_MAX_ROUNDS} rounds
  --slo pNN<=T    a latency target, p50, p95 or p99 in ms or s (e.g. p95<=2s): the verdict
                  names the cheapest strategy meeting it, each one's cost a month at --rate
  --cost-weight W without --slo: the balanced pick's weight of cost against time, 0 to 1
                  (default ${DEFAULT_COST_WEIGHT}, as Lambda Power Tuning's balanced strategy)
  --wide          every column of the table (default: the columns a decision needs)`;

/** What the verdict weighs the strategies against, and how the table is shown. */
export interface VerdictOptions {
  /** --slo: the recommendation is the cheapest strategy meeting it. */
  target?: LatencyTarget;
  /** Without a target: the balanced pick's weight of cost (time weighs the rest). */
  costWeight: number;
  /** Every column of the terminal's table. */
  wide: boolean;
}

/**
 * How many rounds to run: exactly `runs` when --runs (or --repeat) gave them, else until the
 * stopping rule decides (lib/report/stoppingRule.ts) within --budget.
 */
export type RoundsPlan =
  | { mode: "fixed"; rounds: number }
  | { mode: "untilDecided"; settings: RoundsSettings };

/**
 * Parses --runs against --budget: one or the other. `runs` is the already-checked --runs value.
 *
 * @example
 * parseRoundsPlan({ budget: "90s" }, undefined); // untilDecided within 90 s, 5 to 30 rounds
 */
export function parseRoundsPlan(values: { budget?: string }, runs: number | undefined): RoundsPlan {
  if (runs !== undefined) {
    if (values.budget !== undefined) {
      throw new InvalidInputError(
        "--budget",
        "applies without --runs: --runs N makes exactly N rounds",
      );
    }
    return { mode: "fixed", rounds: runs };
  }
  const budgetMs =
    values.budget === undefined
      ? DEFAULT_BUDGET_MS
      : parsedFlag("--budget", values.budget, (text) => parseDuration(text, { plainUnit: "s" }));
  return {
    mode: "untilDecided",
    settings: { budgetMs, minRounds: DEFAULT_MIN_ROUNDS, maxRounds: DEFAULT_MAX_ROUNDS },
  };
}

/**
 * Parses --slo, --cost-weight and --wide; a bad value is an InvalidInputError naming the flag
 * (the CLI's one-line error and exit 1).
 *
 * @example
 * parseVerdictOptions({ slo: "p95<=2s" }).target; // { percentile: 95, maxMs: 2000 }
 */
export function parseVerdictOptions(values: {
  slo?: string;
  "cost-weight"?: string;
  wide?: boolean;
}): VerdictOptions {
  const target =
    values.slo === undefined ? undefined : parsedFlag("--slo", values.slo, parseLatencyTarget);
  const rawWeight = values["cost-weight"];
  if (rawWeight !== undefined && target) {
    throw new InvalidInputError(
      "--cost-weight",
      "weighs the balanced pick, made without --slo: with a target the pick is the cheapest meeting it",
    );
  }
  const costWeight = rawWeight === undefined ? DEFAULT_COST_WEIGHT : Number(rawWeight);
  if (
    !(rawWeight === undefined || (rawWeight.trim() !== "" && costWeight >= 0 && costWeight <= 1))
  ) {
    throw new InvalidInputError(
      "--cost-weight",
      `expected a number from 0 to 1, got '${rawWeight}'`,
    );
  }
  return { ...(target ? { target } : {}), costWeight, wide: values.wide ?? false };
}
