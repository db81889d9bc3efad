import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { API_KEY_ENV } from "../cli/runStrategy.js";
import { stopOnSignals } from "../cli/stopOnSignals.js";
import {
  describeLatencyProfile,
  type LatencyProfileName,
  latencyProfileLabel,
} from "../lib/latency/profiles.js";
import { STRATEGIES, type StrategyName } from "../lib/strategies/registry.js";
import { apiKeyFor } from "../local/localApiKey.js";
import { QUIET_SDK_ENV } from "../local/settings.js";
import {
  type LocalEnvironment,
  type LocalEnvironmentOptions,
  startLocalEnvironment,
} from "../local/startLocalEnvironment.js";

export const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** Where a benchmark sends its runs, which strategies it can run there, and how to stop. */
export interface BenchTarget {
  apiUrl: string;
  /** For every runStrategy call: the routes are private (`x-api-key`). */
  apiKey?: string;
  /** The local stack, when the benchmark started one (not with --url). */
  environment?: LocalEnvironment;
  strategies: StrategyName[];
  /** The local stack's latency profile, for every result the benchmark writes. */
  latencyProfile?: { name: LatencyProfileName; description: string };
  stop(): Promise<void>;
}

/**
 * The API a benchmark measures: the one at `url`, or the local stack started here (stopped again
 * on Ctrl-C or SIGTERM). Its key: the local stack's own, else `apiKey` (--api-key), else
 * LAB_API_KEY, else, for a `url` of the local stack (`npm run serve`), the one it deployed.
 */
export async function openBenchTarget(
  url: string | undefined,
  localStack: LocalEnvironmentOptions = {},
  apiKey: string | undefined = process.env[API_KEY_ENV],
): Promise<BenchTarget> {
  Object.assign(process.env, QUIET_SDK_ENV);
  let environment: LocalEnvironment | undefined;
  stopOnSignals({ projectRoot, stop: () => environment?.stop(), exitCode: 130 });
  environment = url ? undefined : await startLocalEnvironment(projectRoot, localStack);
  if (environment) console.error(describeLatencyProfile(environment.latencyProfile));
  for (const { strategy, reason } of environment?.unavailable ?? []) {
    console.error(`skipping ${strategy}: ${reason}`);
  }
  const stop = async () => {
    await environment?.stop();
  };
  const key = environment ? environment.apiKey : await apiKeyFor(url ?? "", apiKey);
  return {
    apiUrl: url ?? environment?.apiUrl ?? "",
    ...(key ? { apiKey: key } : {}),
    ...(environment
      ? {
          environment,
          latencyProfile: latencyProfileLabel(environment.latencyProfile),
        }
      : {}),
    strategies: STRATEGIES.filter(
      (name) => !environment?.unavailable.some((entry) => entry.strategy === name),
    ),
    stop,
  };
}
