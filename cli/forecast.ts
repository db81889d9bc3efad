import { AWS_PARAMETERS } from "../lib/forecast/awsParameters.js";
import { decisionMap } from "../lib/forecast/decisionMap.js";
import { forecastStrategies, type ReportForecast } from "../lib/forecast/forecastSummary.js";
import { ownFunctionFactsFrom, UNMEASURED_OWN_FUNCTION } from "../lib/forecast/ownFunctionFacts.js";
import type { PlatformParameters } from "../lib/forecast/parameters.js";
import type { OwnFunctionFacts } from "../lib/forecast/taskBodies.js";
import type { RunReport } from "../lib/runReport/types.js";
import type { StrategyName } from "../lib/strategies/names.js";
import { STRATEGY_REGISTRY } from "../lib/strategies/registry.js";
import type { CompareOptions } from "./options.js";

/** Simulated runs per strategy: enough for a p95 and a 95 % interval of the median in ~a second. */
export const FORECAST_RUNS = 50;
/** The forecast is seeded: the same command gives the same figures. */
export const FORECAST_SEED = 1;

/** CPU of the platform where `runs` were measured: this machine's cores, or AWS's shares. */
const LOCAL_CPU: PlatformParameters["cpu"] = {
  mode: "shared",
  cores: { value: 2, source: "this machine" },
};

/**
 * The forecast a comparison shows beside its runs (or instead of them with --forecast-only): each
 * strategy on the parameter set given (the aws set unless --parameters), own functions taken from
 * what the runs (or --from-report) measured of them, or an assumption said so.
 */
export function forecastFor(
  options: CompareOptions,
  strategies: readonly StrategyName[],
  measured: { runs: readonly RunReport[]; onAws: boolean },
): ReportForecast {
  const { forecast } = options;
  const runs = measured.runs.length > 0 ? measured.runs : (forecast.fromReport?.runs ?? []);
  const onAws =
    measured.runs.length > 0 ? measured.onAws : (forecast.fromReport?.measuredOnAws ?? false);
  const measuredFacts = ownFunctionFactsFrom(runs, onAws ? AWS_PARAMETERS.cpu : LOCAL_CPU);
  const ownFunctions = new Map<string, OwnFunctionFacts>();
  for (const task of options.workflow.tasks) {
    if (task.function === undefined) continue;
    ownFunctions.set(task.id, measuredFacts.get(task.id) ?? UNMEASURED_OWN_FUNCTION);
  }
  const entries = STRATEGY_REGISTRY.filter((strategy) => strategies.includes(strategy.name));
  const result = forecastStrategies(options.workflow, entries, {
    parameters: forecast.parameters,
    runs: FORECAST_RUNS,
    seed: FORECAST_SEED,
    scale: options.scale,
    ownFunctions,
    ...(forecast.ratePerSecond === undefined ? {} : { ratePerSecond: forecast.ratePerSecond }),
  });
  return result;
}

/**
 * The forecast with its decision map added (about 21 s here), unless --skip-map: made after the
 * forecast's table is printed, so the answer comes first and the map follows into the reports.
 */
export function withDecisionMap(
  options: CompareOptions,
  strategies: readonly StrategyName[],
  forecast: ReportForecast,
): ReportForecast {
  if (options.forecast.skipMap) return forecast;
  const entries = STRATEGY_REGISTRY.filter((strategy) => strategies.includes(strategy.name));
  console.error("forecasting the decision map (--skip-map leaves it out) ...");
  const map = decisionMap(entries, options.forecast.parameters, { kind: options.kind ?? "io" });
  return { ...forecast, decisionMap: map };
}
