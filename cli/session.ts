import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describeLatencyProfile, latencyProfileLabel } from "../lib/latency/profiles.js";
import { STRATEGIES, type StrategyName } from "../lib/strategies/names.js";
import { apiKeyFor } from "../localEnvironment/localApiKey.js";
import {
  type LocalEnvironment,
  type LocalEnvironmentOptions,
  startLocalEnvironment,
} from "../localEnvironment/startLocalEnvironment.js";
import { stopOnSignals } from "./stopOnSignals.js";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/**
 * Where a command sends its runs, which strategies it can run there, and how to stop: what
 * `compare` and every benchmark open first.
 */
export interface Session {
  apiUrl: string;
  /** For every call of the runs API: its routes are private (`x-api-key`). */
  apiKey?: string;
  /** The local stack, when this session started one (not with --url). */
  environment?: LocalEnvironment;
  /** The strategies asked for that can run there (all of them unless `strategies` was given). */
  strategies: StrategyName[];
  /** The local stack's latency profile, for every result written. */
  latencyProfile?: ReturnType<typeof latencyProfileLabel>;
  stop(): Promise<void>;
}

export interface SessionOptions {
  /** An API to measure (--url); without it, the local stack is started here. */
  url?: string;
  /** --api-key, else LAB_API_KEY, else (for a served local stack) the key it deployed. */
  apiKey?: string;
  localStack?: LocalEnvironmentOptions;
  /** The strategies wanted, in order; default all. */
  strategies?: readonly StrategyName[];
  log?: (line: string) => void;
  /** Say the local stack's latency profile once it runs (default true; compare says it itself). */
  announceProfile?: boolean;
  /** The first Ctrl-C or SIGTERM, before the stack stops: e.g. to say which runs were left going. */
  onFirstSignal?: (signal: NodeJS.Signals) => void;
}

/**
 * Opens a session: the API at `url`, or the local stack started here, stopped again on Ctrl-C or
 * SIGTERM (a Ctrl-C while it starts kills what has started so far); strategies the local stack
 * cannot run are skipped with their reason; the key is resolved.
 */
export async function openSession(options: SessionOptions = {}): Promise<Session> {
  const log = options.log ?? ((line: string) => console.error(line));
  let environment: LocalEnvironment | undefined;
  const stop = async () => {
    const running = environment;
    environment = undefined;
    await running?.stop();
  };
  stopOnSignals({
    projectRoot,
    stop: () => environment && stop(),
    exitCode: 130,
    hasLocalStack: !options.url,
    log,
    ...(options.onFirstSignal ? { onFirstSignal: options.onFirstSignal } : {}),
  });
  const started = options.url
    ? undefined
    : await startLocalEnvironment(projectRoot, options.localStack ?? {});
  environment = started;
  const wanted = options.strategies ?? STRATEGIES;
  if (started && options.announceProfile !== false) {
    log(describeLatencyProfile(started.latencyProfile));
  }
  for (const { strategy, reason } of started?.unavailable ?? []) {
    if (wanted.includes(strategy)) log(`skipping ${strategy}: ${reason}`);
  }
  const apiKey = started ? started.apiKey : await apiKeyFor(options.url ?? "", options.apiKey);
  return {
    apiUrl: options.url ?? started?.apiUrl ?? "",
    ...(apiKey ? { apiKey } : {}),
    ...(started
      ? { environment: started, latencyProfile: latencyProfileLabel(started.latencyProfile) }
      : {}),
    strategies: wanted.filter(
      (name) => !started?.unavailable.some((entry) => entry.strategy === name),
    ),
    stop,
  };
}
