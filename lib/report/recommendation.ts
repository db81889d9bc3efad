import { formatDuration, parseDuration } from "../durationText.js";
import { type ReportForecast, SECONDS_PER_MONTH } from "../forecast/forecastSummary.js";
import type { RunReport } from "../runReport/types.js";
import { percentiles } from "../stats/stats.js";
import type { StrategyName } from "../strategies/names.js";
import { basisRuns } from "./basisRuns.js";
import {
  type Comparison,
  compareStrategies,
  type StrategyComparison,
  type StrategyMargin,
} from "./compareRuns.js";
import { formatNumber } from "./text/formatNumber.js";

/** The percentiles a latency target may name. */
export const TARGET_PERCENTILES = [50, 95, 99] as const;
export type TargetPercentile = (typeof TARGET_PERCENTILES)[number];

/** A latency target (an SLO): the chosen percentile of a run's wall at most `maxMs`. */
export interface LatencyTarget {
  percentile: TargetPercentile;
  maxMs: number;
}

/**
 * How much the balanced pick weighs cost against time by default: evenly, as AWS Lambda Power
 * Tuning's `balanced` strategy does (its balancedWeight, 0.5 unless given).
 */
export const DEFAULT_COST_WEIGHT = 0.5;

/**
 * `p95<=2s`, `p99<=800ms`, `p50<=1.5s`: a latency target. Units are required (ms, s or m): a
 * bare `2` could be either.
 *
 * @throws Error saying what was expected, for the caller to attach to its flag.
 * @example
 * parseLatencyTarget("p95<=2s"); // { percentile: 95, maxMs: 2000 }
 */
export function parseLatencyTarget(text: string): LatencyTarget {
  const match = /^\s*p(\d+)\s*(?:<=|≤)\s*(.+)$/.exec(text);
  const percentile = Number(match?.[1]);
  const expected = `expected p50, p95 or p99, '<=' and a duration with its unit, e.g. p95<=2s or p99<=800ms; got '${text}'`;
  if (!match || !TARGET_PERCENTILES.some((allowed) => allowed === percentile)) {
    throw new Error(expected);
  }
  let maxMs: number;
  try {
    maxMs = parseDuration(match[2] ?? "");
  } catch {
    throw new Error(expected);
  }
  return { percentile: percentile as TargetPercentile, maxMs };
}

/** "p95 ≤ 2 s" / "p99 ≤ 800 ms": a target as the verdict states it. */
export function describeTarget(target: LatencyTarget): string {
  const limit =
    target.maxMs >= 1000 && target.maxMs % 1000 === 0
      ? formatDuration(target.maxMs)
      : `${formatNumber(target.maxMs)} ms`;
  return `p${target.percentile} ≤ ${limit}`;
}

/** One strategy weighed against the target, or for the balanced pick. */
export interface Standing {
  strategy: StrategyName;
  /** The wall at the target's percentile (the median for the balanced pick), ms. */
  wallMs: number;
  /** The target's limit minus `wallMs`: ≥ 0 meets it with that much to spare, < 0 misses it by that much. */
  spareMs?: number;
  /** Median cost per run, USD (modelled at list prices). */
  costPerRunUsd?: number;
  /** Runs a month at the rate given × `costPerRunUsd`. */
  monthlyUsd?: number;
  /** The balanced pick's weighted sum: cost and wall each over the largest among the candidates. */
  balancedScore?: number;
}

/** A pick from one source of figures: measured here, or forecast on AWS. */
export interface Pick {
  /**
   * Target: the cheapest strategy whose percentile meets it (undefined when none does).
   * Balanced: the lowest weighted sum.
   */
  pick?: StrategyName;
  /** Target only, when none meets it: the strategy that misses it by the least. */
  closest?: StrategyName;
  /** Every candidate, cheapest first (target) or by score (balanced). */
  standings: Standing[];
  /**
   * Measured, against a target: the pick against the next cheapest that also meets it, by cost
   * per run, with the 95 % interval of the difference (how sure "cheapest" is).
   */
  runnerUp?: StrategyMargin;
  /** Why there is no pick from this source (e.g. the forecast gives no p99). */
  unavailable?: string;
}

/**
 * What the verdict recommends: against the user's latency target, the cheapest strategy meeting
 * it; without one, a balanced pick of cost against time with its weight stated. `measured` from
 * the runs here (locally, unless the API was on AWS); `forecast` from the forecast on AWS when
 * the report carries one, at the rate given when there is one. Modelled and measured figures are
 * never mixed within a pick.
 */
