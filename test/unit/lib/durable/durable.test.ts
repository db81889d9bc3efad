import { describe, expect, it } from "vitest";
import { collectUsage } from "../../../../lib/cost/collectUsage.js";
import { durableBreakEvenMs } from "../../../../lib/cost/durableBreakEven.js";
import { priceDurable, priceRun } from "../../../../lib/cost/priceRun.js";
import { type DurableHistoryEvent, summarizeHistory } from "../../../../lib/durable/history.js";
import { durableLimitRefusal, durableOperationsOf } from "../../../../lib/durable/limits.js";
import { LimitExceededError, PayloadTooLargeError } from "../../../../lib/errors.js";
import { compareRuns } from "../../../../lib/report/compareRuns.js";
import { renderGantt } from "../../../../lib/report/terminal/renderGantt.js";
import { describeVerdict } from "../../../../lib/report/text/describeVerdict.js";
import type { DurableReport } from "../../../../lib/runReport/types.js";
import { STRATEGY_REGISTRY, strategyNamed } from "../../../../lib/strategies/registry.js";
import type { LambdaBilling } from "../../../../lib/tasks/types.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import { aRunReport } from "../../../helpers/factories.js";

const event = (overrides: Partial<DurableHistoryEvent>): DurableHistoryEvent => ({
  type: "ContextStarted",
  at: 0,
  payloadBytes: 0,
  ...overrides,
});

const ORCHESTRATOR: LambdaBilling = {
  memoryMb: 1024,
  architecture: "arm64",
  billedMs: 10,
  initMs: 0,
};

const aDurableReport = (overrides: Partial<DurableReport> = {}): DurableReport => ({
  executionArn: "arn/1",
  replays: [
    { startedAt: 0, endedAt: 20, billedMs: 20 },
    { startedAt: 500, endedAt: 530, billedMs: 30 },
    { startedAt: 1000, endedAt: 1010, billedMs: 10 },
  ],
  operations: 7,
  bytesCheckpointed: 4096,
  suspendedMs: 1040,
  retentionDays: 1,
  ...overrides,
});

describe("summarizeHistory", () => {
  it("counts each operation once, sums what was checkpointed, and takes replays and invokes", () => {
    const summary = summarizeHistory([
      event({ type: "ExecutionStarted", id: "x", at: 100, payloadBytes: 50 }),
      event({ type: "ContextStarted", id: "c1", name: "task a" }),
      event({
        type: "ChainedInvokeStarted",
        id: "i1",
        name: "invoke a",
        at: 110,
        payloadBytes: 30,
      }),
      event({ type: "InvocationCompleted", at: 120, invocation: { startedAt: 101, endedAt: 120 } }),
      event({
        type: "ChainedInvokeFailed",
        id: "i1",
        name: "invoke a",
        at: 300,
        payloadBytes: 20,
        error: { type: "TaskFailedError", message: "boom" },
      }),
      event({ type: "ContextSucceeded", id: "c1", name: "task a", payloadBytes: 10 }),
    ]);

    expect(summary.startedAt).toBe(100);
    expect(summary.operations).toBe(3);
    expect(summary.bytesCheckpointed).toBe(110);
    expect(summary.invocations).toEqual([{ startedAt: 101, endedAt: 120 }]);
    expect(summary.invokes.get("invoke a")).toEqual({
      startedAt: 110,
      endedAt: 300,
      error: { type: "TaskFailedError", message: "boom" },
    });
  });
});

