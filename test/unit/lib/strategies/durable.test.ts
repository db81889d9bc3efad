import { type DurableContext, withDurableExecution } from "@aws/durable-execution-sdk-js";
import { LocalDurableTestRunner } from "@aws/durable-execution-sdk-js-testing";
import type { Context } from "aws-lambda";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { schedulerOf } from "../../../../functions/durableScheduler.js";
import { handler as taskHandler } from "../../../../functions/task.js";
import { UsageMeter } from "../../../../lib/cost/UsageMeter.js";
import type { RunReport } from "../../../../lib/runReport/types.js";
import { runDurable } from "../../../../lib/strategies/durable.js";
import { systemClock } from "../../../../lib/systemClock.js";
import { TASK_FUNCTIONS } from "../../../../lib/tasks/catalog.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import { workflowSchema } from "../../../../lib/workflow/schema.js";

const PREFIX = "lab-test-";

interface RunEvent {
  workflow: unknown;
  scale: number;
  budgetMs?: number;
}

/**
 * The durable strategy inside the SDK's own local runner: checkpoints, suspensions and replays
 * are the SDK's, and the task functions are the real task handler. The history reader is left
 * empty (the runner serves no history API): these tests are about scheduling, not the report's
 * service-side timestamps.
 */
const orchestrator = withDurableExecution(async (event: RunEvent, context: DurableContext) => {
  const plan = planRun({
    runId: "run-1",
    strategy: "durable",
    workflow: workflowSchema.parse(event.workflow),
    scale: event.scale,
  });
  return runDurable(plan, {
    clock: systemClock,
    budgetMs: 60_000,
    meter: new UsageMeter(),
    scheduler: schedulerOf(context),
    executionArn: context.executionContext.durableExecutionArn,
    history: { read: async () => [] },
    functionNameOf: (fn) => `${PREFIX}${fn}`,
    invocationStartedAt: Date.now(),
    retentionDays: 1,
    runBudgetMs: event.budgetMs ?? 60_000,
  });
});

/** What a task invocation receives from the local runner, with the memory our handler reads. */
const realTask = (event: unknown, context: Context) =>
  taskHandler(event, { ...context, memoryLimitInMB: "1024" });

async function run(workflow: unknown, scale = 0.02, budgetMs?: number) {
  const runner = new LocalDurableTestRunner<RunReport>({ handlerFunction: orchestrator });
  for (const fn of TASK_FUNCTIONS) runner.registerFunction(`${PREFIX}${fn}`, realTask);
  const execution = await runner.run({ payload: { workflow, scale, budgetMs } });
  return { runner, execution, report: execution.getResult() as RunReport };
}

const task = (report: RunReport, id: string) => report.tasks.find((t) => t.id === id);

beforeAll(() => LocalDurableTestRunner.setupTestEnvironment({ skipTime: false }));
afterAll(() => LocalDurableTestRunner.teardownTestEnvironment());

describe("durable strategy, in the durable execution SDK's local runner", () => {
  it("runs the seed: processData after queryData, with its output; writeLog alongside", async () => {
    const { execution, report, runner } = await run(SEED_WORKFLOW);

    expect(execution.getStatus()).toBe("SUCCEEDED");
    expect(report.status).toBe("succeeded");
    const query = task(report, "queryData");
    const processed = task(report, "processData");
    const log = task(report, "writeLog");
    expect(processed?.startedAt).toBeGreaterThanOrEqual(query?.endedAt ?? Infinity);
    expect(processed?.output).toMatchObject({ digests: { queryData: query?.outputDigest } });
    // writeLog does not wait for queryData: it starts before queryData ends.
    expect(log?.startedAt).toBeLessThan(query?.endedAt ?? -Infinity);
    // Replayed: the orchestrator was invoked again for results, and every replay agreed.
    expect(execution.getInvocations().length).toBeGreaterThan(1);
    expect(query?.output).toEqual(
      expect.arrayContaining([expect.objectContaining({ runId: "run-1" })]),
    );
    expect(runner.getOperation("invoke processData").getStatus()).toBe("SUCCEEDED");
  });

  it("a diamond: d starts only after both b and c, and gets both outputs", async () => {
    const diamond = {
      tasks: [
        { id: "a", fn: "queryData" },
        { id: "b", fn: "processData", deps: ["a"] },
        { id: "c", fn: "processData", deps: ["a"] },
        { id: "d", fn: "processData", deps: ["b", "c"] },
      ],
    };
    const { report } = await run(diamond);

    expect(report.status).toBe("succeeded");
    const d = task(report, "d");
    expect(d?.startedAt).toBeGreaterThanOrEqual(
      Math.max(task(report, "b")?.endedAt ?? Infinity, task(report, "c")?.endedAt ?? Infinity),
    );
    expect(d?.output).toMatchObject({
      digests: { b: task(report, "b")?.outputDigest, c: task(report, "c")?.outputDigest },
    });
  });

  it("a failing task fails the run naming it; its dependent is skipped, an independent task runs", async () => {
    const workflow = {
      tasks: [
        { id: "a", fn: "queryData", fail: "the database is gone" },
        { id: "b", fn: "processData", deps: ["a"] },
        { id: "c", fn: "writeLog" },
      ],
    };
    const { execution, report } = await run(workflow);

    // The execution itself succeeds: the run's failure is in the report it returns.
    expect(execution.getStatus()).toBe("SUCCEEDED");
    expect(report.status).toBe("failed");
    expect(report.error).toMatchObject({
      taskId: "a",
      message: expect.stringContaining("the database is gone"),
    });
    expect(task(report, "a")?.status).toBe("failed");
    expect(task(report, "b")?.status).toBe("skipped");
    expect(task(report, "c")?.status).toBe("succeeded");
  });

  it("100 tasks wide: all run at once, not one after another", async () => {
    const wide = {
      tasks: Array.from({ length: 100 }, (_, index) => ({
        id: `t${index}`,
        fn: "writeLog",
        durationMs: 200,
      })),
    };
    const { report } = await run(wide, 1);

    expect(report.status).toBe("succeeded");
    expect(report.tasks.every((t) => t.status === "succeeded")).toBe(true);
    // 100 x 200 ms one at a time would take 20 s; together, well under a tenth of that.
    const first = Math.min(...report.tasks.map((t) => t.startedAt ?? Infinity));
    const last = Math.max(...report.tasks.map((t) => t.endedAt ?? -Infinity));
    expect(last - first).toBeLessThan(2000);
  });

  it("answers when its budget runs out: the unfinished task timed out, the finished one reported", async () => {
    const workflow = {
      tasks: [
        { id: "quick", fn: "writeLog", durationMs: 10 },
        { id: "slow", fn: "writeLog", durationMs: 3000 },
      ],
    };
    const { report } = await run(workflow, 1, 1000);

    expect(report.status).toBe("failed");
    expect(report.error).toMatchObject({
      type: "Timeout",
      message: expect.stringContaining("run exceeded its 1000 ms budget; 1 unfinished: slow"),
    });
    expect(report.tasks.find((t) => t.id === "quick")?.status).toBe("succeeded");
  });
});