export type Recommendation = (
  | { kind: "target"; target: LatencyTarget }
  | {
      kind: "balanced";
      /** 0 = time only, 1 = cost only; time weighs 1 − costWeight. */
      costWeight: number;
    }
) & {
  /** Runs a month at the rate given (--rate), for the monthly cost. */
  runsPerMonth?: number;
  measured?: Pick;
  forecast?: Pick;
  /** The parameter set the forecast's pick was modelled on (`aws` unless --parameters). */
  forecastParameterSet?: string;
};

/** A strategy's figures from one source: wall at the percentile asked, cost per run. */
interface Candidate {
  strategy: StrategyName;
  wallMs: number;
  costPerRunUsd?: number;
}

const byCostThenWall = (a: Candidate, b: Candidate): number =>
  (a.costPerRunUsd ?? Number.POSITIVE_INFINITY) - (b.costPerRunUsd ?? Number.POSITIVE_INFINITY) ||
  a.wallMs - b.wallMs;

function standingOf(candidate: Candidate, runsPerMonth: number | undefined): Standing {
  return {
    ...candidate,
    ...(candidate.costPerRunUsd !== undefined && runsPerMonth !== undefined
      ? { monthlyUsd: candidate.costPerRunUsd * runsPerMonth }
      : {}),
  };
}

/** The cheapest candidate meeting the target; when none does, the one missing it by the least. */
function pickForTarget(
  candidates: readonly Candidate[],
  target: LatencyTarget,
  runsPerMonth: number | undefined,
): Pick {
  const standings = [...candidates].sort(byCostThenWall).map((candidate) => ({
    ...standingOf(candidate, runsPerMonth),
    spareMs: target.maxMs - candidate.wallMs,
  }));
  const meeting = standings.find((standing) => standing.spareMs >= 0);
  if (meeting) return { pick: meeting.strategy, standings };
  const closest = [...standings].sort((a, b) => b.spareMs - a.spareMs)[0];
  return { ...(closest ? { closest: closest.strategy } : {}), standings };
}

/**
 * AWS Lambda Power Tuning's balanced pick: the lowest costWeight · cost / max cost +
 * (1 − costWeight) · wall / max wall, over the candidates that have a cost.
 */
function pickBalanced(
  candidates: readonly Candidate[],
  costWeight: number,
  runsPerMonth: number | undefined,
): Pick {
  const priced = candidates.filter((candidate) => candidate.costPerRunUsd !== undefined);
  const maxCost = Math.max(...priced.map((candidate) => candidate.costPerRunUsd ?? 0));
  const maxWall = Math.max(...priced.map((candidate) => candidate.wallMs));
  const share = (value: number, max: number) => (max > 0 ? value / max : 0);
  const standings = priced
    .map((candidate) => ({
      ...standingOf(candidate, runsPerMonth),
      balancedScore:
        costWeight * share(candidate.costPerRunUsd ?? 0, maxCost) +
        (1 - costWeight) * share(candidate.wallMs, maxWall),
    }))
    .sort((a, b) => a.balancedScore - b.balancedScore);
  const [best] = standings;
  return best ? { pick: best.strategy, standings } : { standings, unavailable: "no cost figures" };
}

/**
 * A strategy's measured wall at a percentile: the table's median and p95, and a p99 from the same
 * basis runs (nearest rank, so an observed value: with fewer than 100 runs, the slowest).
 */
function measuredWall(
  entry: StrategyComparison,
  runs: readonly RunReport[],
  percentile: TargetPercentile,
): number {
  if (percentile === 50) return entry.wallMs.median;
  if (percentile === 95) return entry.wallMs.p95;
  const own = runs.filter((run) => run.strategy === entry.strategy && !run.warmup);
  const walls = basisRuns(own).measured.map((run) => run.wallMs);
  return percentiles(walls, [percentile])[0] as number;
}

/** The measured candidates: strategies without a failed run, at the percentile asked. */
function measuredCandidates(
  comparison: Comparison,
  runs: readonly RunReport[],
  percentile: TargetPercentile,
): Candidate[] {
  return comparison.strategies
    .filter((entry) => entry.failed === 0)
    .map((entry) => ({
      strategy: entry.strategy,
      wallMs: measuredWall(entry, runs, percentile),
      ...(entry.costUsd ? { costPerRunUsd: entry.costUsd.median } : {}),
    }));
}

