/**
 * Benchmark: the cost of moving data between tasks (the chapter's pickling cost). queryData makes
 * a record set of 1 KB, 64 KB, 256 KB, 1 MB and 4 MB; processData receives it and digests it.
 * Every strategy, side by side in one run on the local stack; prints overhead per size and per MB
 * moved, checks that the data arrived whole, and writes bench/results/payload-<timestamp>.json
 * (and payload-latest.json / payload-latest.html). Not a test: no assertions.
 *
 *   npm run bench:payload -- [--runs 3] [--url API_URL [--api-key KEY]]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { API_KEY_ENV, runStrategy } from "../adapters/runsApiClient.js";
import { LOCAL_STACK_FLAGS, parseLocalStackOptions } from "../cli/localStackOptions.js";
import { openSession, projectRoot } from "../cli/session.js";
import { buildReportDocument } from "../lib/report/buildReportDocument.js";
import type { PayloadPoint, PayloadSweep } from "../lib/report/document.js";
import { renderHtml } from "../lib/report/html/renderHtml.js";
import type { RunReport } from "../lib/runReport/types.js";
import { summarize } from "../lib/stats/stats.js";
import type { StrategyName } from "../lib/strategies/names.js";
import type { Workflow } from "../lib/workflow/types.js";

/** Decimal sizes, as people say them: 1 MB of data plus its envelope still fits SQS's 1 MiB. */
const SIZES = [1_000, 64_000, 256_000, 1_000_000, 4_000_000];
const TASK_MS = 100;

const { values } = parseArgs({
  options: {
    runs: { type: "string", default: "3" },
    url: { type: "string" },
    "api-key": { type: "string" },
    ...LOCAL_STACK_FLAGS,
  },
});
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs > 0)) {
  console.error("bench:payload: --runs must be a positive integer");
  process.exit(2);
}

const workflowOf = (bytes: number): Workflow => ({
  tasks: [
    { id: "queryData", fn: "queryData", deps: [], durationMs: TASK_MS, outputBytes: bytes },
    { id: "processData", fn: "processData", deps: ["queryData"], durationMs: TASK_MS },
  ],
});

/** The data arrived whole: processData's digest of its input is queryData's output digest. */
function dataArrivedWhole(report: RunReport): boolean {
  const query = report.tasks.find((task) => task.id === "queryData");
  const process = report.tasks.find((task) => task.id === "processData");
  const digests = (process?.output as { digests?: Record<string, string> } | undefined)?.digests;
  return query?.outputDigest !== undefined && digests?.queryData === query.outputDigest;
}

const sizeLabel = (bytes: number) =>
  bytes >= 1_000_000 ? `${bytes / 1_000_000} MB` : `${bytes / 1_000} KB`;

