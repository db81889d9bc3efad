/**
 * `npm run bench:scale`: how each strategy's overhead grows with the workflow, on the local stack.
 * For N independent tasks (N = 1, 10, 100, 1,000) and a chain of N (N = 1, 10, 100), every
 * strategy runs one warm-up and --runs measured runs, first with the `local` latency profile, then
 * with `aws` (emulated AWS latency; the profile is switched without restarting anything). A run
 * whose planned duration does not fit the run budget is skipped and said so. Prints overhead (wall
 * minus critical path, median) against N, writes bench/results/scale-<timestamp>.json,
 * scale-latest.json and scale-latest.svg; the compare CLI's HTML report shows one it is given
 * (`--scale-sweep bench/results/scale-latest.json`).
 * Not a test: no assertions.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { runStrategy } from "../adapters/runsApiClient.js";
import { LOCAL_STACK_FLAGS, parseLocalStackOptions } from "../cli/localStackOptions.js";
import { openSession, projectRoot, type Session } from "../cli/session.js";
import {
  describeLatencyProfile,
  LATENCY_PROFILES,
  type LatencyProfileName,
  latencyProfileLabel,
  parseLatencyProfile,
} from "../lib/latency/profiles.js";
import { renderScaleChart } from "../lib/report/html/renderScaleChart.js";
import type { ScalePoint, ScaleSweep } from "../lib/report/scaleSweep.js";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import type { RunReport } from "../lib/runReport/types.js";
import { summarize } from "../lib/stats/stats.js";
import { BASELINE_STRATEGY, type StrategyName } from "../lib/strategies/names.js";
import { chainWorkflow, wideWorkflow } from "../lib/workflow/shapes.js";
import type { Workflow } from "../lib/workflow/types.js";
import { LOCALSTACK_ENDPOINT } from "../localEnvironment/settings.js";
import { untilLocalStackIsIdle } from "./localStackIdle.js";
import { localStackPid, treeUsage, usageBetween } from "./localStackUsage.js";

const WIDTHS = [1, 10, 100, 1000];
const CHAIN_LENGTHS = [1, 10, 100];
/**
 * The orchestrator gives up after ~27 s (API Gateway's 29 s): a run planned longer than this
 * leaves too little room for its overhead and is skipped rather than left to time out.
 */
const PLANNED_LIMIT_MS = 18_000;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    "task-ms": { type: "string", default: "100" },
    profiles: { type: "string", default: LATENCY_PROFILES.join(",") },
    strategies: { type: "string" },
    // e.g. --points independent:1000,chain:100 measures those points only
    points: { type: "string" },
    ...LOCAL_STACK_FLAGS,
  },
});
const runs = Number(values.runs);
const taskMs = Number(values["task-ms"]);
if (!(Number.isInteger(runs) && runs > 0 && Number.isInteger(taskMs) && taskMs >= 0)) {
  console.error("bench:scale: --runs must be a positive integer and --task-ms a whole number");
  process.exit(2);
}
let profiles: LatencyProfileName[];
try {
  profiles = values.profiles.split(",").map((name) => parseLatencyProfile(name.trim()));
} catch (error) {
  console.error(`bench:scale: --profiles: ${(error as Error).message}`);
  process.exit(2);
}

const allShapes: Array<{ shape: ScalePoint["shape"]; n: number; workflow: Workflow }> = [
  ...WIDTHS.map((n) => ({
    shape: "independent" as const,
    n,
    workflow: wideWorkflow(n, taskMs),
  })),
  ...CHAIN_LENGTHS.map((n) => ({
    shape: "chain" as const,
    n,
    workflow: chainWorkflow(n, taskMs),
  })),
];
const wantedPoints = values.points?.split(",").map((point) => point.trim());
const pointName = ({ shape, n }: { shape: string; n: number }) => `${shape}:${n}`;
const unknownPoint = wantedPoints?.find((point) => !allShapes.some((s) => pointName(s) === point));
if (unknownPoint !== undefined) {
  console.error(
    `bench:scale: --points: no point "${unknownPoint}" (one of ${allShapes.map(pointName).join(", ")})`,
  );
  process.exit(2);
}
const shapes = wantedPoints
  ? allShapes.filter((point) => wantedPoints.includes(pointName(point)))
  : allShapes;

