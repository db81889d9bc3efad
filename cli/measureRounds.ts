import { decideStopping, type RoundsRecord } from "../lib/report/stoppingRule.js";
import type { RunReport } from "../lib/runReport/types.js";
import type { RoundsPlan } from "./verdictOptions.js";

/**
 * Runs the measured rounds (one run of each strategy a round): exactly as many as --runs fixed,
 * or, without it, one after another until the stopping rule (lib/report/stoppingRule.ts) says
 * the verdict is decided, the most rounds are made, or the budget is spent; then how many and
 * why, for the CLI's line and the reports.
 *
 * @example
 * const rounds = await measureRounds(plan, { runRound, measuredRuns: () => runs });
 * console.error(describeRounds(rounds));
 */
export async function measureRounds(
  plan: RoundsPlan,
  {
    runRound,
    measuredRuns,
    now = Date.now,
  }: {
    /** Runs round `round` (from 1): one measured run of each strategy. */
    runRound: (round: number) => Promise<void>;
    /** Every measured run so far (warm-up runs left out or marked). */
    measuredRuns: () => readonly RunReport[];
    now?: () => number;
  },
): Promise<RoundsRecord> {
  const startedAt = now();
  if (plan.mode === "fixed") {
    for (let round = 1; round <= plan.rounds; round += 1) await runRound(round);
    return {
      mode: "fixed",
      rounds: plan.rounds,
      reason: "fixed",
      why: "as --runs asked",
      elapsedMs: now() - startedAt,
    };
  }
  const { settings } = plan;
  for (let round = 1; ; round += 1) {
    await runRound(round);
    const decision = decideStopping({
      runs: measuredRuns(),
      elapsedMs: now() - startedAt,
      ...settings,
    });
    // No strategy to run adds no runs: the most rounds still end it.
    if (decision.action === "stop" || round >= settings.maxRounds) {
      return {
        mode: "untilDecided",
        rounds: decision.rounds,
        reason: decision.action === "stop" ? decision.reason : "maxRounds",
        why: decision.action === "stop" ? decision.why : "nothing was measured",
        elapsedMs: now() - startedAt,
        settings,
      };
    }
  }
}
