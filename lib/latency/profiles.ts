import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { AWS_PARAMETERS } from "../forecast/awsParameters.js";
import type { Figure } from "../forecast/figure.js";
import { LOCAL_PARAMETERS } from "../forecast/localParameters.js";

/**
 * Latency profiles for the local stack. `local` adds nothing: every figure is what this machine
 * measured. `aws` adds, between the parts of the local stack, what AWS would take for each hop
 * beyond what the local stack already takes (the forecast's `aws` set less its `local` set), so
 * a local run shows roughly what the platform's hops would add without counting a hop twice. A
 * profiled run is still a local run: its figures are emulated, never measured on AWS, and every
 * output names the profile. The forecast (lib/forecast) is the project's estimate for AWS.
 */
export const LATENCY_PROFILES = ["local", "aws"] as const;
export type LatencyProfileName = (typeof LATENCY_PROFILES)[number];

/** A published (or assumed) latency: median and 99th percentile, and where it comes from. */
export interface LatencyFigure {
  p50Ms: number;
  p99Ms: number;
  source: string;
}

/** A figure's upper percentile: its p99, or its p95 where that is what was published. */
const upperOf = (figure: Figure) => figure.p99Ms ?? figure.p95Ms ?? figure.p50Ms;

/** Two hops one after the other, p50 and upper percentile added (an upper bound for the latter). */
const inSeries = (a: Figure, b: Figure) => ({
  p50Ms: a.p50Ms + b.p50Ms,
  upperMs: upperOf(a) + upperOf(b),
});

/**
 * What the profile adds for a hop: the `aws` set's figure less what the local stack already
 * takes for it (the `local` set, measured by bench:calibrate), never below zero, so that the
 * local stack's own hop is not counted a second time.
 */
function beyondLocal(
  aws: { p50Ms: number; upperMs: number },
  local: { p50Ms: number; upperMs: number },
  what: string,
): LatencyFigure {
  const p50Ms = Math.max(0.1, aws.p50Ms - local.p50Ms);
  return {
    p50Ms,
    p99Ms: Math.max(p50Ms, aws.upperMs - local.upperMs),
    source: `the aws parameter set's ${what} less the local set's (lib/forecast): aws ${aws.p50Ms} ms p50, this machine ${local.p50Ms} ms`,
  };
}
const single = (figure: Figure) => ({ p50Ms: figure.p50Ms, upperMs: upperOf(figure) });

/**
 * The figures behind the `aws` profile, drawn from the forecast's parameter sets (the one place
 * AWS figures are written down): what AWS would take for each hop beyond what the local stack
 * already takes for it.
 */
export const AWS_LATENCY = {
  /**
   * A warm synchronous Invoke, caller to handler and back, added to every invocation the local
   * Lambda runs (API Gateway's, an orchestrator's, the event source mapping's, Step Functions').
   */
  invokeHop: beyondLocal(
    inSeries(AWS_PARAMETERS.lambda.invokeRequest, AWS_PARAMETERS.lambda.invokeResponse),
    inSeries(LOCAL_PARAMETERS.lambda.invokeRequest, LOCAL_PARAMETERS.lambda.invokeResponse),
    "invoke hop (both ways)",
  ),
  /** INIT of a new execution environment and its placement, Node.js 22 on arm64. */
  coldStartInit: beyondLocal(
    inSeries(AWS_PARAMETERS.lambda.init.task, AWS_PARAMETERS.lambda.coldPlacement),
    inSeries(LOCAL_PARAMETERS.lambda.init.task, LOCAL_PARAMETERS.lambda.coldPlacement),
    "cold start (INIT and placement)",
  ),
  /** SQS standard queue -> Lambda through an event source mapping, send to handler start. */
  sqsToLambda: beyondLocal(
    single(AWS_PARAMETERS.sqs.deliveryToWorker),
    single(LOCAL_PARAMETERS.sqs.deliveryToWorker),
    "SQS delivery to the worker",
  ),
} as const satisfies Record<string, LatencyFigure>;

/**
 * The event source mapping's own share of SQS -> Lambda: the delivery beyond the local stack's
 * less the invoke hop the profile adds to the worker's invoke anyway, percentile by percentile.
 */
export const SQS_DELIVERY: LatencyFigure = {
  p50Ms: Math.max(0, AWS_LATENCY.sqsToLambda.p50Ms - AWS_LATENCY.invokeHop.p50Ms),
  p99Ms: Math.max(0, AWS_LATENCY.sqsToLambda.p99Ms - AWS_LATENCY.invokeHop.p99Ms),
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

const round = (ms: number) => Math.round(ms * 10) / 10;

export function describeLatencyProfile(name: LatencyProfileName): string {
  return name === "local"
    ? "profile local: no latency added, every figure measured on this machine"
    : `profile aws: AWS latencies EMULATED on the local stack (not measured on AWS): +${round(AWS_LATENCY.invokeHop.p50Ms)} ms p50 per invoke, ` +
        `+${round(AWS_LATENCY.coldStartInit.p50Ms)} ms per cold start, +${round(AWS_LATENCY.sqsToLambda.p50Ms)} ms per SQS delivery, beyond the local stack's own (the forecast's aws set less its local set)`;
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
