/** A cell's runs as bench:forecast and bench:drift send them: a thrown-away warm-up, then the runs. */
import { ApiUnreachableError, runStrategy } from "../adapters/runsApiClient.js";
import type { Session } from "../cli/session.js";
import type { StrategyName } from "../lib/strategies/names.js";
import type { Workflow } from "../lib/workflow/types.js";
import { median } from "./calibration/fit.js";

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
    runStrategy(session.apiUrl, strategy, { workflow, scale: 1 }, { apiKey: session.apiKey });
  await sendWarmUp(send);
  const reports = [];
  for (let index = 0; index < runs; index += 1) reports.push(await send());
  return median(
    reports.filter((report) => report.status === "succeeded").map((report) => report.overheadMs),
  );
}
