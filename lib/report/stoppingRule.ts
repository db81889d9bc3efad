import { formatDuration } from "../durationText.js";
import type { RunReport } from "../runReport/types.js";
import { EQUIVALENCE_SHARE, isPracticallyEquivalent } from "./compareGroups.js";
import { compareRuns, type StrategyMargin } from "./compareRuns.js";

/**
 * The time the measured rounds may take by default: one round of the seed's six strategies (2 s
 * tasks) takes about 27 s on a 2-core machine (measured 2026-12-06: 4 rounds in 1m 50s), so 6
 * rounds, one past the fewest the rule stops at, and `npm start` (the local stack's start and
 * deploy, a warm-up round, the rounds, the decision map) ends in about five minutes.
 */
export const DEFAULT_BUDGET_MS = 180_000;
/**
 * Rounds before the rule may stop on a settled verdict: with fewer, a bootstrap interval over a
 * handful of runs is narrow by luck more often than its 95 % says, and looking again after every
 * round would turn that luck into a verdict. 5 is also what the report asked for before.
 */
export const DEFAULT_MIN_ROUNDS = 5;
/**
 * Rounds after which two strategies still not told apart are said to be so: by then the
 * interval has narrowed like 1/√30 of one run's spread, and a difference it still cannot
 * exclude from zero is one more rounds on this machine are unlikely to settle.
 */
export const DEFAULT_MAX_ROUNDS = 30;

/** How many rounds a comparison may make when `--runs` does not fix them. */
export interface RoundsSettings {
  budgetMs: number;
  minRounds: number;
  maxRounds: number;
}

/**
 * Why the measured rounds stopped: `fixed` (--runs N), `decided` (the fastest and the cheapest
 * each named or practically equivalent to the runner-up), `noCandidate` (every strategy had a
 * failed run: none can be named), `maxRounds`, `budget` (another round would pass it).
 */
export type StopReason = "fixed" | "decided" | "noCandidate" | "maxRounds" | "budget";

export type StoppingDecision =
  | { action: "continue"; rounds: number }
  | { action: "stop"; rounds: number; reason: StopReason; why: string };

/** How many rounds a comparison made and why it stopped: what report.json records. */
export interface RoundsRecord {
  /** `fixed` by --runs, or `untilDecided` by the stopping rule. */
  mode: "fixed" | "untilDecided";
  rounds: number;
  reason: StopReason;
  /** One short clause for people, e.g. "fastest and cheapest named (95 % intervals exclude zero)". */
  why: string;
  /** How long the measured rounds took (warm-up left out). */
  elapsedMs: number;
  /** The stopping rule's settings, when it decided. */
  settings?: RoundsSettings;
}

/** Where a claim of the verdict stands after these runs. */
type ClaimState = "named" | "equivalent" | "alone" | "open";

function stateOf(margin: StrategyMargin | undefined): ClaimState {
  if (!margin) return "alone";
  if (margin.toldApart) return "named";
  return isPracticallyEquivalent(margin) ? "equivalent" : "open";
}

const EQUIVALENT = `within ±${EQUIVALENCE_SHARE * 100} %`;

/** "fastest named; cheapest and fanout within ±5 %": each claim in a few words. */
function describeClaims(
  claims: Array<{ what: string; state: ClaimState; other?: string }>,
): string {
  if (claims.every((claim) => claim.state === "named")) {
    return `${claims.map((claim) => claim.what).join(" and ")} named (95 % intervals exclude zero)`;
  }
  return claims
    .map(({ what, state, other }) => {
      if (state === "named") return `${what} named`;
      if (state === "alone") return `${what}: nothing to compare`;
      if (state === "equivalent") return `${what} and ${other} ${EQUIVALENT}: equivalent`;
      return `${what} and ${other} not told apart`;
    })
    .join("; ");
}