describe("durable limits", () => {
  const plan = (tasks: Array<{ id: string; deps?: string[]; outputBytes?: number }>) =>
    planRun({
      runId: "r",
      strategy: "durable",
      scale: 1,
      workflow: {
        tasks: tasks.map((task) => ({ fn: "queryData" as const, deps: [], ...task })),
      },
    });

  it("counts the execution, its budget timer, the run record's three steps, two operations per task and the history step", () => {
    expect(durableOperationsOf(plan([{ id: "a" }, { id: "b" }]))).toBe(10);
  });

  it("refuses an output or inputs over a checkpoint's 256 KB, naming the task and the limit", () => {
    expect(durableLimitRefusal(plan([{ id: "a", outputBytes: 200_000 }]))).toBeUndefined();
    const big = durableLimitRefusal(plan([{ id: "a", outputBytes: 300_000 }]));
    expect(big).toBeInstanceOf(PayloadTooLargeError);
    expect(big?.message).toMatch(/task 'a'.*durable checkpoint payload \(256 KB\)/);
    const inputs = durableLimitRefusal(
      plan([
        { id: "a", outputBytes: 150_000 },
        { id: "b", outputBytes: 150_000 },
        { id: "c", deps: ["a", "b"] },
      ]),
    );
    expect(inputs?.message).toMatch(/task 'c''s inputs/);
  });

  it("refuses a run past 3,000 operations, the lower of the conflicting published limits", () => {
    // 6 + 2 per task: 1,497 tasks need 3,000 operations, 1,498 need 3,002.
    const fits = plan(Array.from({ length: 1497 }, (_, index) => ({ id: `t${index}` })));
    expect(durableLimitRefusal(fits)).toBeUndefined();
    const many = plan(Array.from({ length: 1498 }, (_, index) => ({ id: `t${index}` })));
    const refusal = durableLimitRefusal(many);
    expect(refusal).toBeInstanceOf(LimitExceededError);
    expect(refusal?.message).toMatch(/3002.*3000|3,002.*3,000/);
  });
});

describe("durable cost", () => {
  it("prices operations, data written and data retained for the retention period", () => {
    // 1M operations at $8; 1 GB written at $0.25 and kept 30 days (a month) at $0.15.
    expect(
      priceDurable({ operations: 1_000_000, bytesWritten: 1024 ** 3, retentionDays: 30 }),
    ).toBeCloseTo(8 + 0.25 + 0.15, 10);
  });

  it("bills every replay: the earlier ones from the history, the last as it measured itself", () => {
    const report = aRunReport({ strategy: "durable", durable: aDurableReport(), tasks: [] });
    const usage = collectUsage(report, ORCHESTRATOR, { counted: 0, estimated: 0 });

    expect(usage.lambda.map((use) => [use.role, use.billedMs])).toEqual([
      ["orchestrator", 10],
      ["orchestrator", 20],
      ["orchestrator", 30],
    ]);
    expect(usage.durable).toEqual({ operations: 7, bytesWritten: 4096, retentionDays: 1 });
    expect(priceRun(usage).durableUsd).toBeGreaterThan(0);
  });

  it("puts the break-even where a waiting fanout orchestrator's GB-s cost what durable adds", () => {
    const report = aRunReport({ strategy: "durable", durable: aDurableReport(), tasks: [] });
    const usage = collectUsage(report, ORCHESTRATOR, { counted: 0, estimated: 0 });
    const breakEven = durableBreakEvenMs(usage, ORCHESTRATOR) ?? 0;

    // 7 operations ($56e-6), 4 KB written and kept a day, 2 more requests and 60 ms of replays,
    // over 1 GB arm64's price of a ms.
    const gbMs = 0.0000133334 / 1000;
    const data = (4096 / 1024 ** 3) * (0.25 + 0.15 / 30);
    const expected = (7 * 8e-6 + data + 2 * 0.2e-6 + 60 * gbMs) / gbMs;
    expect(breakEven).toBeCloseTo(expected, 3);
    expect(durableBreakEvenMs({ ...usage, durable: undefined }, ORCHESTRATOR)).toBeUndefined();
  });
});

describe("durable's own finishing of its report (its registry entry's finishReport)", () => {
  it("bills the answering replay to the orchestrator's end and adds the break-even", () => {
    // Prepare: the answering replay measured itself at 77 ms
    const report = aRunReport({ strategy: "durable", durable: aDurableReport(), tasks: [] });
    const orchestrator = { ...ORCHESTRATOR, billedMs: 77 };
    const usage = collectUsage(report, orchestrator, { counted: 0, estimated: 0 });
    const earlier = (report.durable?.replays ?? []).slice(0, -1).map((replay) => replay.billedMs);

    // Act
    const finished = strategyNamed("durable").finishReport?.(report, { usage, orchestrator });

    // Assess
    expect(finished?.durable?.replays.map((replay) => replay.billedMs)).toEqual([...earlier, 77]);
    expect(finished?.durable?.breakEvenCriticalPathMs).toBe(
      durableBreakEvenMs(usage, orchestrator),
    );
    expect(finished?.durable?.breakEvenCriticalPathMs).toBeGreaterThan(0);
  });

  it("is durable's alone: no other strategy finishes its report", () => {
    expect(
      STRATEGY_REGISTRY.filter((strategy) => strategy.finishReport).map((s) => s.name),
    ).toEqual(["durable"]);
  });
});

describe("durable in the report", () => {
  const run = aRunReport({
    strategy: "durable",
    startedAt: 0,
    endedAt: 1100,
    wallMs: 1100,
    durable: aDurableReport({ breakEvenCriticalPathMs: 4300 }),
  });

  it("the Gantt draws the orchestrator's replays and its suspended time apart from a billed wait", () => {
    const gantt = renderGantt(run, 44);

    expect(gantt).toMatch(
      /^\(orchestrator\) \|▓+-+▓+-+▓+-*\| 3 replays, 60 ms billed, 1,040 ms suspended$/m,
    );
    expect(gantt).toContain("orchestrator suspended (not billed)");
    expect(gantt).not.toContain("░");
  });

  it("the verdict says how long it was suspended and where durable becomes the cheaper", () => {
    const verdict = describeVerdict(compareRuns([run])).join(" ");

    expect(verdict).toMatch(/suspended, not billed, for 95 % of the wall/);
    expect(verdict).toMatch(/once the critical path passes 4,300 ms/);
    expect(verdict).toMatch(/fanout is the cheaper of the two here/);
  });
});
