/**
 * `npm run bench:load`: N concurrent runs (default 100) of each strategy against the local stack,
 * each with its own task ids and data, then every report checked (complete; each task's input is
 * its deps' output; nothing of another run) and the queues inspected (work queue drained, no new
 * dead letters, no reply queue left). Prints started / succeeded / failed / lost / cross-talk and
 * p50/p95/p99 latency per strategy, writes bench/results/load-<timestamp>.json and
 * load-latest.json, and exits 1 when a run was lost, crossed over or left something behind.
 *
 * Loopback only (it fires N runs at once at whatever it is pointed at), at most 200 runs, and each
 * strategy's runs get a time budget after which unanswered runs count as lost.
 *
 * Every burst counts, the first one from cold included (--warmup N adds unmeasured bursts before
 * it). Runs go asynchronously by default (--mode async: POST answers 202, the run is followed on
 * its record), so "lost" means accepted without an ended record by the budget; a refused POST is
 * counted apart, and a record ended failed by the record sweeper counts as failed, with its reason.
 *
 *   npm run bench:load -- [--runs 100] [--mode async|sync] [--warmup 0] [--task-ms 100] [--budget-s 180] [--strategies a,b]
 *                         [--url http://127.0.0.1:4566/... [--api-key KEY]] [--profile local|aws] ...
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { SQSClient } from "@aws-sdk/client-sqs";
import { API_KEY_ENV, pollRun, runStrategy, startRun } from "../adapters/runsApiClient.js";
import { LOCAL_STACK_FLAGS, parseLocalStackOptions } from "../cli/localStackOptions.js";
import { openSession, projectRoot } from "../cli/session.js";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import type { RunReport } from "../lib/runReport/types.js";
import { STRATEGIES, type StrategyName } from "../lib/strategies/names.js";
import type { Workflow } from "../lib/workflow/types.js";
import { findQueuesFromConfig } from "../localEnvironment/findQueuesFromConfig.js";
import { localClientOptions } from "../localEnvironment/localClients.js";
import { queueDepth } from "../localEnvironment/queueDepth.js";
import { resolveServerlessConfig } from "../localEnvironment/resolveServerlessConfig.js";
import {
  type LocalEnvironment,
  replyQueuePrefixOf,
} from "../localEnvironment/startLocalEnvironment.js";
import { benchFlags } from "./benchOptions.js";
import {
  type Leftovers,
  type LoadOutcome,
  type QueuesToCheck,
  RunEndedWithoutReport,
  RunNotAccepted,
  runConcurrently,
  settledLeftovers,
} from "./loadRuns.js";
import { untilLocalStackIsIdle } from "./localStackIdle.js";

const MAX_RUNS = 200;
const LOOPBACK_HOSTS = new Set(["127.0.0.1", "localhost", "[::1]"]);

const flags = benchFlags("load", {
  runs: { type: "string", default: "100" },
  "task-ms": { type: "string", default: "100" },
  "budget-s": { type: "string", default: "180" },
  warmup: { type: "string", default: "0" },
  mode: { type: "string", default: "async" },
  strategies: { type: "string" },
  url: { type: "string" },
  "api-key": { type: "string" },
  ...LOCAL_STACK_FLAGS,
});
const { values } = flags;
const fail: (message: string) => never = flags.fail;
const runs = flags.wholeNumber("runs", 1, MAX_RUNS);
const taskMs = flags.wholeNumber("task-ms", 0, 2000);
const budgetS = flags.number("budget-s", 30, 600);
const warmups = flags.wholeNumber("warmup", 0, 3);
const mode = flags.oneOf("mode", ["async", "sync"] as const);
if (values.url && !LOOPBACK_HOSTS.has(new URL(values.url).hostname)) {
  fail(`--url must be on this machine (loopback): it fires ${runs} runs at once at what it names`);
}
const requested = flags.listOf("strategies", STRATEGIES);

// A run holds up to 3 Lambda environments at once (its orchestrator and two tasks of a level).
// The local stack this starts allows that many. Idle environments stay warm for 3 minutes: long
// enough that the warm-up burst's environments serve the measured burst (a warm-up and its
// measured burst are at most a budget and an idle wait apart), short enough that one strategy's
// environments do not hold their memory through all the next strategies' bursts.
// A LocalStack already running keeps its own settings (its description says which).
process.env.LAB_LAMBDA_CONCURRENCY ??= String(Math.min(1000, runs * 3 + 16));
process.env.LAB_LAMBDA_KEEPALIVE_MS ??= String(Math.max(180, 2 * budgetS) * 1000);
const target = await openSession({
  url: values.url,
  apiKey: values["api-key"] ?? process.env[API_KEY_ENV],
  localStack: parseLocalStackOptions(values),
});
try {
  const strategies = target.strategies.filter((name) => !requested || requested.includes(name));
  // The local stack started here already knows its queues; a served one (--url) is looked up.
  const deployed: Pick<LocalEnvironment, "sqs" | "queues" | "replyQueuePrefix"> =
    target.environment ??
    (await (async () => {
      const sqs = new SQSClient(localClientOptions());
      const config = await resolveServerlessConfig(projectRoot);
      return {
        sqs,
        queues: await findQueuesFromConfig(config, sqs),
        replyQueuePrefix: replyQueuePrefixOf(config),
      };
    })());
  const queues: QueuesToCheck = {
    sqs: deployed.sqs,
    workQueueUrl: deployed.queues.get("WorkQueue")?.url ?? fail("no WorkQueue deployed"),
    deadLetterQueueUrl:
      deployed.queues.get("DeadLetterQueue")?.url ?? fail("no DeadLetterQueue deployed"),
    replyQueuePrefix: deployed.replyQueuePrefix,
  };
  console.error(
    `bench:load: ${runs} concurrent ${mode} runs of each of ${strategies.join(", ")}, after ${warmups} unmeasured burst(s) of as many (the first measured burst from cold when 0); 4 tasks of ${taskMs} ms per run; budget ${budgetS} s per burst`,
  );
  if (target.environment) console.error(`  on ${target.environment.description}`);

  /** Each followed run's last record, as "last record: running, started" (why a lost run is). */
  const lastRecords = new Map<number, string>();
  /** An asynchronous run: accepted (else RunNotAccepted), then followed on its record. */
  const followAsyncRun = async (
    name: StrategyName,
    body: { workflow: Workflow; runId: string },
    index: number,
  ): Promise<RunReport> => {
    const options = { apiKey: target.apiKey };
    try {
      await startRun(target.apiUrl, name, body, options);
    } catch (error) {
      throw new RunNotAccepted((error as Error).message, { cause: error });
    }
    const record = await pollRun(target.apiUrl, body.runId, {
      ...options,
      onProgress: (seen) =>
        lastRecords.set(
          index,
          `last record: ${seen.status}${seen.startedAt === undefined ? "" : ", started"}${seen.durableExecutionArn ? ", its durable execution named" : ""}`,
        ),
    });
    if (record.report) return record.report;
    throw new RunEndedWithoutReport(
      `${record.error?.type ?? "failed"}: ${record.error?.message ?? "no reason recorded"}`,
    );
  };
  let burstStamp = Date.now();
  const results: Array<LoadOutcome & { leftovers: Leftovers; warmups: LoadOutcome[] }> = [];
  for (const strategy of strategies) {
    const deadLetterBefore = await queueDepth(queues.sqs, queues.deadLetterQueueUrl);
    const burst = () => {
      burstStamp = Date.now();
      lastRecords.clear();
      return runConcurrently({
        strategy,
        runs,
        taskMs,
        budgetMs: budgetS * 1000,
        post: (name, body, index) =>
          mode === "sync"
            ? runStrategy(target.apiUrl, name, body, { apiKey: target.apiKey })
            : followAsyncRun(
                name,
                { ...body, runId: `load-${burstStamp}-${name}-${index}` },
                index,
              ),
        lastSeen: (index) => lastRecords.get(index),
      });
    };
    // Unmeasured bursts first: they pay the cold starts of ~3 environments per run, which on a
    // small machine take the CPU for longer than a run's budget (AWS starts them on other hosts).
    const warmupOutcomes: LoadOutcome[] = [];
    for (let round = 0; round < warmups; round += 1) {
      const warmup = await burst();
      warmupOutcomes.push(warmup);
      console.error(
        `  ${strategy} warm-up: ${warmup.succeeded}/${runs} succeeded, ${warmup.lost} lost, ${warmup.crossTalk} cross-talk in ${formatNumber(warmup.wallMs)} ms`,
      );
      if (warmup.succeeded < runs) await untilLocalStackIsIdle();
    }
    const outcome = await burst();
    const leftovers = await settledLeftovers(queues, deadLetterBefore, 30_000);
    if (outcome.succeeded < runs) await untilLocalStackIsIdle();
    results.push({ ...outcome, leftovers, warmups: warmupOutcomes });
    console.error(
      `  ${strategy}: ${outcome.succeeded}/${runs} succeeded in ${formatNumber(outcome.wallMs)} ms` +
        (outcome.reasons.length > 0 ? `; ${outcome.reasons.slice(0, 3).join("; ")}` : ""),
    );
    for (const finding of outcome.findings) console.error(`    ${finding}`);
  }

  const columns = [
    "strategy".padEnd(14),
    ...[
      "started",
      "ok",
      "failed",
      "lost",
      "refused",
      "x-talk",
      "p50 ms",
      "p95 ms",
      "p99 ms",
      "wall ms",
    ].map((heading) => heading.padStart(8)),
    "  left on queues",
  ];
  console.log(`\n${columns.join("")}`);
  for (const result of results) {
    const { leftovers } = result;
    const left = [
      leftovers.workQueueMessages > 0 ? `${leftovers.workQueueMessages} work msgs` : "",
      leftovers.deadLetterMessages > 0 ? `${leftovers.deadLetterMessages} new dead letters` : "",
      leftovers.replyQueues.length > 0 ? `${leftovers.replyQueues.length} reply queues` : "",
    ].filter(Boolean);
    console.log(
      [
        result.strategy.padEnd(14),
        ...[
          result.started,
          result.succeeded,
          result.failed,
          result.lost,
          result.refused,
          result.crossTalk,
          result.latencyMs?.p50,
          result.latencyMs?.p95,
          result.latencyMs?.p99,
          result.wallMs,
        ].map((value) => (value === undefined ? "-" : formatNumber(value)).padStart(8)),
        `  ${left.join(", ") || "nothing"}`,
      ].join(""),
    );
  }

  const resultsDir = join(projectRoot, "bench/results");
  mkdirSync(resultsDir, { recursive: true });
  const generatedAt = new Date().toISOString();
  const document = {
    generatedAt,
    measured: target.environment ? "locally, on the local stack" : `locally, at ${target.apiUrl}`,
    latencyProfile: target.latencyProfile ?? null,
    machine: {
      node: process.version,
      platform: process.platform,
      cpus: (await import("node:os")).cpus().length,
    },
    settings: { runs, warmups, mode, taskMs, budgetS, strategies },
    results,
  };
  const file = join(resultsDir, `load-${generatedAt.replace(/[:.]/g, "-")}.json`);
  writeFileSync(file, `${JSON.stringify(document, null, 2)}\n`);
  writeFileSync(join(resultsDir, "load-latest.json"), `${JSON.stringify(document, null, 2)}\n`);
  console.log(`\nresults written to ${file}`);
  const clean = results.every(
    ({ lost, refused, crossTalk, leftovers, warmups: warmupOutcomes }) =>
      lost === 0 &&
      refused === 0 &&
      crossTalk === 0 &&
      warmupOutcomes.every((warmup) => warmup.lost === 0 && warmup.crossTalk === 0) &&
      leftovers.workQueueMessages === 0 &&
      leftovers.deadLetterMessages <= 0 &&
      leftovers.replyQueues.length === 0,
  );
  if (!clean) process.exitCode = 1;
} finally {
  await target.stop();
}