/** Measured rounds so far: the fewest measured runs of any strategy that ran. */
function roundsOf(runs: readonly RunReport[]): number {
  const counts = new Map<string, number>();
  for (const run of runs) {
    if (!run.warmup) counts.set(run.strategy, (counts.get(run.strategy) ?? 0) + 1);
  }
  return counts.size === 0 ? 0 : Math.min(...counts.values());
}

/**
 * Whether to measure another round (one run of each strategy) or stop, and why: the runs decide,
 * within a time budget.
 *
 * The verdict makes two claims, the fastest and the cheapest, each against its runner-up with a
 * 95 % interval of the difference (compareRuns' margins: the same test the verdict applies). A
 * claim is settled when the interval excludes zero (named), or when it lies within the
 * practical-equivalence margin of ±5 % (lib/report/compareGroups.ts: then no number of rounds
 * would make the difference matter). The rule stops:
 * - once both claims are settled and at least `minRounds` rounds ran (`decided`);
 * - when every strategy has had a failed run: a strategy that failed is never named (`noCandidate`);
 * - after `maxRounds`, a claim still open: the verdict then says the two "cannot be told apart"
 *   in that many runs (`maxRounds`);
 * - when another round, as long as the average so far, would pass the budget (`budget`), before
 *   `minRounds` too: the budget is the user's. The verdict then says what is "not told apart"
 *   in that many runs, and how many more would likely separate them.
 * "Cannot be told apart" is thus said only on a sound ground: an interval inside the equivalence
 * margin, or the most rounds made (lib/report/text/describeVerdict.ts words it so).
 *
 * @example
 * const decision = decideStopping({ runs, elapsedMs: 61_000, budgetMs: 120_000, minRounds: 5, maxRounds: 30 });
 * if (decision.action === "stop") console.error(`stopped: ${decision.why}`);
 */
export function decideStopping(
  input: { runs: readonly RunReport[]; elapsedMs: number } & RoundsSettings,
): StoppingDecision {
  const { runs, elapsedMs, budgetMs, minRounds, maxRounds } = input;
  const rounds = roundsOf(runs);
  if (rounds === 0) return { action: "continue", rounds };
  const stop = (reason: StopReason, why: string): StoppingDecision => ({
    action: "stop",
    rounds,
    reason,
    why,
  });
  const comparison = compareRuns(runs);
  if (comparison.fastest === undefined) {
    return stop("noCandidate", "every strategy had a failed run: none can be named");
  }
  const claims = [
    { what: "fastest", margin: comparison.margins?.fastest },
    { what: "cheapest", margin: comparison.margins?.cheapest },
  ].map(({ what, margin }) => ({
    what,
    state: stateOf(margin),
    ...(margin ? { other: margin.other } : {}),
  }));
  const open = claims.filter((claim) => claim.state === "open");
  if (open.length === 0 && rounds >= minRounds) return stop("decided", describeClaims(claims));
  if (rounds >= maxRounds) {
    return stop("maxRounds", `${maxRounds} rounds, the most allowed: ${describeClaims(open)}`);
  }
  const nextRoundMs = elapsedMs / rounds;
  if (elapsedMs + nextRoundMs > budgetMs) {
    const pending =
      open.length > 0 ? describeClaims(open) : `fewer than the ${minRounds} rounds wanted`;
    return stop("budget", `the ${formatDuration(budgetMs)} budget is spent: ${pending}`);
  }
  return { action: "continue", rounds };
}

/**
 * How many runs a comparison made and why it stopped, in one short line (the CLI prints it; the
 * reports carry it).
 *
 * @example
 * describeRounds(record); // "8 rounds in 1m 42s, stopped: fastest and cheapest named (95 % intervals exclude zero)"
 */
export function describeRounds(record: RoundsRecord): string {
  const rounds = `${record.rounds} round${record.rounds === 1 ? "" : "s"}`;
  if (record.mode === "fixed")
    return `${rounds} (one run of each strategy a round), as --runs asked`;
  return `${rounds} in ${formatDuration(record.elapsedMs)}, stopped: ${record.why}`;
}
