/**
 * `npm run bench:drift`: how the local stack's own speed moves after it starts, the ground that
 * bench:forecast's calibration stands on. It starts the stack (or uses `--url`), then every
 * `--every` seconds for `--minutes` minutes runs the suite's first cell (the seed, 200 ms tasks)
 * under each strategy, `--runs` times after a warm-up, and keeps each round's median overhead.
 * Prints each round's overhead and its ratio to the first round, side by side per strategy;
 * writes bench/results/drift-<timestamp>.json and drift-latest.json. Not a test.
 *
 *   npm run bench:drift -- [--minutes 20] [--every 60] [--runs 3] [--strategies a,b]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { API_KEY_ENV } from "../adapters/runsApiClient.js";
import { openSession, projectRoot } from "../cli/session.js";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import { STRATEGIES } from "../lib/strategies/names.js";
import { benchFlags } from "./benchOptions.js";
import { cellFailureOf, medianOverheadOf } from "./cellOverhead.js";
import { SUITE } from "./forecastSuite.js";

const flags = benchFlags("drift", {
  minutes: { type: "string", default: "20" },
  every: { type: "string", default: "60" },
  runs: { type: "string", default: "3" },
  strategies: { type: "string" },
  url: { type: "string" },
});
const minutes = flags.number("minutes", 0, 240);
const everyS = flags.wholeNumber("every", 5, 3600);
const runs = flags.wholeNumber("runs", 1, 50);
const strategies = flags.listOf("strategies", STRATEGIES);
const [{ cell, workflow }] = SUITE as [(typeof SUITE)[number]];

const session = await openSession({
  url: flags.values.url,
  apiKey: process.env[API_KEY_ENV],
  ...(strategies ? { strategies } : {}),
});
const rounds: Array<{ atS: number; overheadMs: Record<string, number> }> = [];
const startedAt = performance.now();
try {
  while (rounds.length === 0 || performance.now() - startedAt < minutes * 60_000) {
    const roundAt = performance.now();
    const overheadMs: Record<string, number> = {};
    for (const strategy of session.strategies) {
      try {
        overheadMs[strategy] = await medianOverheadOf(session, strategy, workflow, runs);
      } catch (error) {
        console.error(`  ${strategy}: ${cellFailureOf(error)}`);
      }
    }
    const atS = Math.round((roundAt - startedAt) / 1000);
    rounds.push({ atS, overheadMs });
    const first = rounds[0]?.overheadMs ?? {};
    console.error(
      `  ${String(atS).padStart(5)} s  ${Object.entries(overheadMs)
        .map(
          ([strategy, ms]) =>
            `${strategy} ${formatNumber(Math.round(ms))} ms (${(ms / (first[strategy] ?? ms)).toFixed(2)})`,
        )
        .join("  ")}`,
    );
    const wait = everyS * 1000 - (performance.now() - roundAt);
    if (performance.now() - startedAt + wait >= minutes * 60_000) break;
    if (wait > 0) await sleep(wait);
  }
} finally {
  await session.stop();
}

const dir = join(projectRoot, "bench/results");
mkdirSync(dir, { recursive: true });
const result = {
  generatedAt: new Date().toISOString(),
  cell,
  runsPerRound: runs,
  everyS,
  // Each round's median overhead per strategy, measured on the local stack (or --url).
  rounds,
};
const text = `${JSON.stringify(result, null, 2)}\n`;
const stamp = result.generatedAt.replace(/[:.]/g, "-");
writeFileSync(join(dir, `drift-${stamp}.json`), text);
writeFileSync(join(dir, "drift-latest.json"), text);
console.log(`\n${cell}: median overhead per round, and its ratio to the first round`);
for (const strategy of Object.keys(rounds[0]?.overheadMs ?? {})) {
  const series = rounds.map((round) => round.overheadMs[strategy] ?? Number.NaN);
  const first = series[0] ?? Number.NaN;
  console.log(
    `  ${strategy.padEnd(13)} ${series.map((ms) => `${formatNumber(Math.round(ms))} (${(ms / first).toFixed(2)})`).join("  ")}`,
  );
}
console.log(`written: bench/results/drift-${stamp}.json, drift-latest.json`);
