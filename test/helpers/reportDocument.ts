import { compareRuns } from "../../lib/report/compareRuns.js";
import type { PayloadPoint, PayloadSweep, ReportDocument } from "../../lib/report/document.js";
import type { ScalePoint, ScaleSweep } from "../../lib/report/scaleSweep.js";
import { describeVerdict } from "../../lib/report/text/describeVerdict.js";
import type { RunCost, RunReport, TaskReport } from "../../lib/runReport/types.js";
import type { StrategyName } from "../../lib/strategies/names.js";
import { STRATEGIES } from "../../lib/strategies/names.js";
import type { LambdaBilling } from "../../lib/tasks/types.js";
import { T0 } from "./factories.js";

/** The seed workflow's tasks, in topological order, with their planned durations (scale 1). */
const SEED_TASKS = [
  { id: "queryData", fn: "queryData", deps: [], durationMs: 2000, level: 0 },
  { id: "processData", fn: "processData", deps: ["queryData"], durationMs: 1500, level: 1 },
  { id: "writeLog", fn: "writeLog", deps: [], durationMs: 1000, level: 0 },
] as const;

type SeedTaskId = (typeof SEED_TASKS)[number]["id"];

/** arm64 list prices (us-east-1) the cost figures are modelled from. */
const PRICE = {
  gbSecondUsd: 0.0000133334,
  lambdaRequestUsd: 0.2 / 1_000_000,
  sqsRequestUsd: 0.4 / 1_000_000,
  apiRequestUsd: 3.5 / 1_000_000,
};

const COLD_INIT_MS = 420;

/** How a strategy hands a task on: latencies around the task's own span, in ms. */
interface Transport {
  /** Invoke (or send) -> the task's body starts. */
  startLatencyMs: number;
  /** The task's body ends -> the orchestrator has the result. */
  returnLatencyMs: number;
  /** Queue only: how long the message waited before a worker received it. */
  queueWaitMs?: number;
  /** Whether a task waits for the previous one even when it does not depend on it. */
  oneAtATime: boolean;
  /** Inline tasks run inside the orchestrator: no Lambda of their own, no billing. */
  ownLambda: boolean;
}

const TRANSPORTS: Record<StrategyName, Transport> = {
  sequential: { startLatencyMs: 38, returnLatencyMs: 22, oneAtATime: true, ownLambda: true },
  fanout: { startLatencyMs: 41, returnLatencyMs: 24, oneAtATime: false, ownLambda: true },
  queue: {
    startLatencyMs: 14,
    returnLatencyMs: 160,
    queueWaitMs: 180,
    oneAtATime: false,
    ownLambda: true,
  },
  inline: { startLatencyMs: 1, returnLatencyMs: 1, oneAtATime: false, ownLambda: false },
  stepfunctions: { startLatencyMs: 77, returnLatencyMs: 30, oneAtATime: false, ownLambda: true },
  durable: { startLatencyMs: 60, returnLatencyMs: 40, oneAtATime: false, ownLambda: true },
};

export interface SeedRunOptions {
  runId?: string;
  startedAt?: number;
  /** A few ms added to every span so that repeated runs differ like real ones. */
  jitterMs?: number;
  /** Tasks that paid a cold start in this run. */
  coldTasks?: SeedTaskId[];
  warmup?: boolean;
}

const billingFor = (billedMs: number, initMs: number): LambdaBilling => ({
  memoryMb: 1024,
  architecture: "arm64",
  billedMs: Math.ceil(billedMs),
  initMs,
});

/** A modelled cost: every Lambda's GB-seconds and requests, the API call, SQS requests. */
function costOf(strategy: StrategyName, wallMs: number, tasks: TaskReport[]): RunCost {
  const taskBilling = tasks.flatMap((task) => (task.billing ? [task.billing] : []));
  const billedMs = wallMs + taskBilling.reduce((sum, b) => sum + b.billedMs + b.initMs, 0);
  const lambdaDurationUsd = (billedMs / 1000) * PRICE.gbSecondUsd;
  const lambdaRequestsUsd = (1 + taskBilling.length) * PRICE.lambdaRequestUsd;
  // send + receive + delete per task, plus the orchestrator polling for results.
  const sqsUsd = strategy === "queue" ? (tasks.length * 3 + 6) * PRICE.sqsRequestUsd : 0;
  const apiGatewayUsd = PRICE.apiRequestUsd;
  return {
    totalUsd: lambdaDurationUsd + lambdaRequestsUsd + sqsUsd + apiGatewayUsd,
    lambdaDurationUsd,
    lambdaRequestsUsd,
    sqsUsd,
    apiGatewayUsd,
    stepFunctionsUsd: 0,
    durableUsd: 0,
  };
}

/**
 * A succeeded run of the seed workflow (queryData -> processData, writeLog independent) as
 * `strategy` would produce it: realistic invoke latencies, queue waits for the queue strategy,
 * cold starts where asked, billing and a modelled cost.
 */
