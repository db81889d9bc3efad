import { mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AWS_LATENCY,
  drawLatencies,
  type LatencyFigure,
  type LatencyProfileName,
  latencySampler,
  parseLatencyProfile,
  SQS_DELIVERY,
} from "../lib/latency/profiles.js";

/** Where localstack/start.sh tells the executor (LAB_LATENCY_FILE) to read its draws. */
export function latencyFilePath(projectRoot: string): string {
  return join(projectRoot, ".local/localstack/latency.json");
}

/** The profile the local stack's latency file is in (written by LatencyControl), if any. */
export function readLatencyProfile(projectRoot: string): LatencyProfileName | undefined {
  try {
    const { profile } = JSON.parse(readFileSync(latencyFilePath(projectRoot), "utf8"));
    return parseLatencyProfile(String(profile));
  } catch {
    return undefined;
  }
}

/** Enough draws that a 1,000-task run does not reuse any; the executor cycles past the end. */
const INVOKE_HOP_DRAWS = 20_000;
const INIT_DRAWS = 2_000;

/**
 * The latency profile of the local stack: the draws the Lambda executor adds (invoke hop, INIT),
 * written to the file it watches, and the event source mapping's delivery delay, drawn here. One
 * seed, separate streams per hop, so switching profiles never needs a LocalStack restart.
 */
export class LatencyControl {
  profile: LatencyProfileName = "local";
  private sqsDelivery: (() => number) | undefined;

  constructor(private readonly projectRoot: string) {}

  /** `figures` replaces the profile's own, for tests that need a hop no machine noise hides. */
  use(
    profile: LatencyProfileName,
    seed: number,
    figures: Partial<Record<"invokeHop" | "coldStartInit", LatencyFigure>> = {},
  ): void {
    const file = latencyFilePath(this.projectRoot);
    const { invokeHop, coldStartInit } = { ...AWS_LATENCY, ...figures };
    const draws =
      profile === "aws"
        ? {
            invokeHopMs: drawLatencies(invokeHop, seed, INVOKE_HOP_DRAWS),
            initMs: drawLatencies(coldStartInit, seed + 1, INIT_DRAWS),
          }
        : {};
    mkdirSync(join(file, ".."), { recursive: true });
    // Written whole, then renamed: the executor never reads half a file.
    writeFileSync(`${file}.tmp`, JSON.stringify({ profile, seed, ...draws }));
    renameSync(`${file}.tmp`, file);
    this.sqsDelivery = profile === "aws" ? latencySampler(SQS_DELIVERY, seed + 2) : undefined;
    this.profile = profile;
  }

  nextSqsDeliveryMs(): number {
    return this.sqsDelivery?.() ?? 0;
  }
}
