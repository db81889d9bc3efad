import { BASELINE_STRATEGY } from "../../strategies/names.js";
import { EQUIVALENCE_SHARE, isPracticallyEquivalent } from "../compareGroups.js";
import type { Comparison, StrategyComparison, StrategyMargin } from "../compareRuns.js";
import { describeRounds, type RoundsRecord } from "../stoppingRule.js";
import { formatRange, formatSignedUsd } from "./formatInterval.js";
import { formatNumber, formatRatio, formatUsd } from "./formatNumber.js";

/** Runs per strategy suggested when there were too few for any interval. */
const SUGGESTED_RUNS = 5;

function speedupPhrase(entry: StrategyComparison): string {
  if (entry.strategy === BASELINE_STRATEGY) return "";
  const basis = entry.speedupBasis === "baseline" ? BASELINE_STRATEGY : "the summed task time";
  return `, ${formatRatio(entry.speedup)} faster than ${basis}`;
}

function perMillion(entry: StrategyComparison): string {
  return `${formatUsd(entry.costPerMillionRunsUsd ?? 0)} per 1M runs`;
}

/** A wall difference in ms, or a cost difference per run shown per 1M runs, as the table does. */
const UNITS = {
  wallMs: { format: (value: number) => formatNumber(value), suffix: " ms" },
  overheadMs: { format: (value: number) => formatNumber(value), suffix: " ms" },
  costUsd: {
    format: (value: number) => formatSignedUsd(value * 1_000_000),
    suffix: " per 1M runs",
  },
} as const;

function intervalOf(margin: StrategyMargin): string {
  const { format, suffix } = UNITS[margin.metric];
  return margin.interval
    ? `${formatRange(margin.interval.low, margin.interval.high, format)}${suffix}`
    : "none";
}

function runsPhrase(margin: StrategyMargin): string {
  const { a, b } = margin;
  return a.runs === b.runs
    ? `${formatNumber(a.runs)} run${a.runs === 1 ? "" : "s"} each`
    : `${formatNumber(b.runs)} and ${formatNumber(a.runs)} runs`;
}

/** Why there is no interval: a side had a single run. */
function oneRunPhrase(margin: StrategyMargin): string {
  if (margin.a.runs === 1 && margin.b.runs === 1) return "one run each: no interval";
  return `one run of ${margin.b.runs === 1 ? margin.leader : margin.other}: no interval`;
}

/**
 * "x and y are not told apart by wall in 3 runs each: ...; about 12 runs each would ...". They
 * "cannot be told apart" only on a sound ground: the interval lies within the equivalence margin,
 * or the most rounds compare makes (`mostRounds`) did not separate them.
 */
function tiePhrase(margin: StrategyMargin, what: string, mostRounds: boolean): string {
  const { format, suffix } = UNITS[margin.metric];
  const equivalent = isPracticallyEquivalent(margin);
  const verb = equivalent || mostRounds ? "cannot be told apart" : "are not told apart";
  // Inside the equivalence margin, more runs would only narrow an interval that is already too
  // close to zero to matter: said so, rather than how many runs would separate them.
  const next = equivalent
    ? `the interval lies within ±${EQUIVALENCE_SHARE * 100} % of the median: practically equivalent`
    : margin.runsNeeded === undefined
      ? "their medians are equal: more runs are unlikely to separate them"
      : `about ${formatNumber(margin.runsNeeded)} runs each would likely separate them`;
  return (
    `${margin.leader} and ${margin.other} ${verb} by ${what} in ${runsPhrase(margin)}: ` +
    `median ${format(margin.b.median)} vs ${format(margin.a.median)}${suffix}, ` +
    `95 % interval of the difference ${intervalOf(margin)}; ${next}`
  );
}

const runnerUpInterval = (margin: StrategyMargin | undefined): string =>
  margin
    ? `; 95 % interval of the difference to the runner-up ${margin.other}: ${intervalOf(margin)}`
    : "";

/** A claim stands when there was nothing to compare with, or its interval excludes zero. */
const stands = (margin: StrategyMargin | undefined): boolean => !margin || margin.toldApart;

