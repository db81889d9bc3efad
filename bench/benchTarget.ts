import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { API_KEY_ENV } from "../cli/runStrategy.js";
import { stopOnSignals } from "../cli/stopOnSignals.js";
import {
  describeLatencyProfile,
  type LatencyProfileName,
  latencyProfileLabel,
} from "../lib/latency/profiles.js";
import { STRATEGIES, type StrategyName } from "../lib/strategies/names.js";
import { apiKeyFor } from "../localEnvironment/localApiKey.js";
import {
  type LocalEnvironment,
  type LocalEnvironmentOptions,
  startLocalEnvironment,
} from "../localEnvironment/startLocalEnvironment.js";

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

/**
 * A run that timed out leaves work behind in LocalStack (a Step Functions execution or invokes go
 * on after the orchestrator gave up), which would slow the next point down: wait until
 * LocalStack's CPU time stops growing (Linux: /proc), at most two minutes.
 */
export async function untilLocalStackIsIdle(): Promise<void> {
  const pidFile = join(projectRoot, ".local/localstack/localstack.pid");
  const cpuTicks = () => {
    try {
      const pid = readFileSync(pidFile, "utf8").trim();
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
    } catch {
      return undefined;
    }
  };
  const deadline = Date.now() + 120_000;
  let before = cpuTicks();
  while (before !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const now = cpuTicks();
    if (now === undefined || now - before < 2 * 100 * 0.15) return; // under 15 % of a core
    before = now;
  }
}
