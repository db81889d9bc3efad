/**
 * `npm run bench:forecast`: how good the forecast is, side by side in one run.
 * - Against this machine: first calibrates a parameter set on the stack it then measures (the
 *   local stack's speed drifts from one start to the next, so a set measured on another start
 *   would mix that drift into the model's error; `--parameters FILE` uses a set instead), then
 *   every strategy runs a suite of shapes there (one warm-up and --runs measured runs each), and
 *   the set forecasts the same runs; prints predicted / measured median wall and overhead per
 *   cell, and whether the overhead is within 25 % (or 30 ms) of the measurement; and, before the
 *   cells of 1,000 tasks, measures the suite's first cell again: the stack's own drift over the run.
 * - Against AWS: the `aws` set forecasts each published measurement of bench/awsValidation.ts
 *   and prints its ratio to the published median.
 * Writes bench/results/forecast-<timestamp>.json and forecast-latest.json. Not a test.
 */
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { API_KEY_ENV, runStrategy, runStrategyAsync } from "../adapters/runsApiClient.js";
import { openSession, projectRoot, type Session } from "../cli/session.js";
import { AWS_PARAMETERS } from "../lib/forecast/awsParameters.js";
import { forecastRuns } from "../lib/forecast/forecastRuns.js";
import { ownFunctionFactsFrom } from "../lib/forecast/ownFunctionFacts.js";
import { type PlatformParameters, platformParametersSchema } from "../lib/forecast/parameters.js";
import { notApplicableStrategies } from "../lib/ownFunctions/applicability.js";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import type { RunReport } from "../lib/runReport/types.js";
import { SYNCHRONOUS_RUN_BUDGET_MS } from "../lib/runs/runLimits.js";
import { STRATEGY } from "../lib/strategies/names.js";
import { strategyNamed } from "../lib/strategies/registry.js";
import { planRun } from "../lib/workflow/plan.js";
import { PUBLISHED_AWS_MEASUREMENTS } from "./awsValidation.js";
import { calibratePlatform } from "./calibration/calibratePlatform.js";
import { median } from "./calibration/fit.js";
import { cellFailureOf, cellRequestOptions, medianOverheadOf, sendWarmUp } from "./cellOverhead.js";
import { forecastCell, percentOf, type RecordedCell, withinBand } from "./forecastScoring.js";
import { SUITE, salesReport } from "./forecastSuite.js";
import { untilLocalStackIsIdle } from "./localStackIdle.js";

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    url: { type: "string" },
    parameters: { type: "string" },
    cells: { type: "string" },
    strategies: { type: "string" },
    "aws-only": { type: "boolean", default: false },
    simulated: { type: "string", default: "25" },
  },
});
const runs = Number(values.runs);
const simulated = Number(values.simulated);

/** The set given with --parameters, else one calibrated on `target` now (and kept beside the results). */
async function parametersFor(target: Session): Promise<PlatformParameters> {
  if (values.parameters) {
    console.error(`parameter set: ${values.parameters}`);
    return platformParametersSchema.parse(JSON.parse(readFileSync(values.parameters, "utf8")));
  }
  const { parameters: calibrated, summary } = await calibratePlatform(target, {
    runs: 5,
    by: "npm run bench:forecast (before its cells, on the same stack)",
  });
  console.error(summary.join("\n"));
  return calibrated;
}

/** A cell whose forecast wall passes this share of a synchronous request's budget runs asynchronously. */
const ASYNC_PAST_SHARE = 0.8;

const ratio = (a: number, b: number) =>
  b === 0 ? (a === 0 ? 1 : Number.POSITIVE_INFINITY) : a / b;

/** A cell this large may leave the local stack unable to accept connections for a while. */
const STACK_EXHAUSTING_TASKS = 1000;

/**
 * The stack's own drift over the run: the suite's first cell measured again, under every strategy
 * it was measured under, before any cell large enough to exhaust the stack. The model is
 * calibrated once, at the start; a cell measured later on a stack that has since got faster or
 * slower is off by that much whatever the model does.
 */
