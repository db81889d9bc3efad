import { InvalidInputError } from "../lib/errors.js";
import {
  DEFAULT_LATENCY_SEED,
  LATENCY_PROFILES,
  type LatencyProfileName,
  parseLatencyProfile,
} from "../lib/latency/profiles.js";
import { parseQueueScaling } from "../localEnvironment/pollerScaling.js";
import type { LocalEnvironmentOptions } from "../localEnvironment/startLocalEnvironment.js";

/** The flags every command that starts the local stack shares (compare, serve, benchmarks). */
export const LOCAL_STACK_FLAGS = {
  profile: { type: "string", default: "local" },
  "latency-seed": { type: "string", default: String(DEFAULT_LATENCY_SEED) },
  "queue-scaling": { type: "string", default: "aws" },
} as const;

export const LOCAL_STACK_USAGE = `  --profile local|aws
                  local (default): no added latency; aws: AWS latencies EMULATED on the local
                  stack (invoke hop, cold-start INIT, SQS delivery; lib/latency/profiles.ts)
  --latency-seed N  seed of the aws profile's draws (default ${DEFAULT_LATENCY_SEED}: reproducible)
  --queue-scaling aws|N
                  the queue's concurrency: AWS's poller scaling (default) or a fixed pool of N`;

type LocalStackFlagValues = { [flag in keyof typeof LOCAL_STACK_FLAGS]: string };

/** The local stack's settings from the flags; a bad value is an InvalidInputError naming the flag. */
export function parseLocalStackOptions(
  values: LocalStackFlagValues,
): Required<Pick<LocalEnvironmentOptions, "latencyProfile" | "latencySeed" | "queueScaling">> {
  let latencyProfile: LatencyProfileName;
  try {
    latencyProfile = parseLatencyProfile(values.profile);
  } catch {
    throw new InvalidInputError(
      "--profile",
      `expected ${LATENCY_PROFILES.join(" or ")}, got '${values.profile}'`,
    );
  }
  const latencySeed = Number(values["latency-seed"]);
  if (!Number.isSafeInteger(latencySeed)) {
    throw new InvalidInputError(
      "--latency-seed",
      `expected a whole number, got '${values["latency-seed"]}'`,
    );
  }
  try {
    parseQueueScaling(values["queue-scaling"]);
  } catch (error) {
    throw new InvalidInputError("--queue-scaling", (error as Error).message);
  }
  return { latencyProfile, latencySeed, queueScaling: values["queue-scaling"] };
}
