import { describe, expect, inject, it } from "vitest";
import { ApiError, runStrategy } from "../../adapters/runsApiClient.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { type PlatformPiece, STRATEGIES } from "../../lib/strategies/names.js";
import { strategyNamed } from "../../lib/strategies/registry.js";
import { seedWithExtraLogs } from "../../lib/workflow/defaults.js";

const apiUrl = inject("apiUrl");
/** Every /runs route is private (serverless.yml): the deployed key goes with each run. */
const api = { apiKey: inject("apiKey") };
const SCALE = 0.15; // 300 ms per task: long enough to dwarf local invoke overhead, short for CI

function taskById(report: RunReport, id: string) {
  return report.tasks.find((task) => task.id === id);
}

describe("POST /runs/{strategy} on the local stack", () => {
  const reports = new Map<string, RunReport>();

  // LocalStack 4.14 checks x-api-key on private methods against the stage's usage plans, as AWS
  // does: the local stage exercises the same path.
  it.each([
    ["no API key", {}, /403: Forbidden: the API needs an API key/],
    ["a key that is not the API's", { apiKey: "not-this-apis-key-0123456789" }, /is not one of/],
  ])("refuses a run sent with %s (403)", async (_, options, problem) => {
    const error = await runStrategy(apiUrl, "inline", { scale: 0.01 }, options).then(
      () => undefined,
      (refusal: unknown) => refusal,
    );

    expect(api.apiKey).not.toBe("");
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(problem);
  });

  it.each(STRATEGIES)(
    "%s runs the seed workflow and passes queryData's output to processData",
    async (strategy) => {
      const report = await runStrategy(apiUrl, strategy, { scale: SCALE }, api);
      reports.set(strategy, report);
      const needs: readonly PlatformPiece[] = strategyNamed(strategy).needs;

      expect(report.status).toBe("succeeded");
      expect(report.strategy).toBe(strategy);
      const query = taskById(report, "queryData");
      expect(query?.output).toEqual(
        expect.arrayContaining([expect.objectContaining({ runId: report.runId })]),
      );
      expect(taskById(report, "processData")?.output).toMatchObject({
        digests: { queryData: query?.outputDigest },
      });
      expect(taskById(report, "writeLog")?.output).toBe("logged");
      // Priced: the orchestrator's own wait, every task Lambda or worker, and the API request.
      expect(report.orchestrator?.memoryMb).toBe(1024);
      // A durable orchestrator is billed once per replay (its invocations), the others once.
      const orchestratorInvocations = report.durable?.replays.length ?? 1;
      expect(report.usage?.lambda).toHaveLength(
        needs.length === 0 ? 1 : orchestratorInvocations + 3,
      );
      expect(report.cost?.totalUsd).toBeGreaterThan(0);
      expect((report.cost?.sqsUsd ?? 0) > 0).toBe(needs.includes("sqs"));
      expect(report.criticalPath).toEqual(["queryData", "processData"]);
      // Each task's own span lies within what its orchestrator saw (Step Functions calls the
      // tasks itself: there, within the run).
      for (const task of report.tasks) {
        const seen = needs.includes("stepfunctions")
          ? { from: report.startedAt, to: report.endedAt }
          : { from: task.invokedAt ?? Infinity, to: task.returnedAt ?? -Infinity };
        expect(task.startedAt).toBeGreaterThanOrEqual(seen.from);
        expect(task.endedAt).toBeLessThanOrEqual(seen.to);
      }
      expect(report.wallMs).toBeGreaterThanOrEqual(report.criticalPathMs);
    },
  );

  it("fanout and inline finish faster than sequential", async () => {
    // One after another: run side by side they would need extra, cold execution environments.
    const sequential = await runStrategy(apiUrl, "sequential", { scale: SCALE }, api);
    const fanout = await runStrategy(apiUrl, "fanout", { scale: SCALE }, api);
    const inline = await runStrategy(apiUrl, "inline", { scale: SCALE }, api);
    // Sequential pays 3 task durations, the others 2: a wide margin on a noisy machine.
    expect(fanout.wallMs).toBeLessThan(sequential.wallMs);
    expect(inline.wallMs).toBeLessThan(sequential.wallMs);
  });

  it("queue tasks carry when their message was sent, received and completed", async () => {
    const report = await runStrategy(apiUrl, "queue", { scale: SCALE }, api);

    for (const task of report.tasks) {
      const transport = task.transport;
      expect(transport).toBeDefined();
      expect(transport?.receivedAt).toBeGreaterThanOrEqual(transport?.sentAt ?? Infinity);
      expect(transport?.completedAt).toBeGreaterThanOrEqual(transport?.receivedAt ?? Infinity);
    }
  });

  it("fanout runs independent tasks side by side: three extra writeLogs overlap the seed", async () => {
    const request = { workflow: seedWithExtraLogs(3), scale: SCALE };
    // The first run starts four writeLog execution environments (cold starts of their own, each a
    // new process): measure the second, as the chapter reuses its pool.
    await runStrategy(apiUrl, "fanout", request, api);
    const report = await runStrategy(apiUrl, "fanout", request, api);

    expect(report.status).toBe("succeeded");
    const logs = report.tasks.filter((task) => task.fn === "writeLog");
    const lastStart = Math.max(...logs.map((task) => task.startedAt ?? Infinity));
    const firstEnd = Math.min(...logs.map((task) => task.endedAt ?? -Infinity));
    expect(lastStart).toBeLessThan(firstEnd);
  });

  it.each(STRATEGIES)(
    "%s reports a failing task as a failed run with the task and its error",
    async (strategy) => {
      const workflow = {
        tasks: [
          { id: "queryData", fn: "queryData" as const, deps: [], fail: "database unreachable" },
          { id: "processData", fn: "processData" as const, deps: ["queryData"] },
          { id: "writeLog", fn: "writeLog" as const, deps: [] },
        ],
      };

      const report = await runStrategy(apiUrl, strategy, { workflow, scale: 0.05 }, api);

      expect(report.status).toBe("failed");
      expect(report.error).toMatchObject({ taskId: "queryData" });
      expect(report.error?.message).toContain("database unreachable");
      expect(taskById(report, "processData")?.status).toBe("skipped");
    },
  );

  it.each(STRATEGIES)(
    "%s carries 200 KB from queryData to processData whole, and reports the bytes",
    async (strategy) => {
      const workflow = {
        tasks: [
          {
            id: "queryData",
            fn: "queryData" as const,
            deps: [],
            durationMs: 50,
            outputBytes: 200_000,
          },
          { id: "processData", fn: "processData" as const, deps: ["queryData"], durationMs: 50 },
        ],
      };

      const report = await runStrategy(apiUrl, strategy, { workflow }, api);

      expect(report.status).toBe("succeeded");
      const query = taskById(report, "queryData");
      const processed = taskById(report, "processData");
      expect(query?.bytesOut).toBeGreaterThan(190_000);
      expect(query?.output).toBeUndefined(); // too large to travel in the report
      expect(processed?.bytesIn).toBeGreaterThan(190_000);
      expect(processed?.output).toMatchObject({
        bytes: query?.bytesOut,
        digests: { queryData: query?.outputDigest },
      });
    },
  );

  it.each([
    ["queue", 2_000_000, /SQS message size \(1 MiB\)/],
    ["fanout", 7_000_000, /Lambda synchronous invoke payload \(6 MB\)/],
  ] as const)(
    "%s refuses %i bytes it cannot carry: a failed run naming the limit, dependents skipped",
    async (strategy, outputBytes, limit) => {
      const workflow = {
        tasks: [
          { id: "queryData", fn: "queryData" as const, deps: [], durationMs: 10, outputBytes },
          { id: "processData", fn: "processData" as const, deps: ["queryData"], durationMs: 10 },
        ],
      };

      const report = await runStrategy(apiUrl, strategy, { workflow }, api);

      expect(report.status).toBe("failed");
      expect(report.error).toMatchObject({ taskId: "queryData", type: "PayloadTooLargeError" });
      expect(report.error?.message).toMatch(limit);
      expect(taskById(report, "processData")?.status).toBe("skipped");
    },
  );

  it("stepfunctions runs a diamond exactly: both branches side by side, nothing added", async () => {
    const workflow = {
      tasks: [
        { id: "a", fn: "queryData" as const, deps: [], durationMs: 100 },
        { id: "b", fn: "processData" as const, deps: ["a"], durationMs: 800 },
        { id: "c", fn: "processData" as const, deps: ["a"], durationMs: 800 },
        { id: "d", fn: "processData" as const, deps: ["b", "c"], durationMs: 100 },
      ],
    };

    const report = await runStrategy(apiUrl, "stepfunctions", { workflow }, api);

    expect(report.status).toBe("succeeded");
    expect(report.stateMachine).toMatchObject({ addedEdges: [], structuralDelayMs: 0 });
    const [b, c] = [taskById(report, "b"), taskById(report, "c")];
    expect(b?.startedAt).toBeLessThan(c?.endedAt ?? 0);
    expect(c?.startedAt).toBeLessThan(b?.endedAt ?? 0);
    expect(taskById(report, "d")?.output).toMatchObject({
      digests: { b: b?.outputDigest, c: c?.outputDigest },
    });
  });

  it("stepfunctions runs the N shape with the one false edge it adds, and says so", async () => {
    const workflow = {
      tasks: [
        { id: "a", fn: "queryData" as const, deps: [], durationMs: 100 },
        { id: "b", fn: "writeLog" as const, deps: [], durationMs: 400 },
        { id: "c", fn: "processData" as const, deps: ["a"], durationMs: 500 },
        { id: "d", fn: "processData" as const, deps: ["a", "b"], durationMs: 100 },
      ],
    };

    const report = await runStrategy(apiUrl, "stepfunctions", { workflow }, api);

    expect(report.status).toBe("succeeded");
    expect(report.stateMachine?.addedEdges).toHaveLength(1);
    expect(report.stateMachine?.structuralDelayMs).toBe(0);
    expect(taskById(report, "d")?.output).toMatchObject({
      digests: { a: taskById(report, "a")?.outputDigest, b: taskById(report, "b")?.outputDigest },
    });
  });

  it("stepfunctions refuses, before starting, data that cannot fit its 256 KB state", async () => {
    const workflow = {
      tasks: [
        {
          id: "queryData",
          fn: "queryData" as const,
          deps: [],
          durationMs: 10,
          outputBytes: 300_000,
        },
        { id: "processData", fn: "processData" as const, deps: ["queryData"], durationMs: 10 },
      ],
    };

    const report = await runStrategy(apiUrl, "stepfunctions", { workflow }, api);

    expect(report.status).toBe("failed");
    expect(report.error).toMatchObject({ type: "PayloadTooLargeError" });
    expect(report.error?.message).toMatch(/Step Functions payload \(256 KB\)/);
  });
});