export function aSeedRun(strategy: StrategyName, options: SeedRunOptions = {}): RunReport {
  const startedAt = options.startedAt ?? T0;
  const jitter = options.jitterMs ?? 0;
  const transport = TRANSPORTS[strategy];
  const cold = new Set<string>(options.coldTasks ?? []);
  const endOf = new Map<string, number>();
  let previousReturn = startedAt + 12;
  const tasks = SEED_TASKS.map((seed): TaskReport => {
    const ready = Math.max(startedAt + 12, ...seed.deps.map((dep) => endOf.get(dep) ?? 0));
    const invokedAt = (transport.oneAtATime ? Math.max(ready, previousReturn) : ready) + 3;
    const coldStart = cold.has(seed.id);
    const sentAt = invokedAt + 3;
    const receivedAt = sentAt + (transport.queueWaitMs ?? 0) + jitter;
    const taskStart =
      (transport.queueWaitMs === undefined ? invokedAt : receivedAt) +
      transport.startLatencyMs +
      (coldStart ? COLD_INIT_MS : 0);
    const taskEnd = taskStart + seed.durationMs + (jitter % 7);
    const returnedAt = taskEnd + transport.returnLatencyMs + (jitter % 5);
    endOf.set(seed.id, returnedAt);
    previousReturn = returnedAt;
    return {
      id: seed.id,
      fn: seed.fn,
      deps: [...seed.deps],
      kind: "io",
      durationMs: seed.durationMs,
      level: seed.level,
      status: "succeeded",
      invokedAt,
      startedAt: taskStart,
      endedAt: taskEnd,
      returnedAt,
      coldStart,
      ...(transport.ownLambda
        ? { billing: billingFor(taskEnd - taskStart + 2, coldStart ? COLD_INIT_MS : 0) }
        : {}),
      ...(transport.queueWaitMs === undefined
        ? {}
        : { transport: { sentAt, receivedAt, completedAt: taskEnd + 6 } }),
      bytesIn: seed.deps.length > 0 ? 1024 : 2,
      bytesOut: 1024,
    };
  });
  const endedAt = Math.max(...tasks.map((task) => task.returnedAt ?? startedAt)) + 15;
  const own = (id: string): number => {
    const task = tasks.find((candidate) => candidate.id === id);
    return (task?.endedAt ?? 0) - (task?.startedAt ?? 0);
  };
  const chain = own("queryData") + own("processData");
  const [criticalPathMs, criticalPath] =
    chain >= own("writeLog")
      ? [chain, ["queryData", "processData"]]
      : [own("writeLog"), ["writeLog"]];
  const wallMs = endedAt - startedAt;
  return {
    runId: options.runId ?? "3f2a9c1e-7b4d-4e0a-9c1f-5d6e7f8a9b0c",
    strategy,
    status: "succeeded",
    scale: 1,
    startedAt,
    endedAt,
    wallMs,
    criticalPathMs,
    criticalPath,
    overheadMs: wallMs - criticalPathMs,
    levels: criticalPath.length,
    coldStarts: cold.size + (options.warmup ? 1 : 0),
    tasks,
    orchestrator: {
      ...billingFor(wallMs, options.warmup ? COLD_INIT_MS : 0),
      coldStart: options.warmup === true,
    },
    cost: costOf(strategy, wallMs, tasks),
    ...(options.warmup ? { warmup: true } : {}),
  };
}

const STRATEGY_ORDER: StrategyName[] = ["sequential", "fanout", "queue", "inline"];
const MEASURED_JITTER_MS = [0, 37, 81];

const runIdOf = (strategy: StrategyName, index: number): string =>
  `${(0x3f2a9c10 + STRATEGIES.indexOf(strategy) * 16 + index).toString(16)}-7b4d-4e0a-9c1f-5d6e7f8a9b0c`;

/**
 * Per strategy one warm-up run (everything cold) and three measured runs (`jitters`: one
 * measured run each). In the queue runs the second concurrent message always lands on a fresh
 * worker: writeLog pays a cold start.
 */
export function seedRuns(
  strategies: readonly StrategyName[] = STRATEGY_ORDER,
  jitters: readonly number[] = MEASURED_JITTER_MS,
): RunReport[] {
  return strategies.flatMap((strategy, strategyIndex) => {
    const at = (index: number): number => T0 + strategyIndex * 60_000 + index * 10_000;
    const warmup = aSeedRun(strategy, {
      runId: runIdOf(strategy, 0),
      startedAt: at(0),
      coldTasks: ["queryData", "processData", "writeLog"],
      warmup: true,
    });
    const measured = jitters.map((jitterMs, index) =>
      aSeedRun(strategy, {
        runId: runIdOf(strategy, index + 1),
        startedAt: at(index + 1),
        jitterMs,
        coldTasks: strategy === "queue" ? ["writeLog"] : [],
      }),
    );
    return [warmup, ...measured];
  });
}