/**
 * What durable execution changed, when it ran: how much of the wall its orchestrator was
 * suspended (not billed), and the critical path past which this workflow's shape costs less as a
 * durable execution than under a fanout orchestrator waiting on it (modelled). Empty otherwise.
 */
function durablePhrase(comparison: Comparison): string {
  const entry = comparison.strategies.find((candidate) => candidate.durable);
  if (!entry?.durable) return "";
  const { replays, suspendedShare, operations, breakEvenCriticalPathMs } = entry.durable;
  const criticalPath = entry.criticalPathMs.median;
  const side =
    criticalPath >= breakEvenCriticalPathMs
      ? "so durable is the cheaper of the two here"
      : "so fanout is the cheaper of the two here";
  return (
    `${entry.strategy}: its orchestrator was suspended, not billed, for ${Math.round(suspendedShare * 100)} % of the wall ` +
    `(${formatNumber(replays)} replays billed instead); with ${formatNumber(operations)} durable operations per run it costs less than ` +
    `a fanout orchestrator waiting on the same tasks once the critical path passes ${formatNumber(breakEvenCriticalPathMs)} ms ` +
    `(modelled at list prices; this workflow's: ${formatNumber(criticalPath)} ms, ${side}).`
  );
}

function speedClause(
  comparison: Comparison,
  fastest: StrategyComparison,
  mostRounds: boolean,
): string {
  const margin = comparison.margins?.fastest;
  const medianWall = `${formatNumber(fastest.wallMs.median)} ms${speedupPhrase(fastest)}`;
  if (stands(margin)) {
    return `${fastest.strategy} is fastest: median wall ${medianWall}${runnerUpInterval(margin)}`;
  }
  if (margin && !margin.interval) {
    return (
      `${fastest.strategy} has the lowest median wall: ${medianWall}; ${margin.other}: ${formatNumber(margin.a.median)} ms; ` +
      `${oneRunPhrase(margin)}; run with --runs ${SUGGESTED_RUNS} or more to name a winner with confidence`
    );
  }
  return margin ? tiePhrase(margin, "wall", mostRounds) : "";
}

function costClause(
  comparison: Comparison,
  cheapest: StrategyComparison,
  mostRounds: boolean,
): string {
  const margin = comparison.margins?.cheapest;
  if (stands(margin)) {
    return `${cheapest.strategy} is cheapest (${perMillion(cheapest)}${runnerUpInterval(margin)})`;
  }
  if (margin && !margin.interval) {
    return `${cheapest.strategy} has the lowest median cost (${perMillion(cheapest)}; ${margin.other}: ${UNITS.costUsd.format(margin.a.median)} per 1M runs; ${oneRunPhrase(margin)})`;
  }
  return margin ? tiePhrase(margin, "cost", mostRounds) : "";
}

/** "fanout is 1.50x faster than inline for 2.31x the cost (...)", with how sure each half is. */
function tradeOffClause(
  comparison: Comparison,
  fastest: StrategyComparison,
  cheapest: StrategyComparison & { costUsd: NonNullable<StrategyComparison["costUsd"]> },
): string {
  const faster = cheapest.wallMs.median / fastest.wallMs.median;
  const pricier = (fastest.costUsd?.median ?? 0) / cheapest.costUsd.median;
  const claim = `${fastest.strategy} is ${formatRatio(faster)} faster than ${cheapest.strategy} for ${formatRatio(pricier)} the cost (${perMillion(fastest)}`;
  const tradeOff = comparison.margins?.tradeOff;
  if (!tradeOff) return `${claim})`;
  const { wallMs, costUsd } = tradeOff;
  if (!wallMs.interval || !costUsd.interval) return `${claim}; ${oneRunPhrase(wallMs)})`;
  if (wallMs.toldApart && costUsd.toldApart) {
    return `${claim}; 95 % intervals of the differences: ${intervalOf(wallMs)} faster, ${intervalOf(costUsd)} dearer)`;
  }
  if (!wallMs.toldApart && !costUsd.toldApart) {
    // No trade-off to state: neither half is told apart; said already when these are the pairs.
    const { fastest: wallPair, cheapest: costPair } = comparison.margins ?? {};
    if (wallPair?.other === cheapest.strategy && costPair?.other === fastest.strategy) return "";
    return (
      `${fastest.strategy} and ${cheapest.strategy} are not told apart by wall or cost in ${runsPhrase(wallMs)} ` +
      `(95 % intervals of the differences: ${intervalOf(wallMs)}; ${intervalOf(costUsd)})`
    );
  }
  const loose = wallMs.toldApart ? costUsd : wallMs;
  return (
    `${claim}), but in ${runsPhrase(wallMs)} the ${loose.metric === "wallMs" ? "wall" : "cost"} difference is not told apart from zero ` +
    `(95 % interval ${intervalOf(loose)})`
  );
}

