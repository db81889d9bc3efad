/**
 * The calibration's round trip: a hop measured as a span of a run (a message sent -> its worker
 * started) holds more than the figure the model draws for it, since the model adds the caller's
 * CPU, the stack's time per request and the draws' skew around that figure. Read off a simulated
 * run of the probe's own workflow the same way it was read off the measured ones, the span came
 * out 3.4 ms (queue delivery) and 3.3 ms (durable's replay until its invoke) longer than measured,
 * which a chain of 100 adds up 100 times. Each spanned figure is shifted until the model
 * reproduces the span it was measured as.
 */
import type { Figure } from "../../lib/forecast/figure.js";
import { forecastRuns } from "../../lib/forecast/forecastRuns.js";
import type { PlatformParameters } from "../../lib/forecast/parameters.js";
import type { RunReport } from "../../lib/runReport/types.js";
import type { StrategyName } from "../../lib/strategies/names.js";
import { strategyNamed } from "../../lib/strategies/registry.js";
import { planRun } from "../../lib/workflow/plan.js";
import type { Workflow } from "../../lib/workflow/types.js";
import { median, round } from "./fit.js";

/** A figure measured as a span of the runs of one probe workflow. */
export interface SpannedFigure {
  /** A name for the console: "SQS delivery". */
  what: string;
  strategy: StrategyName;
  workflow: Workflow;
  /** The span's samples in a run's report, read as the probe read the measured runs. */
  spansOf: (report: RunReport) => number[];
  /** The median of the measured samples. */
  measuredMs: number;
  figureOf: (parameters: PlatformParameters) => Figure;
  withFigure: (parameters: PlatformParameters, figure: Figure) => PlatformParameters;
}

/** Simulated runs a span's median is read off: the fits' 25, one seed. */
const SIMULATED_RUNS = 25;
/** Passes over the figures: each one's shift moves the others' spans a little (shared CPU). */
const PASSES = 3;

/** The median span the model gives, on `parameters`, where the measured one was read. */
export function modelledSpanMs(figure: SpannedFigure, parameters: PlatformParameters): number {
  const plan = planRun({
    runId: "calibrate",
    strategy: figure.strategy,
    workflow: figure.workflow,
    scale: 1,
  });
  const samples = forecastRuns(
    plan,
    figure.strategy,
    strategyNamed(figure.strategy).model,
    { parameters, seed: 1 },
    SIMULATED_RUNS,
  ).flatMap((run) => figure.spansOf(run.report));
  return median(samples);
}

/**
 * `figure` moved by `byMs` (its median never below 0.1 ms). Moved down, its spread shrinks with
 * its median, the log-normal's sigma kept: the same spread above a median near 0 is a tail of
 * seconds (a replay's 0.1 ms median under a 21 ms p95 drew gaps of 7 s into a chain of 100).
 * Moved up, its spread is kept.
 */
export function moveFigure(figure: Figure, byMs: number): Figure {
  const p50Ms = round(Math.max(figure.p50Ms + byMs, 0.1));
  const scale = p50Ms < figure.p50Ms ? p50Ms / figure.p50Ms : 1;
  const upper = (ms: number) =>
    round(Math.max(scale < 1 ? ms * scale : ms + (p50Ms - figure.p50Ms), p50Ms));
  return {
    ...figure,
    p50Ms,
    ...(figure.p95Ms === undefined ? {} : { p95Ms: upper(figure.p95Ms) }),
    ...(figure.p99Ms === undefined ? {} : { p99Ms: upper(figure.p99Ms) }),
  };
}

/**
 * `parameters` with every spanned figure moved so the model's span matches the measured one.
 * A figure whose span the model cannot read (no samples), or whose span does not follow it (moved
 * 1 ms or more, the span moved less than half as much), is left as it was.
 */
export function matchSpans(
  parameters: PlatformParameters,
  figures: SpannedFigure[],
): PlatformParameters {
  let current = parameters;
  const unfollowed = new Set<SpannedFigure>();
  for (let pass = 0; pass < PASSES; pass += 1) {
    for (const figure of figures) {
      if (unfollowed.has(figure)) continue;
      const modelled = modelledSpanMs(figure, current);
      if (!Number.isFinite(modelled)) continue;
      const byMs = figure.measuredMs - modelled;
      const moved = figure.withFigure(current, moveFigure(figure.figureOf(current), byMs));
      if (pass === 0 && Math.abs(byMs) >= 1) {
        const followed = Math.abs(modelledSpanMs(figure, moved) - modelled) >= Math.abs(byMs) / 2;
        if (!followed) {
          unfollowed.add(figure);
          continue;
        }
      }
      current = moved;
    }
  }
  return current;
}

/**
 * How far each spanned figure moved from `before` to `after`, said in its source on `after`.
 */
export function describeMoves(
  before: PlatformParameters,
  after: PlatformParameters,
  figures: SpannedFigure[],
): { parameters: PlatformParameters; shifts: Array<{ what: string; byMs: number }> } {
  let current = after;
  const shifts = figures.map((figure) => {
    const byMs = round(figure.figureOf(after).p50Ms - figure.figureOf(before).p50Ms);
    current = figure.withFigure(current, {
      ...figure.figureOf(current),
      source: `${figure.figureOf(before).source}; moved ${byMs} ms so the model's ${figure.what} matches the measured median (${round(figure.measuredMs)} ms)`,
    });
    return { what: figure.what, byMs };
  });
  return { parameters: current, shifts };
}