const target = await openSession({
  url: values.url,
  apiKey: values["api-key"] ?? process.env[API_KEY_ENV],
  localStack: parseLocalStackOptions(values),
});
try {
  const { apiUrl, apiKey, strategies, environment } = target;
  console.error(
    `bench:payload: ${strategies.join(", ")} x ${SIZES.map(sizeLabel).join(", ")}, ${runs} runs each`,
  );
  for (const strategy of strategies) {
    await runStrategy(apiUrl, strategy, { workflow: workflowOf(1_000), scale: 0.1 }, { apiKey });
  }
  const reports = new Map<string, RunReport[]>();
  const key = (strategy: StrategyName, bytes: number) => `${strategy}@${bytes}`;
  // Rounds interleave strategies and sizes, so machine noise spreads over all of them.
  for (let round = 0; round < runs; round += 1) {
    for (const bytes of SIZES) {
      for (const strategy of strategies) {
        const report = await runStrategy(
          apiUrl,
          strategy,
          { workflow: workflowOf(bytes) },
          { apiKey },
        );
        reports.set(key(strategy, bytes), [...(reports.get(key(strategy, bytes)) ?? []), report]);
      }
    }
    console.error(`  round ${round + 1}/${runs} done`);
  }

  const points: PayloadPoint[] = [];
  let corrupted = 0;
  for (const strategy of strategies) {
    for (const bytes of SIZES) {
      const list = reports.get(key(strategy, bytes)) ?? [];
      const succeeded = list.filter((report) => report.status === "succeeded");
      corrupted += succeeded.filter((report) => !dataArrivedWhole(report)).length;
      const measured = succeeded.length > 0 ? succeeded : list;
      const error = list.find((report) => report.error)?.error;
      points.push({
        strategy,
        bytes,
        status: succeeded.length === list.length ? "succeeded" : "failed",
        wallMs: summarize(measured.map((report) => report.wallMs)).median,
        overheadMs: summarize(measured.map((report) => report.overheadMs)).median,
        ...(error ? { error: `${error.type}: ${error.message}` } : {}),
      });
    }
  }
  const overheadPerMbMs: PayloadSweep["overheadPerMbMs"] = {};
  for (const strategy of strategies) {
    const ran = points.filter(
      (point) => point.strategy === strategy && point.status === "succeeded",
    );
    const [smallest, largest] = [ran[0], ran.at(-1)];
    if (smallest && largest && largest.bytes > smallest.bytes) {
      overheadPerMbMs[strategy] =
        (largest.overheadMs - smallest.overheadMs) / ((largest.bytes - smallest.bytes) / 1_000_000);
    }
  }

  console.log(
    `\noverhead ms (median of ${runs}; task bodies ${TASK_MS} ms each; ✗ = refused by a limit)`,
  );
  console.log(
    `${"strategy".padEnd(11)}${SIZES.map((bytes) => sizeLabel(bytes).padStart(10)).join("")}${"ms per MB".padStart(12)}`,
  );
  for (const strategy of strategies) {
    const cells = SIZES.map((bytes) => {
      const point = points.find((p) => p.strategy === strategy && p.bytes === bytes);
      return (point?.status === "succeeded" ? point.overheadMs.toFixed(0) : "✗").padStart(10);
    });
    const perMb = overheadPerMbMs[strategy];
    console.log(
      `${strategy.padEnd(11)}${cells.join("")}${(perMb === undefined ? "-" : perMb.toFixed(1)).padStart(12)}`,
    );
  }
  const inline = overheadPerMbMs.inline;
  console.log(
    "\noverhead per MB moved, relative to inline (one process, no copy over the network):",
  );
  for (const strategy of strategies) {
    const perMb = overheadPerMbMs[strategy];
    if (perMb === undefined || inline === undefined) continue;
    console.log(
      `  ${strategy.padEnd(10)} ${perMb.toFixed(1)} ms/MB (x${(perMb / Math.max(inline, 0.1)).toFixed(1)})`,
    );
  }
  for (const point of points.filter((p) => p.status === "failed")) {
    console.log(`  ${point.strategy} at ${sizeLabel(point.bytes)}: ${point.error ?? "failed"}`);
  }
  console.log(
    `data integrity: ${corrupted === 0 ? "every succeeded run's processData digest matched queryData's output" : `${corrupted} run(s) with mismatched data`}`,
  );

  const payloadSweep: PayloadSweep = { sizes: SIZES, points, overheadPerMbMs };
  const generatedAt = new Date().toISOString();
  const document = buildReportDocument({
    generatedAt,
    environment: {
      apiUrl,
      description: environment ? environment.description : "an API given with --url",
      ...(target.latencyProfile ? { latencyProfile: target.latencyProfile } : {}),
    },
    settings: { scale: 1, runs, warmup: 1, extraLogs: 0, strategies, tasks: 2 },
    runs: strategies.flatMap((strategy) => reports.get(key(strategy, 64_000)) ?? []),
    payloadSweep,
  });
  const resultsDir = join(projectRoot, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  const result = {
    generatedAt,
    machine: {
      node: process.version,
      platform: process.platform,
      cpus: (await import("node:os")).cpus().length,
    },
    settings: { runs, sizes: SIZES, taskMs: TASK_MS, apiUrl },
    payloadSweep,
    corrupted,
    reports: Object.fromEntries(reports),
  };
  const file = join(resultsDir, `payload-${generatedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(resultsDir, "payload-latest.json"), `${JSON.stringify(result, null, 2)}\n`);
  writeFileSync(join(resultsDir, "payload-latest.html"), renderHtml(document));
  console.log(`\nresults written to ${file} (and payload-latest.html)`);
} finally {
  await target.stop();
}
