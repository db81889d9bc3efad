import { describe, expect, inject, it } from "vitest";
import { runStrategy } from "../../adapters/runsApiClient.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { DURABLE_STRATEGY } from "../../lib/strategies/names.js";
import type { Workflow } from "../../lib/workflow/types.js";

const apiUrl = inject("apiUrl");
const api = { apiKey: inject("apiKey") };

const taskById = (report: RunReport, id: string) => report.tasks.find((task) => task.id === id);

/**
 * The durable strategy end to end on the local stack: API Gateway -> our executor plugin's front
 * door -> AWS's local durable execution service -> replays of the durable orchestrator, whose
 * invokes the service sends back through LocalStack's Invoke.
 */
describe("POST /runs/durable on the local stack", () => {
  it("runs a diamond: d after both b and c, with both outputs; one replay per wake-up, suspended between", async () => {
    const workflow: Workflow = {
      tasks: [
        { id: "a", fn: "queryData", deps: [] },
        { id: "b", fn: "processData", deps: ["a"] },
        { id: "c", fn: "processData", deps: ["a"] },
        { id: "d", fn: "processData", deps: ["b", "c"] },
      ],
    };
    const report = await runStrategy(apiUrl, DURABLE_STRATEGY, { scale: 0.1, workflow }, api);

    expect(report.status).toBe("succeeded");
    const [b, c, d] = ["b", "c", "d"].map((id) => taskById(report, id));
    expect(d?.startedAt).toBeGreaterThanOrEqual(Math.max(b?.endedAt ?? 0, c?.endedAt ?? 0));
    expect(d?.output).toMatchObject({
      digests: { b: b?.outputDigest, c: c?.outputDigest },
    });
    // The service's view of each invoke, from the execution's history, brackets the task's own.
    for (const task of report.tasks) {
      expect(task.invokedAt).toBeLessThanOrEqual(task.startedAt ?? -Infinity);
      expect(task.returnedAt).toBeGreaterThanOrEqual(task.endedAt ?? Infinity);
    }
    const durable = report.durable;
    // The execution, its budget timer, the record's three steps, a child context and an invoke
    // per task, the history step.
    expect(durable?.operations).toBe(6 + 2 * 4);
    // At least: the start, a wake-up per level, the last one that answers.
    expect(durable?.replays.length).toBeGreaterThanOrEqual(3);
    expect(durable?.suspendedMs).toBeGreaterThan(0);
    expect(durable?.suspendedMs).toBeLessThan(report.wallMs);
    expect(durable?.bytesCheckpointed).toBeGreaterThan(0);
    expect(durable?.breakEvenCriticalPathMs).toBeGreaterThan(0);
    expect(report.cost?.durableUsd).toBeGreaterThan(0);
    const orchestratorBilled = report.usage?.lambda.filter((use) => use.role === "orchestrator");
    expect(orchestratorBilled).toHaveLength(durable?.replays.length ?? 0);
  });

  it("refuses, before any task starts, a task output over a checkpoint's 256 KB", async () => {
    const workflow: Workflow = {
      tasks: [
        { id: "big", fn: "queryData", deps: [], outputBytes: 300_000 },
        { id: "use", fn: "processData", deps: ["big"] },
      ],
    };
    const report = await runStrategy(apiUrl, DURABLE_STRATEGY, { scale: 0.01, workflow }, api);

    expect(report.status).toBe("failed");
    expect(report.error?.type).toBe("PayloadTooLargeError");
    expect(report.error?.message).toMatch(/durable checkpoint payload \(256 KB\)/);
    expect(report.tasks.every((task) => task.status === "skipped")).toBe(true);
  });
});
