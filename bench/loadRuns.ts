import { ListQueuesCommand, type SQSClient } from "@aws-sdk/client-sqs";
import type { RunReport } from "../lib/runReport/types.js";
import { verifyRunReport } from "../lib/runReport/verifyRunReport.js";
import { percentiles } from "../lib/stats/stats.js";
import type { StrategyName } from "../lib/strategies/names.js";
import type { Workflow } from "../lib/workflow/types.js";
import { queueDepth } from "../localEnvironment/queueDepth.js";

/**
 * Sends one run and returns its report, or throws why there is none (adapters/runsApiClient.ts): a
 * RunNotAccepted when its POST was refused, a RunEndedWithoutReport when its record ended failed
 * with a reason but no report (the record sweeper's), anything else when it was lost.
 */
export type PostRun = (
  strategy: StrategyName,
  body: { workflow: Workflow },
  index: number,
) => Promise<RunReport>;

/** The POST was answered, but not with an accepted run (a 5xx, a 429): nothing to follow. */
export class RunNotAccepted extends Error {}

/** The run's record ended failed, with its reason, and no report (its orchestrator was lost). */
export class RunEndedWithoutReport extends Error {}

/**
 * Run `index` of a load test: the lesson's shape (query -> process, and an independent log)
 * joined by a summary that depends on both, every id its own and queryData's data its own size,
 * so that a completion or an input that strays into another run shows in its report.
 */
export function loadWorkflow(index: number, taskMs: number): Workflow {
  return {
    tasks: [
      {
        id: `q${index}`,
        fn: "queryData",
        deps: [],
        durationMs: taskMs,
        outputBytes: 256 + (index % 32) * 64,
      },
      { id: `p${index}`, fn: "processData", deps: [`q${index}`], durationMs: taskMs },
      { id: `l${index}`, fn: "writeLog", deps: [], durationMs: taskMs },
      { id: `s${index}`, fn: "processData", deps: [`p${index}`, `l${index}`], durationMs: taskMs },
    ],
  };
}

export interface LoadOutcome {
  strategy: StrategyName;
  started: number;
  /** A report that says succeeded, with every task settled and every input its dep's output. */
  succeeded: number;
  /** A report that says failed, naming the task and why: nothing lost, but the run did not finish. */
  failed: number;
  /**
   * Accepted and not ended by the budget, or (synchronous runs) no report: a network error, a 5xx,
   * no answer within the budget; or a report missing tasks.
   */
  lost: number;
  /** Asynchronous runs whose POST was refused (never accepted: nothing to lose). */
  refused: number;
  /** Reports holding a task or data of another run. */
  crossTalk: number;
  /** Request sent -> report received, for every run that got a report (ms). */
  latencyMs: { p50: number; p95: number; p99: number; max: number } | null;
  wallMs: number;
  /** Why runs failed or were lost, with how many runs each: "Timeout: ... (3)". */
  reasons: string[];
  /** The first findings of the report checks, for the log. */
  findings: string[];
}