const MB = 1_000_000;
const SWEEP_SIZES = [1_000, 64_000, 256_000, MB, 4 * MB];
/** Extra overhead per MB moved between queryData and processData, by strategy. */
const MS_PER_MB: Record<StrategyName, number> = {
  sequential: 95,
  fanout: 90,
  queue: 240,
  inline: 4,
  stepfunctions: 120,
  durable: 110,
};
const BASE_OVERHEAD_MS: Record<StrategyName, number> = {
  sequential: 180,
  fanout: 130,
  queue: 720,
  inline: 8,
  stepfunctions: 260,
  durable: 240,
};

/**
 * A payload sweep over 1 KB .. 4 MB for the four strategies; the queue fails at 4 MB (SQS's
 * message limit).
 */
export function aPayloadSweep(overrides: Partial<PayloadSweep> = {}): PayloadSweep {
  const points = STRATEGY_ORDER.flatMap((strategy) =>
    SWEEP_SIZES.map((bytes): PayloadPoint => {
      const overheadMs = BASE_OVERHEAD_MS[strategy] + (bytes / MB) * MS_PER_MB[strategy];
      const wallMs = 3500 + overheadMs;
      if (strategy === "queue" && bytes > MB) {
        return {
          strategy,
          bytes,
          status: "failed",
          wallMs,
          overheadMs,
          error:
            "InvalidParameterValue: One or more parameters are invalid. Reason: Message must be shorter than 1048576 bytes.",
        };
      }
      return { strategy, bytes, status: "succeeded", wallMs, overheadMs };
    }),
  );
  return {
    sizes: SWEEP_SIZES,
    points,
    overheadPerMbMs: { ...MS_PER_MB },
    ...overrides,
  };
}

/**
 * A scale sweep of every strategy: N independent (1 .. 1,000) and chains (1 .. 100), with the
 * local and aws profiles. sequential is skipped at 1,000 (does not fit the budget) and
 * stepfunctions fails there.
 */
export function aScaleSweep(overrides: Partial<ScaleSweep> = {}): ScaleSweep {
  const perTaskMs: Record<StrategyName, number> = {
    sequential: 12,
    fanout: 3,
    queue: 8,
    inline: 0.2,
    stepfunctions: 20,
    durable: 6,
  };
  const shapes = [
    ...[1, 10, 100, 1000].map((n) => ({ shape: "independent" as const, n })),
    ...[1, 10, 100].map((n) => ({ shape: "chain" as const, n })),
  ];
  const points = (["local", "aws"] as const).flatMap((profile) =>
    shapes.flatMap(({ shape, n }) =>
      STRATEGIES.map((strategy): ScalePoint => {
        const base = { profile, shape, n, strategy };
        if (strategy === "sequential" && shape === "independent" && n === 1000) {
          return { ...base, status: "skipped", runs: 0, failed: 0, note: "planned 100,000 ms" };
        }
        if (strategy === "stepfunctions" && n === 1000) {
          return { ...base, status: "failed", runs: 3, failed: 3, note: "Timeout: 27 s budget" };
        }
        const overheadMs = 5 + perTaskMs[strategy] * n * (profile === "aws" ? 2 : 1);
        return {
          ...base,
          status: "succeeded",
          runs: 3,
          failed: 0,
          overheadMs,
          wallMs: 100 + overheadMs,
        };
      }),
    ),
  );
  return {
    generatedAt: new Date(T0).toISOString(),
    taskMs: 100,
    runsPerPoint: 3,
    environment: "LocalStack 4.14.0 in host mode, Lambda concurrency 64",
    profiles: [
      { name: "local", description: "profile local: no latency added" },
      { name: "aws", description: "profile aws: AWS latencies EMULATED on the local stack" },
    ],
    points,
    ...overrides,
  };
}

/**
 * A realistic report of the four strategies on the seed workflow: 1 warm-up + 3 measured runs
 * each, with costs, the comparison built by `compareRuns` from those runs. Overriding `runs`
 * rebuilds the comparison (and the verdict) from them unless those are overridden too.
 */
export function aReportDocument(overrides: Partial<ReportDocument> = {}): ReportDocument {
  const runs = overrides.runs ?? seedRuns();
  const comparison = overrides.comparison ?? compareRuns(runs);
  return {
    generatedAt: new Date(T0 + 300_000).toISOString(),
    environment: {
      apiUrl: "http://localhost:3000/dev",
      description: "LocalStack 4.14.0 in host mode, measured locally",
    },
    settings: {
      scale: 1,
      runs: MEASURED_JITTER_MS.length,
      warmup: 1,
      kind: "io",
      extraLogs: 0,
      strategies: [...STRATEGY_ORDER],
      tasks: SEED_TASKS.length,
    },
    comparison,
    verdict: describeVerdict(comparison),
    pricingNote:
      "us-east-1 list prices, arm64 Lambda at 1024 MB, REST API Gateway, SQS standard; free tiers and data transfer left out.",
    runs,
    ...overrides,
  };
}
