/**
 * How bench:forecast scores a cell, shared with bench:rescore: the forecast of one cell of the
 * suite under a parameter set, and whether it falls within a band of the measurement.
 */
import { z } from "zod";
import { forecastRuns } from "../lib/forecast/forecastRuns.js";
import { type PlatformParameters, platformParametersSchema } from "../lib/forecast/parameters.js";
import type { OwnFunctionFacts } from "../lib/forecast/taskBodies.js";
import { runLimit } from "../lib/runs/runLimits.js";
import { STRATEGIES, type StrategyName } from "../lib/strategies/names.js";
import { strategyNamed } from "../lib/strategies/registry.js";
import type { RunPlan } from "../lib/workflow/plan.js";
import { median } from "./calibration/fit.js";

/**
 * One cell of bench:forecast's JSON against this machine, as it writes it and as bench:rescore
 * reads it back. A figure that was NaN or infinite (no simulated run succeeded) is null in JSON.
 */
export const recordedCellSchema = z.object({
  cell: z.string(),
  strategy: z.enum(STRATEGIES),
  status: z.enum(["compared", "skipped"]),
  /** Sent synchronously, or asynchronously when the model expects it past a request's budget. */
  mode: z.enum(["sync", "async"]).optional(),
  note: z.string().optional(),
  measured: z
    .object({ wallMs: z.number(), overheadMs: z.number(), runs: z.number(), failed: z.number() })
    .optional(),
  /** The simulated runs' medians; those that did not succeed counted, with the first's reason. */
  predicted: z
    .object({
      wallMs: z.number().nullable(),
      overheadMs: z.number().nullable(),
      failed: z.number().optional(),
      failure: z.string().optional(),
    })
    .optional(),
  wallRatio: z.number().nullable().optional(),
  overheadRatio: z.number().nullable().optional(),
  within25: z.boolean().optional(),
  within50: z.boolean().optional(),
  /** The own functions' facts the forecast used, so a changed model can be checked again. */
  ownFunctions: z.record(z.string(), z.custom<OwnFunctionFacts>()).optional(),
});
export type RecordedCell = z.infer<typeof recordedCellSchema>;

/** What bench:rescore needs of a bench:forecast JSON: the set it calibrated, and its cells. */
export const recordedRunSchema = z.object({
  parameterSet: platformParametersSchema,
  local: z.array(recordedCellSchema),
});

/** Predicted within `share` of the measured median overhead, or within 30 ms of it. */
export const withinBand = (predicted: number, measured: number, share: number) =>
  Math.abs(predicted - measured) <= Math.max(share * Math.abs(measured), 30);

export interface CellForecast {
  /** Medians over the simulated runs that succeeded (NaN when none did). */
  wallMs: number;
  overheadMs: number;
  /** Simulated runs that did not succeed, and the first one's reason. */
  failed: number;
  failure?: string;
}

/**
 * `simulated` runs of `plan` under `strategy` as the set forecasts them: a run sent
 * asynchronously has the asynchronous limit, and Step Functions runs it on a Standard state
 * machine (an Express one answers a synchronous request).
 */
export function forecastCell(
  plan: RunPlan,
  strategy: StrategyName,
  settings: {
    parameters: PlatformParameters;
    ownFunctions: ReadonlyMap<string, OwnFunctionFacts>;
    mode: "sync" | "async";
    simulated: number;
  },
): CellForecast {
  const { parameters, ownFunctions, mode, simulated } = settings;
  const runs = forecastRuns(
    plan,
    strategy,
    strategyNamed(strategy).model,
    {
      parameters,
      seed: 1,
      ownFunctions: new Map(ownFunctions),
      ...(mode === "async"
        ? { budgetMs: runLimit(strategy, "async").ms, stateMachineType: "standard" as const }
        : {}),
    },
    simulated,
  );
  const succeeded = runs.filter((run) => run.report.status === "succeeded");
  const failedRun = runs.find((run) => run.report.status !== "succeeded");
  return {
    wallMs: median(succeeded.map((run) => run.report.wallMs)),
    overheadMs: median(succeeded.map((run) => run.report.overheadMs)),
    failed: runs.length - succeeded.length,
    ...(failedRun?.report.error
      ? { failure: `${failedRun.report.error.type}: ${failedRun.report.error.message}` }
      : {}),
  };
}

/** How many of a run's cells a forecast brought within 25 % and within 50 %. */
export interface BandScore {
  compared: number;
  within25: number;
  within50: number;
}

/** The band score of predicted / measured median overheads, one pair a compared cell. */
export function bandScoreOf(
  pairs: ReadonlyArray<{ predictedMs: number; measuredMs: number }>,
): BandScore {
  return {
    compared: pairs.length,
    within25: pairs.filter((pair) => withinBand(pair.predictedMs, pair.measuredMs, 0.25)).length,
    within50: pairs.filter((pair) => withinBand(pair.predictedMs, pair.measuredMs, 0.5)).length,
  };
}

/** `part` of `whole` as a whole percentage (0 of nothing is 0 %). */
export const percentOf = (part: number, whole: number) =>
  Math.round((100 * part) / Math.max(whole, 1));

/**
 * What the runs' own spread leaves any model: how each run of the benchmark would score against a
 * forecast that knew every cell's median over all the runs given. The local stack measures the
 * same cell differently from one run to the next (200 KB under fanout: 71, 39 and 36 ms in three
 * runs on one machine), and that spread counts against a forecast as much as the model's own
 * errors. Only the cells compared in every run are scored.
 */
export function spreadCeiling(runs: ReadonlyArray<readonly RecordedCell[]>): BandScore[] {
  const keyOf = (cell: RecordedCell) => `${cell.cell}\u0000${cell.strategy}`;
  const overheads = new Map<string, number[]>();
  for (const run of runs) {
    for (const cell of run) {
      if (cell.status !== "compared" || cell.measured === undefined) continue;
      overheads.set(keyOf(cell), [...(overheads.get(keyOf(cell)) ?? []), cell.measured.overheadMs]);
    }
  }
  const everywhere = new Map([...overheads].filter(([, values]) => values.length === runs.length));
  return runs.map((run) =>
    bandScoreOf(
      run.flatMap((cell) => {
        const values = everywhere.get(keyOf(cell));
        return values && cell.measured
          ? [{ predictedMs: median(values), measuredMs: cell.measured.overheadMs }]
          : [];
      }),
    ),
  );
}