/** One run; an API error (e.g. a 502 from a crashed orchestrator) counts as a failed run. */
async function runOnce(
  { apiUrl, apiKey }: Session,
  strategy: StrategyName,
  workflow: Workflow,
): Promise<RunReport | { status: "failed"; error: string }> {
  try {
    return await runStrategy(apiUrl, strategy, { workflow, scale: 1 }, { apiKey });
  } catch (error) {
    return { status: "failed", error: error instanceof Error ? error.message : String(error) };
  }
}

function measuredPoint(
  base: Omit<ScalePoint, "status" | "runs" | "failed">,
  results: Array<RunReport | { status: "failed"; error: string }>,
): ScalePoint {
  const succeeded = results.filter(
    (result): result is RunReport => "runId" in result && result.status === "succeeded",
  );
  const failures = results.filter(
    (result) => !("runId" in result && result.status === "succeeded"),
  );
  const median = (of: (report: RunReport) => number) => summarize(succeeded.map(of)).median;
  const firstFailure = failures[0];
  const failureNote =
    firstFailure === undefined
      ? undefined
      : "runId" in firstFailure
        ? `${firstFailure.error?.type ?? "failed"}: ${firstFailure.error?.message ?? ""}`
        : firstFailure.error;
  return {
    ...base,
    status: succeeded.length > 0 ? "succeeded" : "failed",
    runs: results.length,
    failed: failures.length,
    ...(succeeded.length === 0
      ? {}
      : {
          overheadMs: median((report) => report.overheadMs),
          wallMs: median((report) => report.wallMs),
          invokeRetries: median((report) =>
            report.tasks.reduce((sum, task) => sum + (task.invokeRetries ?? 0), 0),
          ),
        }),
    ...(failureNote ? { note: failureNote.slice(0, 300) } : {}),
  };
}

/** A LocalStack that stopped answering makes every later point meaningless: stop there. */
async function assertLocalStackAnswers(): Promise<void> {
  try {
    await fetch(`${LOCALSTACK_ENDPOINT}/_localstack/health`, {
      signal: AbortSignal.timeout(10_000),
    });
  } catch (error) {
    throw new Error(`LocalStack stopped answering (${String(error)}): the sweep ends here`);
  }
}

/** A CPU breakdown over `runs` runs, per run, rounded to ms; components under 1 ms dropped. */
function perRun(used: ReturnType<typeof usageBetween>, runs: number): ScalePoint["cpuPerRunMs"] {
  const each = (ms: number) => Math.round(ms / runs);
  return {
    total: each(used.cpuMs),
    localStack: each(used.localStackCpuMs),
    node: Object.fromEntries(
      Object.entries(used.nodeCpuMs)
        .map(([name, ms]) => [name, each(ms)] as const)
        .filter(([, ms]) => ms >= 1),
    ),
  };
}

const fixed = (value: number | undefined) => (value === undefined ? "-" : formatNumber(value));

