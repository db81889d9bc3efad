import { BASELINE_STRATEGY } from "../strategies/registry.js";
import type { Comparison, StrategyComparison } from "./compareRuns.js";
import { formatNumber, formatRatio, formatUsd } from "./formatNumber.js";

function speedupPhrase(entry: StrategyComparison): string {
  if (entry.strategy === BASELINE_STRATEGY) return "";
  const basis = entry.speedupBasis === "baseline" ? BASELINE_STRATEGY : "the summed task time";
  return `, ${formatRatio(entry.speedup)} faster than ${basis}`;
}

function perMillion(entry: StrategyComparison): string {
  return `${formatUsd(entry.costPerMillionRunsUsd ?? 0)} per 1M runs`;
}

/**
 * What durable execution changed, when it ran: how much of the wall its orchestrator was
 * suspended (not billed), and the critical path past which this workflow's shape costs less as a
 * durable execution than under a fanout orchestrator waiting on it (modelled).
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
    ` ${entry.strategy}: its orchestrator was suspended, not billed, for ${Math.round(suspendedShare * 100)} % of the wall ` +
    `(${formatNumber(replays)} replays billed instead); with ${formatNumber(operations)} durable operations per run it costs less than ` +
    `a fanout orchestrator waiting on the same tasks once the critical path passes ${formatNumber(breakEvenCriticalPathMs)} ms ` +
    `(modelled at list prices; this workflow's: ${formatNumber(criticalPath)} ms, ${side}).`
  );
}

/**
 * The comparison in a sentence or two: which strategy is fastest (median wall, speedup), which is
 * cheapest (median cost per 1M runs), and when they differ the trade-off between the two, e.g.
 * "fanout is 1.50x faster than inline for 2.31x the cost".
 *
 * Strategies with a failed run are never named: a fast answer that is sometimes wrong is no answer.
 *
 * @example
 * describeVerdict(compareRuns(reports));
 * // "inline is fastest: median wall 4,004 ms, 1.50x faster than sequential; and cheapest
 * //  ($71.90 per 1M runs)."
 */
export function describeVerdict(comparison: Comparison): string {
  const find = (name: string | undefined) =>
    comparison.strategies.find((entry) => entry.strategy === name);
  const fastest = find(comparison.fastest);
  if (!fastest) {
    return comparison.strategies.length === 0
      ? "no runs to compare"
      : "no verdict: every strategy had a failed run";
  }
  return `${headline(comparison, fastest)}${durablePhrase(comparison)}`;
}

function headline(comparison: Comparison, fastest: StrategyComparison): string {
  const find = (name: string | undefined) =>
    comparison.strategies.find((entry) => entry.strategy === name);
  const speed = `${fastest.strategy} is fastest: median wall ${formatNumber(fastest.wallMs.median)} ms${speedupPhrase(fastest)}`;
  const cheapest = find(comparison.cheapest);
  if (!cheapest || fastest.costUsd === undefined || cheapest.costUsd === undefined) {
    return `${speed} (no cost figures).`;
  }
  if (cheapest === fastest) return `${speed}; and cheapest (${perMillion(fastest)}).`;
  const faster = cheapest.wallMs.median / fastest.wallMs.median;
  const pricier = fastest.costUsd.median / cheapest.costUsd.median;
  return (
    `${speed}. ${cheapest.strategy} is cheapest (${perMillion(cheapest)}): ` +
    `${fastest.strategy} is ${formatRatio(faster)} faster than ${cheapest.strategy} for ` +
    `${formatRatio(pricier)} the cost (${perMillion(fastest)}).`
  );
}
