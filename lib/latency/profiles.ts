import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";

/**
 * Latency profiles for the local stack. `local` adds nothing: every figure is what this machine
 * measured. `aws` adds, between the parts of the local stack, latencies drawn from published
 * measurements of AWS (or stated assumptions), so a local run shows roughly what the platform's
 * hops would add. A profiled run is still a local run: its figures are emulated, never measured
 * on AWS, and every output names the profile.
 */
export const LATENCY_PROFILES = ["local", "aws"] as const;
export type LatencyProfileName = (typeof LATENCY_PROFILES)[number];

/** A published (or assumed) latency: median and 99th percentile, and where it comes from. */
export interface LatencyFigure {
  p50Ms: number;
  p99Ms: number;
  source: string;
}

/** The figures behind the `aws` profile: the only place they are written down. */
export const AWS_LATENCY = {
  /**
   * A warm synchronous Invoke, caller to handler and back, added to every invocation the local
   * Lambda runs (API Gateway's, an orchestrator's, the event source mapping's, Step Functions').
   */
  invokeHop: {
    p50Ms: 12,
    p99Ms: 40,
    source:
      "assumption: no authoritative published figure for a warm synchronous Invoke hop; bounded by " +
      "SQS -> Lambda's 16.2 ms p50 end to end (below), which contains one such invoke",
  },
  /** INIT of a new execution environment, Node.js 22 on arm64, small ZIP package. */
  coldStartInit: {
    p50Ms: 129,
    p99Ms: 155,
    source:
      "github.com/maxday/lambda-perf daily data, Jul-Aug 2026: 128-130 ms p50, 144-165 ms p99 " +
      "(INIT only: placement and code download come on top)",
  },
  /** SQS standard queue -> Lambda through an event source mapping, send to handler start. */
  sqsToLambda: {
    p50Ms: 16.2,
    p99Ms: 105,
    source:
      'bitesizedserverless.com, "Serverless messaging latency compared" (eu-west-1, 2022-09): ' +
      "16.2 / 33.8 / 105 ms p50 / p90 / p99",
  },
  /** Not added: LocalStack's Step Functions interpreter calls the Lambda, which adds invokeHop. */
  stepFunctionsToLambda: {
    p50Ms: 77.3,
    p99Ms: 241,
    source:
      'bitesizedserverless.com, "Serverless messaging latency compared": Express sync -> Lambda',
  },
} as const satisfies Record<string, LatencyFigure>;

/**
 * The event source mapping's own share of SQS -> Lambda: the published end-to-end figure minus
 * the invoke hop the local Lambda adds anyway, percentile by percentile.
 */
export const SQS_DELIVERY: LatencyFigure = {
  p50Ms: AWS_LATENCY.sqsToLambda.p50Ms - AWS_LATENCY.invokeHop.p50Ms,
  p99Ms: AWS_LATENCY.sqsToLambda.p99Ms - AWS_LATENCY.invokeHop.p99Ms,
  source: "sqsToLambda minus invokeHop at p50 and p99",
};

/** The seed unless one is given: runs of the profile are reproducible by default. */
export const DEFAULT_LATENCY_SEED = 1;

/** z of the 99th percentile of the standard normal distribution. */
const Z_99 = 2.326_347_874;

/**
 * Draws latencies from a log-normal distribution through the figure's p50 and p99 (latencies are
 * skewed right and never negative), with a seeded generator so a run can be repeated exactly.
 */
export function latencySampler(figure: LatencyFigure, seed: number): () => number {
  const mu = Math.log(figure.p50Ms);
  const sigma = (Math.log(figure.p99Ms) - mu) / Z_99;
  const generator = xoroshiro128plus(seed);
  const uniform = () => ((generator.next() >>> 0) + 1) / 0x1_0000_0002; // in (0, 1)
  return () => {
    // Box-Muller: one standard normal value from two uniform ones
    const normal = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    return Math.exp(mu + sigma * normal);
  };
}

/** `count` draws, rounded to 0.1 ms: what the Lambda executor is handed (see writeLatencyFile). */
export function drawLatencies(figure: LatencyFigure, seed: number, count: number): number[] {
  const next = latencySampler(figure, seed);
  return Array.from({ length: count }, () => Math.round(next() * 10) / 10);
}

export function describeLatencyProfile(name: LatencyProfileName): string {
  return name === "local"
    ? "profile local: no latency added, every figure measured on this machine"
    : `profile aws: AWS latencies EMULATED on the local stack (not measured on AWS): +${AWS_LATENCY.invokeHop.p50Ms} ms p50 per invoke (assumed), ` +
        `cold-start INIT ${AWS_LATENCY.coldStartInit.p50Ms} ms p50, SQS delivery ${AWS_LATENCY.sqsToLambda.p50Ms} ms p50 end to end`;
}

/** The profile as reports and benchmark results carry it: its name and what it stands for. */
export function latencyProfileLabel(name: LatencyProfileName): {
  name: LatencyProfileName;
  description: string;
} {
  return { name, description: describeLatencyProfile(name) };
}

export function parseLatencyProfile(text: string): LatencyProfileName {
  if ((LATENCY_PROFILES as readonly string[]).includes(text)) return text as LatencyProfileName;
  throw new Error(`expected one of ${LATENCY_PROFILES.join(", ")}; got '${text}'`);
}
