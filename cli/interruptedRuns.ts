import { API_KEY_ENV } from "../adapters/runsApiClient.js";
import type { StrategyName } from "../lib/strategies/names.js";

/** A run the CLI sent and has not seen end. */
export interface UnfinishedRun {
  runId: string;
  strategy: StrategyName;
}

/** Why the CLI stopped waiting for its runs: the reason its AbortSignal carries. */
export class RunsInterruptedError extends Error {
  constructor(readonly signal: NodeJS.Signals) {
    super(`${signal}: stopped waiting for the runs`);
    this.name = "RunsInterruptedError";
  }
}

/** The two ways to fetch a run later: the CLI, and curl with the API key from the environment. */
export function fetchCommandsFor(runId: string, apiUrl: string): string[] {
  return [
    `npx compare --fetch ${runId} --url ${apiUrl}`,
    `curl -H "x-api-key: $${API_KEY_ENV}" ${apiUrl}/runs/${runId}`,
  ];
}

/**
 * What a Ctrl-C prints about the runs still under way. Against an API given with --url, they go
 * on there: how to fetch each. Against the local stack this command started, they end with it.
 *
 * @example
 * describeInterruptedRuns([{ runId: "compare-…-queue-3", strategy: STRATEGY.queue }], { apiUrl, ownLocalStack: false });
 * // ["Ctrl-C: 1 run left going at https://…/dev; fetch it later:", "  queue compare-…-queue-3", "    npx compare --fetch …", "    curl …"]
 */
export function describeInterruptedRuns(
  runs: readonly UnfinishedRun[],
  { apiUrl, ownLocalStack }: { apiUrl: string | undefined; ownLocalStack: boolean },
): string[] {
  if (runs.length === 0 || apiUrl === undefined) return [];
  const count = runs.length === 1 ? "1 run" : `${runs.length} runs`;
  if (ownLocalStack) {
    return [
      `Ctrl-C: ${count} under way (${runs.map((run) => run.runId).join(", ")}) ${runs.length === 1 ? "ends" : "end"} with the local stack this command started; ` +
        "to leave runs going, start the stack with `npm run serve` and pass its URL with --url",
    ];
  }
  return [
    `Ctrl-C: ${count} left going at ${apiUrl}; fetch ${runs.length === 1 ? "it" : "each"} later with:`,
    ...runs.flatMap(({ runId, strategy }) => [
      `  ${strategy} ${runId}`,
      ...fetchCommandsFor(runId, apiUrl).map((command) => `    ${command}`),
    ]),
  ];
}