/** Rejects once `ms` have passed: a run without an answer by then counts as lost, not awaited. */
function deadline(ms: number): { promise: Promise<never>; cancel(): void } {
  let timer: NodeJS.Timeout | undefined;
  const promise = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no answer within ${ms / 1000} s`)), ms);
  });
  return { promise, cancel: () => clearTimeout(timer) };
}

function tally(messages: string[]): string[] {
  const counts = new Map<string, number>();
  for (const message of messages) counts.set(message, (counts.get(message) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1]).map(([message, count]) => `${message} (${count})`);
}

/**
 * Starts `runs` runs of `strategy` at once, each with its own workflow, waits at most `budgetMs`
 * for all of them, and checks every report against the workflow it answers.
 */
export async function runConcurrently({
  strategy,
  runs,
  taskMs,
  budgetMs,
  post,
  lastSeen,
}: {
  strategy: StrategyName;
  runs: number;
  taskMs: number;
  budgetMs: number;
  post: PostRun;
  /** What was last seen of a run that did not end in time (its record's status), for the reason. */
  lastSeen?: (index: number) => string | undefined;
}): Promise<LoadOutcome> {
  const outcome: LoadOutcome = {
    strategy,
    started: runs,
    succeeded: 0,
    failed: 0,
    lost: 0,
    refused: 0,
    crossTalk: 0,
    latencyMs: null,
    wallMs: 0,
    reasons: [],
    findings: [],
  };
  const latencies: number[] = [];
  const reasons: string[] = [];
  const timeUp = deadline(budgetMs);
  const started = performance.now();
  await Promise.all(
    Array.from({ length: runs }, async (_, index) => {
      const workflow = loadWorkflow(index, taskMs);
      const sentAt = performance.now();
      let report: RunReport;
      try {
        report = await Promise.race([post(strategy, { workflow }, index), timeUp.promise]);
      } catch (error) {
        if (error instanceof RunNotAccepted) outcome.refused += 1;
        else if (error instanceof RunEndedWithoutReport) outcome.failed += 1;
        else outcome.lost += 1;
        const seen = lastSeen?.(index);
        reasons.push(
          `${(error as Error).message.split("\n")[0] ?? String(error)}${seen ? ` (${seen})` : ""}`,
        );
        return;
      }
      latencies.push(performance.now() - sentAt);
      const verdict = verifyRunReport(workflow, report);
      outcome.findings.push(...verdict.findings.map((finding) => `run ${index}: ${finding}`));
      if (verdict.crossTalk) outcome.crossTalk += 1;
      if (!verdict.complete) outcome.lost += 1;
      else if (report.status === "succeeded") outcome.succeeded += 1;
      else {
        outcome.failed += 1;
        reasons.push(`${report.error?.type}: ${report.error?.message}`);
      }
    }),
  );
  timeUp.cancel();
  outcome.wallMs = performance.now() - started;
  if (latencies.length > 0) {
    const [p50, p95, p99, max] = percentiles(latencies, [50, 95, 99, 100]) as number[];
    outcome.latencyMs = {
      p50: p50 as number,
      p95: p95 as number,
      p99: p99 as number,
      max: max as number,
    };
  }
  outcome.reasons = tally(reasons);
  outcome.findings = outcome.findings.slice(0, 10);
  return outcome;
}

export interface Leftovers {
  workQueueMessages: number;
  deadLetterMessages: number;
  replyQueues: string[];
}

export interface QueuesToCheck {
  sqs: SQSClient;
  workQueueUrl: string;
  deadLetterQueueUrl: string;
  replyQueuePrefix: string;
}

/** What the runs left on the queues: nothing, when every run cleaned up after itself. */
export async function findLeftovers({
  sqs,
  workQueueUrl,
  deadLetterQueueUrl,
  replyQueuePrefix,
}: QueuesToCheck): Promise<Leftovers> {
  const { QueueUrls = [] } = await sqs.send(
    new ListQueuesCommand({ QueueNamePrefix: replyQueuePrefix, MaxResults: 1000 }),
  );
  return {
    workQueueMessages: await queueDepth(sqs, workQueueUrl),
    deadLetterMessages: await queueDepth(sqs, deadLetterQueueUrl),
    replyQueues: QueueUrls,
  };
}

/**
 * The leftovers once the queues have settled: deletes of work messages trail the completions a
 * little (the event source mapping deletes after the worker returns), so this waits up to `waitMs`
 * for the work queue to drain and the reply queues to go before it reports what is still there.
 * `deadLetterBefore` is the DLQ's depth before the runs: only new dead letters are theirs.
 */
export async function settledLeftovers(
  queues: QueuesToCheck,
  deadLetterBefore: number,
  waitMs: number,
): Promise<Leftovers> {
  const until = Date.now() + waitMs;
  while (true) {
    const leftovers = await findLeftovers(queues);
    const found = {
      ...leftovers,
      deadLetterMessages: leftovers.deadLetterMessages - deadLetterBefore,
    };
    const clean = found.workQueueMessages === 0 && found.replyQueues.length === 0;
    if (clean || Date.now() >= until) return found;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
}