const target = await openSession({ localStack: parseLocalStackOptions(values) });
try {
  const { environment } = target;
  if (!environment) throw new Error("bench:scale runs on the local stack only");
  const strategies = values.strategies
    ? target.strategies.filter((name) => values.strategies?.split(",").includes(name))
    : target.strategies;
  const points: ScalePoint[] = [];
  for (const profile of profiles) {
    environment.useLatencyProfile(profile);
    console.error(`\n${describeLatencyProfile(profile)}`);
    for (const { shape, n, workflow } of shapes) {
      for (const strategy of strategies) {
        const base = { profile, shape, n, strategy };
        // The baseline runs one task at a time: its planned duration is the sum of them all.
        const oneAtATime = strategy === BASELINE_STRATEGY || shape === "chain";
        const plannedMs = oneAtATime ? n * taskMs : taskMs;
        if (plannedMs > PLANNED_LIMIT_MS) {
          const note = `planned ${fixed(plannedMs)} ms: does not fit the ~27 s run budget`;
          points.push({ ...base, status: "skipped", runs: 0, failed: 0, note });
          console.error(`  ${strategy} ${n} ${shape}: skipped (${note})`);
          continue;
        }
        // Latency only adds to a run: one that ran out of budget without it will not fit with it,
        // and a Step Functions execution left running can wedge LocalStack for the points after.
        const withoutLatency = points.find(
          (point) =>
            point.profile === "local" &&
            point.shape === shape &&
            point.n === n &&
            point.strategy === strategy,
        );
        if (profile !== "local" && withoutLatency?.status === "failed") {
          const note = `not run: it already failed without added latency (${withoutLatency.note ?? ""})`;
          points.push({ ...base, status: "skipped", runs: 0, failed: 0, note: note.slice(0, 300) });
          console.error(`  ${strategy} ${n} ${shape}: skipped (failed with the local profile)`);
          continue;
        }
        // Warm-up: environments for N at once. One that ran out of budget, or got no report at
        // all, stops the point: three more would only fail the same way.
        const warmup = await runOnce(target, strategy, workflow);
        const warmupFailure = !("runId" in warmup)
          ? warmup.error
          : warmup.error?.type === "Timeout"
            ? `did not finish within the run budget: ${warmup.error.message}`
            : undefined;
        if (warmupFailure) {
          const note = `warm-up ${warmupFailure}`.slice(0, 200);
          points.push({ ...base, status: "failed", runs: 1, failed: 1, note });
          console.error(`  ${strategy} ${n} ${shape}: failed (${note})`);
          await untilLocalStackIsIdle();
          await assertLocalStackAnswers();
          continue;
        }
        const results = [];
        const cpuBefore = treeUsage(localStackPid());
        for (let run = 0; run < runs; run += 1) {
          results.push(await runOnce(target, strategy, workflow));
        }
        const point: ScalePoint = {
          ...measuredPoint(base, results),
          cpuPerRunMs: perRun(usageBetween(cpuBefore, treeUsage(localStackPid())), runs),
        };
        points.push(point);
        if (point.failed > 0) await untilLocalStackIsIdle();
        await assertLocalStackAnswers();
        console.error(
          `  ${strategy} ${n} ${shape}: overhead ${fixed(point.overheadMs)} ms, ${point.failed}/${point.runs} failed${point.note ? ` (${point.note.slice(0, 120)})` : ""}; CPU per run ${JSON.stringify(point.cpuPerRunMs)}`,
        );
      }
    }
  }

  const header = [
    "shape".padEnd(12),
    "N".padStart(5),
    "strategy".padEnd(13),
    ...profiles.map((profile) => `ovh ${profile} ms`.padStart(16)),
    ...profiles.map((profile) => `failed ${profile}`.padStart(13)),
  ].join(" ");
  console.log(`\n${header}`);
  for (const { shape, n } of shapes) {
    for (const strategy of strategies) {
      const of = (profile: LatencyProfileName) =>
        points.find(
          (point) =>
            point.profile === profile &&
            point.shape === shape &&
            point.n === n &&
            point.strategy === strategy,
        );
      const cells = profiles.map((profile) => {
        const point = of(profile);
        return (point?.status === "skipped" ? "skipped" : fixed(point?.overheadMs)).padStart(16);
      });
      const failures = profiles.map((profile) => {
        const point = of(profile);
        return (point ? `${point.failed}/${point.runs}` : "-").padStart(13);
      });
      console.log(
        [shape.padEnd(12), String(n).padStart(5), strategy.padEnd(13), ...cells, ...failures].join(
          " ",
        ),
      );
    }
  }

  const sweep: ScaleSweep = {
    generatedAt: new Date().toISOString(),
    taskMs,
    runsPerPoint: runs,
    environment: environment.description,
    profiles: profiles.map(latencyProfileLabel),
    points,
  };
  environment.useLatencyProfile("local");
  const resultsDir = join(projectRoot, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  const file = join(resultsDir, `scale-${sweep.generatedAt.replace(/[:.]/g, "-")}.json`);
  const json = `${JSON.stringify({ ...sweep, machine: { node: process.version, cpus: (await import("node:os")).cpus().length } }, null, 2)}\n`;
  writeFileSync(file, json);
  // A partial sweep (--points) is not the whole picture the report's chart shows.
  if (wantedPoints) {
    console.log(`\nresults written to ${file} (--points: scale-latest.* left as they were)`);
  } else {
    writeFileSync(join(resultsDir, "scale-latest.json"), json);
    writeFileSync(join(resultsDir, "scale-latest.svg"), `${renderScaleChart(sweep)}\n`);
    console.log(`\nresults written to ${file}, scale-latest.json and scale-latest.svg`);
  }
} finally {
  await target.stop();
}
