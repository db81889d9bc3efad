import { type MedianInterval, medianInterval } from "../stats/confidence.js";
import { summarize } from "../stats/stats.js";
import type { StrategyName } from "../strategies/names.js";
import type { RegisteredStrategy } from "../strategies/registry.js";
import { planRun } from "../workflow/plan.js";
import type { Workflow } from "../workflow/types.js";
import type { DecisionMap } from "./decisionMap.js";
import { forecastArrivals, forecastRuns } from "./forecastRuns.js";
import { assumptionsOf, type PlatformParameters } from "./parameters.js";
import type { OwnFunctionFacts } from "./taskBodies.js";

/** Seconds in a month of 30 days: what a rate per second becomes per month. */
export const SECONDS_PER_MONTH = 30 * 24 * 3600;

/** One strategy, forecast: Monte Carlo over simulated runs of the same workflow. */
export interface StrategyForecast {
  strategy: StrategyName;
  /** Simulated runs, and how many of them failed (a limit, the run's budget). */
  runs: number;
  failed: number;
  wallMs?: { p50: number; p95: number; interval?: MedianInterval };
  overheadMs?: number;
  costPerRunUsd?: number;
  costPerMillionRunsUsd?: number;
  /** Why the runs failed, when every one did (a platform limit, named). */
  error?: string;
}

/** Runs arriving at a rate: what a month of them does and costs. */
export interface RateForecast {
  perSecond: number;
  runsPerMonth: number;
  /**
   * Simulated runs at that rate, sharing one platform (its warm environments, its concurrency),
   * after as many again that grew the platform's pools from nothing (left out).
   */
  runs: number;
  strategies: Array<{
    strategy: StrategyName;
    wallP50Ms?: number;
    wallP95Ms?: number;
    /** Share of the runs that met a cold start somewhere. */
    coldRunShare: number;
    costPerRunUsd?: number;
    monthlyUsd?: number;
    failed: number;
  }>;
}

/**
 * What the report says the workflow would do on a platform it did not run on: modelled, never a
 * measurement, with the parameter set named and the assumptions it rests on listed.
 */
export interface ReportForecast {
  parameterSet: { name: string; date: string; description: string; assumptions: string[] };
  seed: number;
  strategies: StrategyForecast[];
  rate?: RateForecast;
  decisionMap?: DecisionMap;
}

export interface ForecastOptions {
  parameters: PlatformParameters;
  runs: number;
  seed: number;
  scale: number;
  ownFunctions?: ReadonlyMap<string, OwnFunctionFacts>;
  /** Runs per second, for the monthly figures. */
  ratePerSecond?: number;
  /** Simulated runs at the rate (default 200). */
  rateRuns?: number;
}

const medianOf = (values: number[]) => (values.length > 0 ? summarize(values).median : undefined);

/** Forecasts `workflow` under each strategy: `runs` simulated runs after a warm-up, as compare runs them. */
export function forecastStrategies(
  workflow: Workflow,
  strategies: readonly RegisteredStrategy[],
  options: ForecastOptions,
): ReportForecast {
  const { parameters, runs, seed, scale } = options;
  const settingsFor = () => ({
    parameters,
    seed,
    ...(options.ownFunctions ? { ownFunctions: options.ownFunctions } : {}),
  });
  const forecasts = strategies.map((strategy): StrategyForecast => {
    const plan = planRun({
      runId: `forecast-${strategy.name}`,
      strategy: strategy.name,
      workflow,
      scale,
    });
    const simulated = forecastRuns(plan, strategy.name, strategy.model, settingsFor(), runs);
    const succeeded = simulated.filter((run) => run.report.status === "succeeded");
    if (succeeded.length === 0) {
      const error = simulated[0]?.report.error;
      return {
        strategy: strategy.name,
        runs: simulated.length,
        failed: simulated.length,
        error: error ? `${error.type}: ${error.message}` : "no simulated run finished",
      };
    }
    const walls = succeeded.map((run) => run.report.wallMs);
    const wall = summarize(walls);
    const interval = medianInterval(walls);
    const cost = medianOf(
      succeeded.flatMap((run) => (run.report.cost ? [run.report.cost.totalUsd] : [])),
    );
    return {
      strategy: strategy.name,
      runs: simulated.length,
      failed: simulated.length - succeeded.length,
      wallMs: { p50: wall.median, p95: wall.p95, ...(interval ? { interval } : {}) },
      overheadMs: summarize(succeeded.map((run) => run.report.overheadMs)).median,
      ...(cost === undefined
        ? {}
        : { costPerRunUsd: cost, costPerMillionRunsUsd: cost * 1_000_000 }),
    };
  });
  const forecast: ReportForecast = {
    parameterSet: {
      name: parameters.name,
      date: parameters.date,
      description: parameters.description,
      assumptions: assumptionsOf(parameters),
    },
    seed,
    strategies: forecasts,
  };
  if (options.ratePerSecond === undefined) return forecast;
  const perSecond = options.ratePerSecond;
  const rateRuns = options.rateRuns ?? 200;
  return {
    ...forecast,
    rate: {
      perSecond,
      runsPerMonth: perSecond * SECONDS_PER_MONTH,
      runs: rateRuns,
      strategies: strategies.map((strategy) => {
        const plan = planRun({
          runId: `rate-${strategy.name}`,
          strategy: strategy.name,
          workflow,
          scale,
        });
        const arrived = forecastArrivals(plan, strategy.name, strategy.model, settingsFor(), {
          ratePerSecond: perSecond,
          runs: rateRuns,
          warmupRuns: rateRuns,
        });
        const succeeded = arrived.filter((run) => run.report.status === "succeeded");
        const walls = succeeded.map((run) => run.report.wallMs);
        const cost = medianOf(
          succeeded.flatMap((run) => (run.report.cost ? [run.report.cost.totalUsd] : [])),
        );
        return {
          strategy: strategy.name,
          ...(walls.length > 0
            ? { wallP50Ms: summarize(walls).median, wallP95Ms: summarize(walls).p95 }
            : {}),
          coldRunShare:
            arrived.length > 0
              ? arrived.filter((run) => run.coldStarts > 0).length / arrived.length
              : 0,
          ...(cost === undefined
            ? {}
            : { costPerRunUsd: cost, monthlyUsd: cost * perSecond * SECONDS_PER_MONTH }),
          failed: arrived.length - succeeded.length,
        };
      }),
    },
  };
}

/** `50/s`, `1e6/day`, `10000/month`: runs per second. */
export function parseRate(text: string): number {
  const match = /^\s*([0-9.eE+]+)\s*\/\s*(s|sec|second|min|minute|h|hour|day|month)\s*$/.exec(text);
  const count = match ? Number(match[1]) : Number.NaN;
  if (!match || !Number.isFinite(count) || count <= 0) {
    throw new Error(`expected runs per unit, e.g. 50/s, 1e6/day or 10000/month; got '${text}'`);
  }
  const seconds: Record<string, number> = {
    s: 1,
    sec: 1,
    second: 1,
    min: 60,
    minute: 60,
    h: 3600,
    hour: 3600,
    day: 86_400,
    month: SECONDS_PER_MONTH,
  };
  return count / (seconds[match[2] as string] as number);
}
