/**
 * `npm run bench:rescore -- FILE [FILE ...]`: scores the current model against measurements
 * bench:forecast already made, without a stack. Each compared cell of each file is forecast
 * again from the parameter set and the own functions' facts the file kept, in the mode the cell
 * ran in; prints the cells outside 25 % (then or now) with the recorded and the new prediction,
 * and each file's count within 25 % and 50 %. A model change is checked here first, against
 * measurements it was not changed on, before a new bench:forecast measures it. Given several runs,
 * it also prints what their own spread leaves any model: each run scored against every cell's
 * median over all of them.
 *
 *   npm run bench:rescore -- docs/results/forecast-same-stack-2026-12-06-1.json
 */
import { readFileSync } from "node:fs";
import { planRun } from "../lib/workflow/plan.js";
import { benchFlags } from "./benchOptions.js";
import {
  bandScoreOf,
  forecastCell,
  percentOf,
  type RecordedCell,
  recordedRunSchema,
  spreadCeiling,
  withinBand,
} from "./forecastScoring.js";
import { SUITE } from "./forecastSuite.js";

const flags = benchFlags("rescore", { simulated: { type: "string", default: "25" } }, true);
const fail: (message: string) => never = flags.fail;
const simulated = flags.wholeNumber("simulated", 1, 1000);
const files = flags.positionals;
if (files.length === 0) fail("give one or more bench:forecast JSON files");

const ratioText = (predicted: number, measured: number) =>
  Number.isFinite(predicted) ? (predicted / measured).toFixed(2) : "none";

const recordedRuns: RecordedCell[][] = [];
for (const file of files) {
  const parsed = recordedRunSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (!parsed.success) fail(`${file}: not a bench:forecast result with its parameter set`);
  const { parameterSet, local } = parsed.data;
  recordedRuns.push(local);
  const scored: Array<{ predictedMs: number; measuredMs: number }> = [];
  for (const cell of local) {
    const measuredOverhead = cell.measured?.overheadMs;
    const shape = SUITE.find((entry) => entry.cell === cell.cell);
    if (cell.status !== "compared" || measuredOverhead === undefined || !shape) continue;
    const plan = planRun({
      runId: cell.cell,
      strategy: cell.strategy,
      workflow: shape.workflow,
      scale: 1,
    });
    const now = forecastCell(plan, cell.strategy, {
      parameters: parameterSet,
      ownFunctions: new Map(Object.entries(cell.ownFunctions ?? {})),
      mode: cell.mode ?? "sync",
      simulated,
    });
    const recorded = cell.predicted?.overheadMs ?? Number.NaN;
    scored.push({ predictedMs: now.overheadMs, measuredMs: measuredOverhead });
    const inQuarter = withinBand(now.overheadMs, measuredOverhead, 0.25);
    if (inQuarter && withinBand(recorded, measuredOverhead, 0.25)) continue;
    console.log(
      `  ${cell.cell.padEnd(22)} ${cell.strategy.padEnd(13)} measured ${Math.round(measuredOverhead)} ms, recorded forecast ${ratioText(recorded, measuredOverhead)}, now ${ratioText(now.overheadMs, measuredOverhead)}${now.failure ? ` (${now.failed} simulated runs failed: ${now.failure.slice(0, 100)})` : ""}`,
    );
  }
  const { compared, within25, within50 } = bandScoreOf(scored);
  console.log(
    `${file}: overhead within 25 % (or 30 ms) ${within25} of ${compared} cells (${percentOf(within25, compared)} %), within 50 % ${within50}`,
  );
}

if (recordedRuns.length > 1) {
  console.log(
    `the runs' own spread: against each cell's median over these ${recordedRuns.length} runs, within 25 % (or 30 ms) ${spreadCeiling(
      recordedRuns,
    )
      .map(
        ({ compared, within25, within50 }) =>
          `${within25} of ${compared} (${percentOf(within25, compared)} %, ${within50} within 50 %)`,
      )
      .join(", ")}`,
  );
}