async function measureDrift(target: Session, cellsSoFar: RecordedCell[]): Promise<DriftCheck[]> {
  const checks: DriftCheck[] = [];
  const [{ cell, workflow }] = SUITE as [(typeof SUITE)[number]];
  for (const earlier of cellsSoFar.filter((entry) => entry.cell === cell && entry.measured)) {
    try {
      const againMs = await medianOverheadOf(target, earlier.strategy, workflow, runs);
      const firstMs = earlier.measured?.overheadMs ?? Number.NaN;
      checks.push({
        cell,
        strategy: earlier.strategy,
        firstMs,
        againMs,
        ratio: ratio(againMs, firstMs),
      });
      console.error(
        `  drift: ${cell} ${earlier.strategy.padEnd(13)} overhead ${formatNumber(Math.round(firstMs))} ms first, ${formatNumber(Math.round(againMs))} ms again (${ratio(againMs, firstMs).toFixed(2)})`,
      );
    } catch (error) {
      console.error(`  drift: ${cell} ${earlier.strategy}: ${cellFailureOf(error)}`);
    }
  }
  return checks;
}

interface DriftCheck {
  cell: string;
  strategy: string;
  /** The cell's median overhead when the suite measured it, and again before the large cells. */
  firstMs: number;
  againMs: number;
  ratio: number;
}

// --- Against AWS: the published table.
const awsRows = PUBLISHED_AWS_MEASUREMENTS.map((row) => {
  const plan = planRun({ runId: row.id, strategy: row.strategy, workflow: row.workflow, scale: 1 });
  const forecast = forecastRuns(
    plan,
    row.strategy,
    strategyNamed(row.strategy).model,
    {
      parameters: AWS_PARAMETERS,
      seed: 1,
      warmup: row.cold ? 0 : 1,
      ...(row.stateMachineType ? { stateMachineType: row.stateMachineType } : {}),
    },
    row.cold ? 1 : simulated,
  );
  const spans = forecast.map(({ report }) => {
    if (row.measure === "wall") return report.wallMs;
    const starts = report.tasks.map((task) => task.startedAt ?? Number.NaN);
    const ends = report.tasks.map((task) => task.endedAt ?? Number.NaN);
    return Math.max(...ends) - Math.min(...starts);
  });
  // A cold burst: every run of the simulation its own cold platform (seeds 1..N).
  const coldSpans = row.cold
    ? Array.from({ length: simulated }, (_, index) => {
        const [run] = forecastRuns(
          plan,
          row.strategy,
          strategyNamed(row.strategy).model,
          {
            parameters: AWS_PARAMETERS,
            seed: index + 1,
            warmup: 0,
            ...(row.stateMachineType ? { stateMachineType: row.stateMachineType } : {}),
          },
          1,
        );
        const report = run?.report;
        if (!report) return Number.NaN;
        return (
          Math.max(...report.tasks.map((t) => t.endedAt ?? 0)) -
          Math.min(...report.tasks.map((t) => t.startedAt ?? Number.POSITIVE_INFINITY))
        );
      })
    : spans;
  const predicted = median(coldSpans);
  return {
    id: row.id,
    what: row.what,
    publishedMs: row.medianMs,
    forecastMs: Math.round(predicted),
    ratio: ratio(predicted, row.medianMs),
    source: row.source,
  };
});
console.log(
  "\nagainst published AWS measurements (forecast: the aws set; published: not used by it)",
);
for (const row of awsRows) {
  console.log(
    `  ${row.id.padEnd(26)} forecast ${formatNumber(row.forecastMs).padStart(7)} ms  published ${formatNumber(row.publishedMs).padStart(7)} ms  ratio ${row.ratio.toFixed(2)}`,
  );
}
const awsWithin = awsRows.filter((row) => row.ratio <= 1.5 && row.ratio >= 1 / 1.5).length;
console.log(`  within 1.5x: ${awsWithin} of ${awsRows.length}`);

