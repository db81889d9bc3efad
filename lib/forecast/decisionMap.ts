import type { StrategyName } from "../strategies/names.js";
import type { RegisteredStrategy } from "../strategies/registry.js";
import { planRun } from "../workflow/plan.js";
import type { TaskKind, Workflow } from "../workflow/types.js";
import { forecastRuns } from "./forecastRuns.js";
import type { PlatformParameters } from "./parameters.js";

/** API Gateway's integration timeout: a synchronous request answers within it or not at all. */
export const SYNCHRONOUS_API_LIMIT_MS = 29_000;

/** One strategy at one point of the map. */
export interface MapCell {
  strategy: StrategyName;
  /** Forecast wall (ms) and cost per run (USD); absent where a limit stops the strategy. */
  wallMs?: number;
  costUsd?: number;
  /** The limit that stops it here, as the platform names it. */
  limit?: string;
  /** Its wall is past the synchronous API's 29 s: a run there needs an asynchronous request. */
  pastSynchronousLimit?: boolean;
}

export interface MapPoint {
  taskMs: number;
  width: number;
  cells: MapCell[];
  /** Lowest wall and lowest cost among the strategies no limit stops here. */
  fastest?: StrategyName;
  cheapest?: StrategyName;
}

/** The fastest and the cheapest strategy over task duration x width, forecast. */
export interface DecisionMap {
  parameterSet: { name: string; date: string };
  /** Whether every task waits (`io`) or burns the CPU (`cpu`). */
  kind: TaskKind;
  durations: number[];
  widths: number[];
  points: MapPoint[];
  /** Above this width tasks run in waves: the account's concurrency. */
  concurrencyWidth: number;
  /** How long the sweep took on this machine (ms). */
  sweepMs: number;
  /** A sentence per region where a limit stops a strategy. */
  regions: string[];
}

/** The grid: 10 ms to 15 min, 1 to 10,000 wide (10 x 10 = 100 points). */
export const MAP_DURATIONS = [
  10, 100, 1000, 5000, 20_000, 60_000, 180_000, 300_000, 600_000, 900_000,
];
export const MAP_WIDTHS = [1, 3, 10, 30, 100, 300, 1000, 2000, 5000, 10_000];

/**
 * The shape a width-and-duration question has: a task whose output fans out to `width` tasks,
 * then one that gathers them, every task lasting `taskMs`.
 */
export function fanOutFanIn(taskMs: number, width: number, kind: TaskKind = "io"): Workflow {
  const middle = Array.from({ length: width }, (_, index) => `t${index}`);
  return {
    tasks: [
      { id: "start", fn: "queryData", deps: [], durationMs: taskMs, kind },
      ...middle.map((id) => ({
        id,
        fn: "writeLog" as const,
        deps: ["start"],
        durationMs: taskMs,
        kind,
      })),
      { id: "gather", fn: "processData", deps: middle, durationMs: taskMs, kind },
    ],
  };
}

const describeMs = (ms: number) =>
  ms >= 60_000 ? `${ms / 60_000} min` : ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`;

/**
 * Forecasts every strategy at every point of the grid (one warm run each, every figure at its
 * median: a sweep of many points, not a Monte Carlo), each allowed its platform's longest run
 * (asynchronous requests assumed, so the synchronous API's 29 s is marked, not enforced), and
 * names the fastest and the cheapest at each point and the limits that stop a strategy.
 */
export function decisionMap(
  strategies: readonly RegisteredStrategy[],
  parameters: PlatformParameters,
  grid: { durations?: number[]; widths?: number[]; kind?: TaskKind } = {},
): DecisionMap {
  const started = performance.now();
  const durations = grid.durations ?? MAP_DURATIONS;
  const widths = grid.widths ?? MAP_WIDTHS;
  const points: MapPoint[] = [];
  const stopped = new Map<string, { strategy: StrategyName; limit: string; points: MapPoint[] }>();
  for (const taskMs of durations) {
    for (const width of widths) {
      const point: MapPoint = { taskMs, width, cells: [] };
      const workflow = fanOutFanIn(taskMs, width, grid.kind);
      for (const strategy of strategies) {
        const plan = planRun({
          runId: `map-${taskMs}-${width}`,
          strategy: strategy.name,
          workflow,
          scale: 1,
        });
        const [run] = forecastRuns(
          plan,
          strategy.name,
          strategy.model,
          { parameters, seed: 1, mode: "median", budgetMs: strategy.longestRun.ms },
          1,
        );
        const report = run?.report;
        if (!report || report.status === "failed") {
          const limit =
            report?.error?.type === "Timeout"
              ? strategy.longestRun.limit
              : (report?.error?.message ?? "the run failed");
          point.cells.push({ strategy: strategy.name, limit });
          const key = `${strategy.name}: ${limit.split(" is ")[0]}`;
          const region = stopped.get(key) ?? { strategy: strategy.name, limit, points: [] };
          region.points.push(point);
          stopped.set(key, region);
          continue;
        }
        point.cells.push({
          strategy: strategy.name,
          wallMs: report.wallMs,
          ...(report.cost ? { costUsd: report.cost.totalUsd } : {}),
          ...(report.wallMs > SYNCHRONOUS_API_LIMIT_MS ? { pastSynchronousLimit: true } : {}),
        });
      }
      const running = point.cells.filter((cell) => cell.wallMs !== undefined);
      const best = (key: "wallMs" | "costUsd") =>
        running.reduce<MapCell | undefined>(
          (found, cell) =>
            cell[key] !== undefined &&
            (found === undefined || (cell[key] as number) < (found[key] as number))
              ? cell
              : found,
          undefined,
        )?.strategy;
      const fastest = best("wallMs");
      const cheapest = best("costUsd");
      if (fastest) point.fastest = fastest;
      if (cheapest) point.cheapest = cheapest;
      points.push(point);
    }
  }
  const regions = [...stopped.values()].map(({ strategy, limit, points: at }) => {
    const from = (width: number) => {
      const shortest = Math.min(
        ...at.filter((point) => point.width === width).map((point) => point.taskMs),
      );
      return `${describeMs(shortest)} tasks at ${width.toLocaleString("en-US")} wide`;
    };
    const widths = at.map((point) => point.width);
    const edges = [...new Set([Math.min(...widths), Math.max(...widths)])].map(from);
    return `${strategy} stops at ${at.length} of ${points.length} points, from ${edges.join(" and from ")}: ${limit.split(";")[0]}.`;
  });
  return {
    parameterSet: { name: parameters.name, date: parameters.date },
    kind: grid.kind ?? "io",
    durations,
    widths,
    points,
    concurrencyWidth: parameters.lambda.accountConcurrency.value,
    sweepMs: Math.round(performance.now() - started),
    regions,
  };
}
