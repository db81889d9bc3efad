import {
  describeTarget,
  type Pick,
  type Recommendation,
  type Standing,
} from "../recommendation.js";
import { formatNumber, formatUsd } from "./formatNumber.js";

/** What the figures of the forecast's pick are: modelled on a named parameter set. */
function forecastLabel(recommendation: Recommendation): string {
  const set = recommendation.forecastParameterSet ?? "aws";
  return set === "aws" ? "Forecast on AWS (modelled)" : `Forecast, ${set} set (modelled)`;
}

/** A standing's cost: a month at the rate given, else per 1M runs; "no cost" without one. */
function costOf(standing: Standing, runsPerMonth: number | undefined): string {
  if (standing.monthlyUsd !== undefined && runsPerMonth !== undefined) {
    return `${formatUsd(standing.monthlyUsd)} a month at ${formatNumber(Math.round(runsPerMonth))} runs`;
  }
  if (standing.costPerRunUsd === undefined) return "no cost figures";
  return `${formatUsd(standing.costPerRunUsd * 1_000_000)} per 1M runs`;
}

/** "412 ms, 1,588 ms to spare" / "2,412 ms, 412 ms over". */
function againstTarget(standing: Standing): string {
  const spare = standing.spareMs ?? 0;
  const by = spare >= 0 ? `${formatNumber(spare)} ms to spare` : `${formatNumber(-spare)} ms over`;
  return `${formatNumber(standing.wallMs)} ms, ${by}`;
}

const standingOf = (pick: Pick, strategy: string | undefined): Standing | undefined =>
  pick.standings.find((standing) => standing.strategy === strategy);

/** Not told apart by cost from the next cheapest meeting the target: said, with the runs. */
function runnerUpCaveat(pick: Pick): string {
  const margin = pick.runnerUp;
  if (!margin || margin.toldApart) return "";
  const runs = margin.a.runs === margin.b.runs ? `${margin.a.runs} runs each` : "these runs";
  return `; by median cost only: not told apart from ${margin.other} in ${runs}`;
}

function targetSentences(
  recommendation: Extract<Recommendation, { kind: "target" }>,
  measuredWhere: string,
): string[] {
  const target = describeTarget(recommendation.target);
  const p = `p${recommendation.target.percentile}`;
  const sentences: string[] = [];
  const { measured, forecast } = recommendation;
  if (measured) {
    const picked = standingOf(measured, measured.pick);
    const closest = standingOf(measured, measured.closest);
    if (picked) {
      sentences.push(
        `For ${target}: ${picked.strategy}, the cheapest whose ${p} (${measuredWhere}) meets it: ` +
          `${againstTarget(picked)}; ${costOf(picked, recommendation.runsPerMonth)}${runnerUpCaveat(measured)}.`,
      );
    } else if (closest) {
      sentences.push(
        `No strategy meets ${target} (${measuredWhere}): the closest, ${closest.strategy}, ` +
          `has ${p} ${againstTarget(closest)}; ${costOf(closest, recommendation.runsPerMonth)}.`,
      );
    }
  }
  if (forecast) {
    const picked = standingOf(forecast, forecast.pick);
    const closest = standingOf(forecast, forecast.closest);
    const label = forecastLabel(recommendation);
    if (forecast.unavailable) sentences.push(`${label}: no pick, ${forecast.unavailable}.`);
    else if (picked) {
      sentences.push(
        `${label}: ${picked.strategy}, ${p} ${againstTarget(picked)}; ${costOf(picked, recommendation.runsPerMonth)}.`,
      );
    } else if (closest) {
      sentences.push(
        `${label}: none meets ${target}; the closest, ${closest.strategy}, ${p} ${againstTarget(closest)}.`,
      );
    }
  }
  return sentences;
}

function balancedSentences(
  recommendation: Extract<Recommendation, { kind: "balanced" }>,
  measuredWhere: string,
): string[] {
  const weights = `cost weighs ${recommendation.costWeight}, time ${Number((1 - recommendation.costWeight).toFixed(2))}`;
  const sentences: string[] = [];
  const { measured, forecast } = recommendation;
  const picked = measured && standingOf(measured, measured.pick);
  if (picked) {
    sentences.push(
      `Balanced pick (${weights}, ${measuredWhere}): ${picked.strategy}, ` +
        `median wall ${formatNumber(picked.wallMs)} ms, ${costOf(picked, recommendation.runsPerMonth)}.`,
    );
  }
  const forecastPick = forecast && standingOf(forecast, forecast.pick);
  if (forecastPick) {
    sentences.push(
      `${forecastLabel(recommendation)}, balanced: ${forecastPick.strategy}, ` +
        `median wall ${formatNumber(forecastPick.wallMs)} ms, ${costOf(forecastPick, recommendation.runsPerMonth)}.`,
    );
  }
  return sentences;
}

/**
 * The recommendation in a sentence or two, the verdict's first: against a latency target, the
 * cheapest strategy meeting it (by how much, at what cost a month at the rate), or that none
 * does and the closest; without one, the balanced pick with its weights. Then the forecast's
 * pick on AWS, labelled modelled. Every figure says what it is.
 *
 * @example
 * describeRecommendation(recommendation, "measured locally");
 * // ["For p95 ≤ 2 s: inline, the cheapest whose p95 (measured locally) meets it: 412 ms, 1,588 ms to spare; $2.72 a month at 300,000 runs.",
 * //  "Forecast on AWS (modelled): fanout, p95 380 ms, 1,620 ms to spare; $12.00 a month at 300,000 runs."]
 */
export function describeRecommendation(
  recommendation: Recommendation,
  /** Where the measured figures come from, e.g. "measured locally", "measured on AWS". */
  measuredWhere: string,
): string[] {
  return recommendation.kind === "target"
    ? targetSentences(recommendation, measuredWhere)
    : balancedSentences(recommendation, measuredWhere);
}

/**
 * Each measured alternative against the target, cheapest first, for the reports' tables: its
 * percentile, by how much it meets or misses the target, its cost per 1M runs, and a month at
 * the rate when one was given. Undefined without a target or measured figures.
 */
export function standingsTable(
  recommendation: Recommendation,
  measuredWhere: string,
): { title: string; header: string[]; cells: string[][] } | undefined {
  if (recommendation.kind !== "target" || !recommendation.measured) return undefined;
  const p = `p${recommendation.target.percentile}`;
  const monthly = recommendation.runsPerMonth;
  const header = [
    "strategy",
    `${p} ms`,
    `vs ${describeTarget(recommendation.target)}`,
    "cost/1M runs",
    ...(monthly === undefined ? [] : ["a month"]),
  ];
  const cells = recommendation.measured.standings.map((standing) => {
    const spare = standing.spareMs ?? 0;
    return [
      standing.strategy,
      formatNumber(standing.wallMs),
      spare >= 0 ? `meets, ${formatNumber(spare)} to spare` : `misses by ${formatNumber(-spare)}`,
      standing.costPerRunUsd === undefined ? "n/a" : formatUsd(standing.costPerRunUsd * 1_000_000),
      ...(monthly === undefined
        ? []
        : [standing.monthlyUsd === undefined ? "n/a" : formatUsd(standing.monthlyUsd)]),
    ];
  });
  const rate =
    monthly === undefined ? "" : `, a month at ${formatNumber(Math.round(monthly))} runs`;
  return {
    title: `Against ${describeTarget(recommendation.target)} (${p} ${measuredWhere}, over the runs the table uses; cost modelled${rate}):`,
    header,
    cells,
  };
}
