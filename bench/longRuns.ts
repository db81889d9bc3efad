/**
 * Benchmark: a workflow longer than any synchronous request, under every strategy, side by side in
 * one run. A chain whose critical path is `--minutes` (default 5) of 5 s tasks (within the local
 * queue worker's 8 s timeout) runs asynchronously under each strategy at once; prints each one's
 * wall, overhead and cost (Standard's per transition, durable's per operation against the Lambda
 * orchestrators' billed wait), and writes bench/results/long-runs-<timestamp>.json. Not a test.
 *
 *   npm run bench:long -- [--minutes 5] [--url API_URL [--api-key KEY]]
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { API_KEY_ENV, runStrategyAsync } from "../adapters/runsApiClient.js";
import { LOCAL_STACK_FLAGS, parseLocalStackOptions } from "../cli/localStackOptions.js";
import { openSession, projectRoot } from "../cli/session.js";
import { formatNumber, formatUsd } from "../lib/report/text/formatNumber.js";
import type { RunReport } from "../lib/runReport/types.js";
import { chainWorkflow } from "../lib/workflow/shapes.js";

const TASK_MS = 5000;

const { values } = parseArgs({
  options: {
    minutes: { type: "string", default: "5" },
    url: { type: "string" },
    "api-key": { type: "string" },
    ...LOCAL_STACK_FLAGS,
  },
});
const minutes = Number(values.minutes);
if (!(minutes > 0 && minutes <= 14)) {
  console.error("bench:long: --minutes must be more than 0 and at most 14");
  process.exit(2);
}
const tasks = Math.round((minutes * 60_000) / TASK_MS);
const workflow = chainWorkflow(tasks, TASK_MS);

const target = await openSession({
  url: values.url,
  apiKey: values["api-key"] ?? process.env[API_KEY_ENV],
  localStack: parseLocalStackOptions(values),
});
try {
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  console.error(
    `bench:long: a chain of ${tasks} x ${TASK_MS / 1000} s (critical path ${minutes} min) under ${target.strategies.join(", ")}, asynchronously, all at once`,
  );
  const outcomes = await Promise.all(
    target.strategies.map(async (strategy) => {
      try {
        const report = await runStrategyAsync(
          target.apiUrl,
          strategy,
          { workflow, runId: `long-${stamp}-${strategy}` },
          target.apiKey ? { apiKey: target.apiKey } : {},
        );
        return { strategy, report };
      } catch (error) {
        return { strategy, failure: (error as Error).message.split("\n")[0] };
      }
    }),
  );
  const rows = outcomes.map((outcome) => {
    const report: RunReport | undefined = "report" in outcome ? outcome.report : undefined;
    return {
      strategy: outcome.strategy,
      status: report?.status ?? "no report",
      wallMs: report?.wallMs,
      overheadMs: report?.overheadMs,
      costUsd: report?.cost?.totalUsd,
      stateMachine: report?.stateMachine?.type,
      transitions: report?.stateMachine?.transitions,
      durableOperations: report?.durable?.operations,
      orchestratorBilledMs: report?.orchestrator?.billedMs,
      ...("failure" in outcome ? { failure: outcome.failure } : {}),
    };
  });
  const cheapest = Math.min(...rows.map((row) => row.costUsd ?? Number.POSITIVE_INFINITY));
  console.log(
    "strategy        status      wall (s)  overhead (ms)  orchestrator billed (s)  cost per run  vs cheapest",
  );
  for (const row of rows) {
    console.log(
      `${row.strategy.padEnd(15)} ${row.status.padEnd(11)} ${((row.wallMs ?? 0) / 1000).toFixed(1).padStart(8)}  ${formatNumber(row.overheadMs ?? 0).padStart(13)}  ${((row.orchestratorBilledMs ?? 0) / 1000).toFixed(1).padStart(23)}  ${formatUsd(row.costUsd ?? 0).padStart(12)}  ${row.costUsd ? `${(row.costUsd / cheapest).toFixed(1)}x` : ""}${row.failure ? `  ${row.failure}` : ""}`,
    );
  }
  const dir = join(projectRoot, "bench/results");
  mkdirSync(dir, { recursive: true });
  const file = join(dir, `long-runs-${stamp}.json`);
  writeFileSync(
    file,
    `${JSON.stringify({ generatedAt: new Date().toISOString(), minutes, tasks, taskMs: TASK_MS, measured: target.environment ? "locally" : values.url, rows }, null, 2)}\n`,
  );
  console.error(`bench:long: wrote ${file}`);
} finally {
  await target.stop();
}