/**
 * The forecast's candidates, those without a failed simulated run: at the rate when it was
 * forecast at one (its runs share one platform, cold starts and all), else its runs one at a
 * time. It forecasts p50 and p95 only.
 */
function forecastCandidates(
  forecast: ReportForecast,
  percentile: TargetPercentile,
): Candidate[] | string {
  if (percentile === 99) return "the forecast gives p50 and p95 only";
  const median = percentile === 50;
  const rows = forecast.rate
    ? forecast.rate.strategies.map((entry) => ({
        ...entry,
        wallMs: median ? entry.wallP50Ms : entry.wallP95Ms,
      }))
    : forecast.strategies.map((entry) => ({
        ...entry,
        wallMs: median ? entry.wallMs?.p50 : entry.wallMs?.p95,
      }));
  return rows.flatMap(({ strategy, wallMs, costPerRunUsd, failed }) =>
    wallMs === undefined || failed > 0
      ? []
      : [{ strategy, wallMs, ...(costPerRunUsd === undefined ? {} : { costPerRunUsd }) }],
  );
}

/**
 * What to use, from the runs (and the forecast when there is one): with a latency target, the
 * cheapest strategy whose measured percentile meets it, every alternative's cost a month at the
 * rate and by how much it meets or misses the target, or, when none meets it, the closest; without
 * one, the balanced pick of cost against time (weight stated, Lambda Power Tuning's formula). A
 * strategy with a failed run is never picked. Pure: the figures come in, the pick goes out.
 *
 * @example
 * recommend({ comparison, runs, target: { percentile: 95, maxMs: 2000 }, ratePerSecond: 10_000 / 86_400 });
 * // { kind: "target", measured: { pick, standings: [...], runnerUp }, forecast: { pick, standings } }
 */
export function recommend(input: {
  comparison: Comparison;
  runs: readonly RunReport[];
  target?: LatencyTarget;
  ratePerSecond?: number;
  costWeight?: number;
  forecast?: ReportForecast;
}): Recommendation {
  const { comparison, runs, target, forecast } = input;
  const runsPerMonth =
    input.ratePerSecond === undefined ? undefined : input.ratePerSecond * SECONDS_PER_MONTH;
  const percentile = target?.percentile ?? 50;
  const choose = (candidates: readonly Candidate[]): Pick =>
    target
      ? pickForTarget(candidates, target, runsPerMonth)
      : pickBalanced(candidates, input.costWeight ?? DEFAULT_COST_WEIGHT, runsPerMonth);
  const measuredFrom = measuredCandidates(comparison, runs, percentile);
  const measured = measuredFrom.length > 0 ? choose(measuredFrom) : undefined;
  const fromForecast = forecast ? forecastCandidates(forecast, percentile) : undefined;
  const forecastPick =
    fromForecast === undefined
      ? undefined
      : typeof fromForecast === "string"
        ? { standings: [], unavailable: fromForecast }
        : choose(fromForecast);
  const withRunnerUp = measured && target ? addRunnerUp(measured, runs) : measured;
  const shared = {
    ...(runsPerMonth === undefined ? {} : { runsPerMonth }),
    ...(withRunnerUp ? { measured: withRunnerUp } : {}),
    ...(forecastPick && forecast
      ? { forecast: forecastPick, forecastParameterSet: forecast.parameterSet.name }
      : {}),
  };
  return target
    ? { kind: "target", target, ...shared }
    : { kind: "balanced", costWeight: input.costWeight ?? DEFAULT_COST_WEIGHT, ...shared };
}

/**
 * The measured pick against the next cheapest strategy that also meets the target, by cost per
 * run: how sure "the cheapest meeting it" is, by the verdict's own test.
 */
function addRunnerUp(pick: Pick, runs: readonly RunReport[]): Pick {
  const [first, next] = pick.standings.filter((standing) => (standing.spareMs ?? -1) >= 0);
  if (!pick.pick || first?.strategy !== pick.pick || !next) return pick;
  if (first.costPerRunUsd === undefined || next.costPerRunUsd === undefined) return pick;
  return { ...pick, runnerUp: compareStrategies(runs, first.strategy, next.strategy, "costUsd") };
}