/** The claims, a sentence each: the fastest, the cheapest, and the trade-off between them. */
function claims(
  comparison: Comparison,
  fastest: StrategyComparison,
  mostRounds: boolean,
): string[] {
  const speed = speedClause(comparison, fastest, mostRounds);
  const cheapest = comparison.strategies.find((entry) => entry.strategy === comparison.cheapest);
  if (!cheapest?.costUsd || fastest.costUsd === undefined) return [`${speed} (no cost figures).`];
  if (cheapest === fastest) {
    if (stands(comparison.margins?.fastest) && stands(comparison.margins?.cheapest)) {
      return [
        `${speed}.`,
        `${fastest.strategy} is also cheapest (${perMillion(fastest)}${runnerUpInterval(comparison.margins?.cheapest)}).`,
      ];
    }
    return [`${speed}.`, `${costClause(comparison, cheapest, mostRounds)}.`];
  }
  const cost = costClause(comparison, cheapest, mostRounds);
  const tradeOff = tradeOffClause(comparison, fastest, { ...cheapest, costUsd: cheapest.costUsd });
  return [`${speed}.`, `${cost}.`, ...(tradeOff === "" ? [] : [`${tradeOff}.`])];
}

/**
 * The comparison in a few short sentences, one claim each (the reports show them as bullets),
 * each only as sure as the runs allow: which strategy is fastest (median wall, speedup), which is
 * cheapest (median cost per 1M runs), when they differ the trade-off between the two, e.g.
 * "fanout is 1.50x faster than inline for 2.31x the cost", how many rounds ran and why they
 * stopped (`rounds`), and what durable execution changed when it ran.
 *
 * A winner is named only when the 95 % interval of its difference to the runner-up excludes zero
 * (compareGroups); the interval is then quoted. Otherwise the verdict says the two are not told
 * apart in that many runs and how many would likely separate them; it says they "cannot be told
 * apart" only on a sound ground: the interval lies within the ±5 % equivalence margin (practically
 * equivalent), or the most rounds the stopping rule makes did not separate them (`rounds`). With
 * one run per strategy it says there is no interval at all, and still gives the medians. A user acts on the verdict:
 * it must say how sure it is. Strategies with a failed run are never named: a fast answer that is
 * sometimes wrong is no answer.
 *
 * @example
 * describeVerdict(compareRuns(reports));
 * // ["fanout is fastest: median wall 4,004 ms, 1.50x faster than sequential; 95 % interval of
 * //   the difference to the runner-up sequential: 1,950–2,050 ms.",
 * //  "fanout is also cheapest ($71.90 per 1M runs; 95 % interval of the difference to the
 * //   runner-up sequential: $2.10–$2.40 per 1M runs)."]
 */
export function describeVerdict(
  comparison: Comparison,
  { rounds }: { rounds?: RoundsRecord } = {},
): string[] {
  const howSure = rounds ? [`How sure: ${describeRounds(rounds)}.`] : [];
  const fastest = comparison.strategies.find((entry) => entry.strategy === comparison.fastest);
  if (!fastest) {
    return [
      comparison.strategies.length === 0
        ? "no runs to compare"
        : "no verdict: every strategy had a failed run",
      ...howSure,
    ];
  }
  const durable = durablePhrase(comparison);
  const mostRounds = rounds?.reason === "maxRounds";
  return [
    ...claims(comparison, fastest, mostRounds),
    ...howSure,
    ...(durable === "" ? [] : [durable]),
  ];
}
