/** A cell's runs as bench:forecast and bench:drift send them: a thrown-away warm-up, then the runs. */
import { ApiUnreachableError, runStrategy } from "../adapters/runsApiClient.js";
import type { Session } from "../cli/session.js";
import type { StrategyName } from "../lib/strategies/names.js";
import type { Workflow } from "../lib/workflow/types.js";
import { median } from "./calibration/fit.js";

/**
 * A run not answered in this long is given up: the longest measured run of bench:forecast's suite
 * took under 30 s, and a 1,000-wide Step Functions run once got no answer for 25 minutes, which
 * lost the whole benchmark's results (2026-12-07).
 */
const NO_ANSWER_AFTER_MS = 3 * 60_000;

/** What a cell's run is sent with: the API key, and the signal that gives it up unanswered. */
export const cellRequestOptions = (session: Pick<Session, "apiKey">) => ({
  apiKey: session.apiKey,
  signal: AbortSignal.timeout(NO_ANSWER_AFTER_MS),
});

/** Why a cell's runs stopped, in one line. */
export function cellFailureOf(error: unknown): string {
  return (error as Error).name === "TimeoutError"
    ? `no answer from the local stack within ${NO_ANSWER_AFTER_MS / 60_000} minutes`
    : ((error as Error).message.split("\n")[0] ?? String(error));
}

/**
 * Sends the warm-up, which is thrown away, so sending it again is harmless: the first request
 * after a quiet spell can meet a kept-alive socket the stack closed (it skipped the seed under
 * sequential in both bench:forecast runs of 2026-12-06).
 */
export async function sendWarmUp(send: () => Promise<unknown>): Promise<void> {
  await send().catch((error: unknown) => {
    if (error instanceof ApiUnreachableError) return send();
    throw error;
  });
}

/** The median overhead of `runs` synchronous runs of `workflow` after a warm-up (succeeded ones). */
export async function medianOverheadOf(
  session: Pick<Session, "apiUrl" | "apiKey">,
  strategy: StrategyName,
  workflow: Workflow,
  runs: number,
): Promise<number> {
  const send = () =>
    runStrategy(session.apiUrl, strategy, { workflow, scale: 1 }, cellRequestOptions(session));
  await sendWarmUp(send);
  const reports = [];
  for (let index = 0; index < runs; index += 1) reports.push(await send());
  return median(
    reports.filter((report) => report.status === "succeeded").map((report) => report.overheadMs),
  );
}
