import type {
  RateForecast,
  ReportForecast,
  StrategyForecast,
} from "../../lib/forecast/forecastSummary.js";
import type { StrategyName } from "../../lib/strategies/names.js";

/** A forecast as a report carries it, on the aws set of 2026-12-06 (two of its figures assumed). */
export function aReportForecast(overrides: Partial<ReportForecast> = {}): ReportForecast {
  return {
    parameterSet: {
      name: "aws",
      date: "2026-12-06",
      description: "AWS us-east-1 <arm64>",
      assumptions: ["lambda.invokeRequest", "sqs.apiCall"],
    },
    seed: 1,
    strategies: [],
    ...overrides,
  };
}

/** One strategy forecast whose 50 simulated runs all succeeded, with these figures. */
export function aStrategyForecast(
  strategy: StrategyName,
  { p50, p95, costPerRunUsd }: { p50: number; p95: number; costPerRunUsd: number },
  overrides: Partial<StrategyForecast> = {},
): StrategyForecast {
  return {
    strategy,
    runs: 50,
    failed: 0,
    wallMs: { p50, p95 },
    costPerRunUsd,
    costPerMillionRunsUsd: costPerRunUsd * 1_000_000,
    ...overrides,
  };
}

/** One strategy's figures forecast at a rate, none of its runs failed. */
export function aRateEntry(
  strategy: StrategyName,
  figures: {
    p50: number;
    p95: number;
    costPerRunUsd: number;
    monthlyUsd: number;
    coldRunShare: number;
  },
): RateForecast["strategies"][number] {
  const { p50, p95, ...rest } = figures;
  return { strategy, wallP50Ms: p50, wallP95Ms: p95, ...rest, failed: 0 };
}