// --- Against this machine.
const cells: RecordedCell[] = [];
let drift: DriftCheck[] | undefined;
let parameters: PlatformParameters | undefined;
if (!values["aws-only"]) {
  const ownFunctions = [
    ...new Set(salesReport.tasks.flatMap((task) => (task.function ? [task.function] : []))),
  ];
  const target = await openSession({
    url: values.url,
    apiKey: process.env[API_KEY_ENV],
    localStack: {
      invokableFunctions: ownFunctions,
      ownService: join(projectRoot, "examples/sales-report"),
    },
  });
  const measuredInCell = new Map<string, RunReport[]>();
  const wantedCells = values.cells?.split(",").map((name) => name.trim());
  const wantedStrategies = values.strategies?.split(",").map((name) => name.trim());
  try {
    const set = await parametersFor(target);
    parameters = set;
    for (const { cell, workflow } of SUITE) {
      if (wantedCells && !wantedCells.includes(cell)) continue;
      if (drift === undefined && workflow.tasks.length >= STACK_EXHAUSTING_TASKS) {
        drift = await measureDrift(target, cells);
      }
      const skip = new Map(
        notApplicableStrategies(workflow, target.strategies).map((e) => [e.strategy, e.reason]),
      );
      for (const strategy of target.strategies) {
        if (wantedStrategies && !wantedStrategies.includes(strategy)) continue;
        const inlineFault =
          strategy === STRATEGY.inline && workflow.tasks.some((task) => task.fault);
        if (skip.has(strategy) || inlineFault) {
          cells.push({
            cell,
            strategy,
            status: "skipped",
            note: skip.get(strategy) ?? "inline refuses injected faults",
          });
          continue;
        }
        const plan = planRun({ runId: cell, strategy, workflow, scale: 1 });
        const plannedSum = plan.tasks.reduce((sum, task) => sum + task.durationMs, 0);
        if (strategy === STRATEGY.sequential && plannedSum > 18_000) {
          cells.push({
            cell,
            strategy,
            status: "skipped",
            note: `planned ${plannedSum} ms one after another: left out to keep the suite within its time (four such runs take minutes)`,
          });
          continue;
        }
        // A run the model expects past a synchronous request's budget goes asynchronously, as
        // compare sends a run it plans past it (API Gateway would answer 502 at 29 s).
        const ownSoFar = ownFunctionFactsFrom(measuredInCell.get(cell) ?? [], set.cpu);
        const expected = forecastRuns(
          plan,
          strategy,
          strategyNamed(strategy).model,
          { parameters: set, seed: 1, ownFunctions: ownSoFar },
          3,
        );
        const mode =
          expected.some((run) => run.report.error?.type === "Timeout") ||
          median(expected.map((run) => run.report.wallMs)) >
            ASYNC_PAST_SHARE * SYNCHRONOUS_RUN_BUDGET_MS
            ? "async"
            : "sync";
        const sendRun = mode === "async" ? runStrategyAsync : runStrategy;
        const send = () =>
          sendRun(target.apiUrl, strategy, { workflow, scale: 1 }, cellRequestOptions(target));
        const reports: RunReport[] = [];
        let failure: string | undefined;
        try {
          // The first request after the calibration's fits may meet a socket the stack closed.
          await sendWarmUp(send);
          for (let index = 0; index < runs; index += 1) reports.push(await send());
        } catch (error) {
          failure = cellFailureOf(error);
        }
        const succeeded = reports.filter((report) => report.status === "succeeded");
        if (succeeded.length === 0) {
          cells.push({
            cell,
            strategy,
            status: "skipped",
            note: failure ?? reports[0]?.error?.message ?? "no run succeeded",
          });
          await untilLocalStackIsIdle();
          continue;
        }
        // Own functions' work from every run of the cell so far, sequential's first: the
        // shortest span is the one least slowed by other work beside it, which is what the
        // model takes as the work at a full core (a fan-out's spans are already shared).
        const cellRuns = [...(measuredInCell.get(cell) ?? []), ...succeeded];
        measuredInCell.set(cell, cellRuns);
        const own = ownFunctionFactsFrom(cellRuns, set.cpu);
        const forecast = forecastCell(plan, strategy, {
          parameters: set,
          ownFunctions: own,
          mode,
          simulated,
        });
        const measured = {
          wallMs: median(succeeded.map((r) => r.wallMs)),
          overheadMs: median(succeeded.map((r) => r.overheadMs)),
          runs: reports.length,
          failed: reports.length - succeeded.length,
        };
        const predicted = {
          wallMs: forecast.wallMs,
          overheadMs: forecast.overheadMs,
          ...(forecast.failed > 0 ? { failed: forecast.failed, failure: forecast.failure } : {}),
        };
        const entry: RecordedCell = {
          cell,
          strategy,
          status: "compared",
          mode,
          measured,
          predicted,
          wallRatio: ratio(predicted.wallMs, measured.wallMs),
          overheadRatio: ratio(predicted.overheadMs, measured.overheadMs),
          within25: withinBand(predicted.overheadMs, measured.overheadMs, 0.25),
          within50: withinBand(predicted.overheadMs, measured.overheadMs, 0.5),
          ...(own.size > 0 ? { ownFunctions: Object.fromEntries(own) } : {}),
        };
        cells.push(entry);
        console.error(
          `  ${cell.padEnd(22)} ${strategy.padEnd(13)} overhead predicted ${formatNumber(Math.round(predicted.overheadMs)).padStart(6)} / measured ${formatNumber(Math.round(measured.overheadMs)).padStart(6)} ms (${entry.overheadRatio?.toFixed(2)})${entry.within25 ? "" : entry.within50 ? "  outside 25 %" : "  OUTSIDE 50 %"}`,
        );
      }
    }
    drift ??= await measureDrift(target, cells);
  } finally {
    await target.stop();
  }
  const compared = cells.filter((cell) => cell.status === "compared");
  console.log(
    `\nagainst this machine (forecast: ${values.parameters ? `the set in ${values.parameters}` : "a set calibrated on this stack just before"}; measured: the local stack, median of each cell)`,
  );
  console.log(
    `  ${"cell".padEnd(22)} ${"strategy".padEnd(13)} ${"wall pred/meas".padStart(14)} ${"overhead predicted".padStart(18)} ${"measured".padStart(9)} ${"ratio".padStart(6)}`,
  );
  for (const cell of cells) {
    if (cell.status === "skipped") {
      console.log(`  ${cell.cell.padEnd(22)} ${cell.strategy.padEnd(13)} skipped: ${cell.note}`);
      continue;
    }
    console.log(
      `  ${cell.cell.padEnd(22)} ${cell.strategy.padEnd(13)} ${(cell.wallRatio ?? 0).toFixed(2).padStart(14)} ${formatNumber(Math.round(cell.predicted?.overheadMs ?? 0)).padStart(15)} ms ${formatNumber(Math.round(cell.measured?.overheadMs ?? 0)).padStart(6)} ms ${(cell.overheadRatio ?? 0).toFixed(2).padStart(6)}${cell.within25 ? "" : cell.within50 ? "  (outside 25 %)" : "  (OUTSIDE 50 %)"}`,
    );
  }
  const within25 = compared.filter((cell) => cell.within25).length;
  const within50 = compared.filter((cell) => cell.within50).length;
  for (const check of drift ?? []) {
    console.log(
      `  the stack's drift: ${check.cell} under ${check.strategy}, measured again before the large cells: ${check.ratio.toFixed(2)}x its first overhead`,
    );
  }
  console.log(
    `  overhead within 25 % (or 30 ms): ${within25} of ${compared.length} cells (${percentOf(within25, compared.length)} %); within 50 %: ${within50} of ${compared.length}`,
  );
}

const dir = join(projectRoot, "bench/results");
mkdirSync(dir, { recursive: true });
const result = {
  generatedAt: new Date().toISOString(),
  runsPerCell: runs,
  simulatedRunsPerCell: simulated,
  // The whole set, so a changed model can be scored again against these measurements.
  parameterSet: parameters,
  aws: awsRows,
  local: cells,
  ...(drift ? { drift } : {}),
};
const text = `${JSON.stringify(result, null, 2)}\n`;
const stamp = result.generatedAt.replace(/[:.]/g, "-");
writeFileSync(join(dir, `forecast-${stamp}.json`), text);
writeFileSync(join(dir, "forecast-latest.json"), text);
console.log(`written: bench/results/forecast-${stamp}.json, forecast-latest.json`);
