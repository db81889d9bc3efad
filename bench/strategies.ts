/**
 * Benchmark: every strategy, several times, on the seed workflow and on the seed plus three
 * independent writeLog tasks, side by side in one run on the local stack. Prints ratios and
 * writes bench/results/strategies-<timestamp>.json (and latest.json). Not a test: no assertions.
 *
 * A third workflow makes the seed's tasks burn the CPU instead of waiting.
 *
 *   npm run bench -- [--runs 5] [--scale 1] [--url API_URL [--api-key KEY]]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { API_KEY_ENV, runStrategy } from "../adapters/runsApiClient.js";
import { LOCAL_STACK_FLAGS, parseLocalStackOptions } from "../cli/localStackOptions.js";
import { openSession, projectRoot } from "../cli/session.js";
import { compareRuns, type StrategyComparison } from "../lib/report/compareRuns.js";
import type { RunReport } from "../lib/runReport/types.js";
import { SEED_WORKFLOW, seedWithExtraLogs } from "../lib/workflow/defaults.js";

/** The seed as CPU work: the lesson's "processes help computing, async helps waiting". */
const SEED_CPU = { tasks: SEED_WORKFLOW.tasks.map((task) => ({ ...task, kind: "cpu" as const })) };
const WORKFLOWS = { seed: SEED_WORKFLOW, seedPlus3Logs: seedWithExtraLogs(3), seedCpu: SEED_CPU };

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "5" },
    scale: { type: "string", default: "1" },
    url: { type: "string" },
    "api-key": { type: "string" },
    ...LOCAL_STACK_FLAGS,
  },
});
const runs = Number(values.runs);
const scale = Number(values.scale);
if (!(Number.isInteger(runs) && runs > 0 && scale > 0 && scale <= 10)) {
  console.error("bench: --runs must be a positive integer and --scale in (0, 10]");
  process.exit(2);
}

function fixed(value: number | undefined, digits = 0): string {
  return value === undefined ? "-" : value.toFixed(digits);
}

function row(name: string, stats: StrategyComparison): string {
  const wall = stats.wallMs.median;
  const criticalPath = stats.criticalPathMs.median;
  return [
    name.padEnd(15),
    stats.strategy.padEnd(10),
    fixed(wall).padStart(8),
    fixed(stats.wallMs.p95).padStart(8),
    fixed(criticalPath).padStart(8),
    fixed(wall / criticalPath, 3).padStart(9),
    fixed(stats.overheadPerLevelMs.median).padStart(12),
    fixed(stats.speedup, 2).padStart(8),
    String(stats.failed).padStart(7),
  ].join(" ");
}

const target = await openSession({
  url: values.url,
  apiKey: values["api-key"] ?? process.env[API_KEY_ENV],
  localStack: parseLocalStackOptions(values),
});
try {
  const { apiUrl, apiKey, strategies } = target;
  console.error(
    `bench: ${strategies.join(", ")} x ${Object.keys(WORKFLOWS).join(", ")}, ${runs} runs each, scale ${scale}`,
  );
  // One warm-up round pays the cold starts before anything is measured.
  for (const workflow of Object.values(WORKFLOWS)) {
    for (const strategy of strategies)
      await runStrategy(apiUrl, strategy, { workflow, scale: 0.01 }, { apiKey });
  }
  const reports: Record<string, RunReport[]> = Object.fromEntries(
    Object.keys(WORKFLOWS).map((name) => [name, []]),
  );
  // Rounds interleave strategies and workflows, so machine noise spreads over all of them.
  for (let round = 0; round < runs; round += 1) {
    for (const [name, workflow] of Object.entries(WORKFLOWS)) {
      for (const strategy of strategies) {
        reports[name]?.push(await runStrategy(apiUrl, strategy, { workflow, scale }, { apiKey }));
      }
    }
    console.error(`  round ${round + 1}/${runs} done`);
  }

  const comparisons = Object.fromEntries(
    Object.entries(reports).map(([name, list]) => [name, compareRuns(list)]),
  );
  console.log(
    `\n${"workflow".padEnd(15)} ${"strategy".padEnd(10)} ${"wall p50".padStart(8)} ${"wall p95".padStart(8)} ${"crit p50".padStart(8)} ${"wall/crit".padStart(9)} ${"ovh/level".padStart(12)} ${"speedup".padStart(8)} ${"failed".padStart(7)}`,
  );
  for (const [name, comparison] of Object.entries(comparisons)) {
    for (const stats of comparison.strategies) console.log(row(name, stats));
  }
  console.log("\nAdding 3 independent writeLog tasks (median wall, seed -> seed+3):");
  const widening: Record<string, number> = {};
  for (const strategy of strategies) {
    const before = comparisons.seed?.strategies.find((stats) => stats.strategy === strategy);
    const after = comparisons.seedPlus3Logs?.strategies.find(
      (stats) => stats.strategy === strategy,
    );
    if (!before || !after) continue;
    const change = after.wallMs.median / before.wallMs.median - 1;
    widening[strategy] = change;
    console.log(
      `  ${strategy.padEnd(10)} ${fixed(before.wallMs.median)} -> ${fixed(after.wallMs.median)} ms (${change >= 0 ? "+" : ""}${(change * 100).toFixed(1)} %)`,
    );
  }
  console.log("\nThe same seed as CPU work instead of waiting (median wall, io -> cpu):");
  for (const strategy of strategies) {
    const io = comparisons.seed?.strategies.find((stats) => stats.strategy === strategy);
    const cpu = comparisons.seedCpu?.strategies.find((stats) => stats.strategy === strategy);
    if (!io || !cpu) continue;
    console.log(
      `  ${strategy.padEnd(10)} ${fixed(io.wallMs.median)} -> ${fixed(cpu.wallMs.median)} ms (x${(cpu.wallMs.median / io.wallMs.median).toFixed(2)})`,
    );
  }

  const resultsDir = join(projectRoot, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  const result = {
    generatedAt: new Date().toISOString(),
    latencyProfile: target.latencyProfile ?? null,
    machine: {
      node: process.version,
      platform: process.platform,
      cpus: (await import("node:os")).cpus().length,
    },
    settings: { runs, scale, apiUrl },
    comparisons,
    widening,
    reports,
  };
  const file = join(resultsDir, `strategies-${result.generatedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(resultsDir, "latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  console.log(`\nresults written to ${file}`);
} finally {
  await target.stop();
}
