import { describe, expect, it } from "vitest";
import type { RunReport, TaskReport } from "../../../lib/runReport/types.js";
import { verifyRunReport } from "../../../lib/runReport/verifyRunReport.js";
import { jsonDigest } from "../../../lib/tasks/jsonDigest.js";
import { runTask } from "../../../lib/tasks/runTask.js";
import type { Workflow } from "../../../lib/workflow/types.js";
import { aRunReport, aTaskReport } from "../../helpers/factories.js";

const WORKFLOW: Workflow = {
  tasks: [
    { id: "q7", fn: "queryData", deps: [], outputBytes: 600 },
    { id: "p7", fn: "processData", deps: ["q7"] },
    { id: "l7", fn: "writeLog", deps: [] },
    { id: "s7", fn: "processData", deps: ["p7", "l7"] },
  ],
};

const instant = { now: () => 0, sleep: async () => {} };

/** The report a correct run of `workflow` produces: the real task bodies, fed their deps' outputs. */
async function honestReport(workflow: Workflow, runId: string): Promise<RunReport> {
  const outputs = new Map<string, unknown>();
  const tasks: TaskReport[] = [];
  for (const node of workflow.tasks) {
    const { output } = await runTask(
      {
        runId,
        taskId: node.id,
        fn: node.fn ?? "writeLog",
        durationMs: 0,
        kind: "io",
        inputs: Object.fromEntries(node.deps.map((dep) => [dep, outputs.get(dep)])),
        ...(node.outputBytes === undefined ? {} : { outputBytes: node.outputBytes }),
      },
      instant,
    );
    outputs.set(node.id, output);
    tasks.push(
      aTaskReport({
        id: node.id,
        fn: node.fn,
        deps: node.deps,
        output,
        outputDigest: jsonDigest(output),
      }),
    );
  }
  return aRunReport({ runId, tasks });
}

describe("verifyRunReport", () => {
  it("finds nothing wrong with a correct run", async () => {
    const verdict = verifyRunReport(WORKFLOW, await honestReport(WORKFLOW, "run-a"));

    expect(verdict).toEqual({ complete: true, crossTalk: false, findings: [] });
  });

  it("sees another run's data: queryData's records carry the run id", async () => {
    const other = await honestReport(WORKFLOW, "run-b");

    const verdict = verifyRunReport(WORKFLOW, { ...other, runId: "run-a" });

    expect(verdict.crossTalk).toBe(true);
    expect(verdict.findings).toContain("task q7's output is not this run's");
  });

  it("sees a dependent that received something other than its dep's output", async () => {
    const report = await honestReport(WORKFLOW, "run-a");
    const tasks = report.tasks.map((task) =>
      task.id === "p7"
        ? { ...task, output: { ...(task.output as object), digests: { q7: "beef" } } }
        : task,
    );

    const verdict = verifyRunReport(WORKFLOW, { ...report, tasks });

    expect(verdict.crossTalk).toBe(true);
    expect(verdict.findings).toEqual(["task p7 did not receive q7's output"]);
  });

  it("sees a task of another workflow and a task that is missing", async () => {
    const report = await honestReport(WORKFLOW, "run-a");
    const tasks = [...report.tasks.filter((task) => task.id !== "l7"), aTaskReport({ id: "q8" })];

    const verdict = verifyRunReport(WORKFLOW, { ...report, tasks });

    expect(verdict.complete).toBe(false);
    expect(verdict.crossTalk).toBe(true);
    expect(verdict.findings).toEqual(
      expect.arrayContaining([
        "task q8 is not in this run's workflow",
        "task l7 is missing from the report",
      ]),
    );
  });

  it("a failed run is complete when it says which task failed and why", async () => {
    const report = await honestReport(WORKFLOW, "run-a");
    const tasks = report.tasks.map((task) =>
      task.id === "s7" ? { ...task, status: "failed" as const } : task,
    );
    const failed = { ...report, status: "failed" as const, tasks };

    expect(
      verifyRunReport(WORKFLOW, {
        ...failed,
        error: { taskId: "s7", type: "Error", message: "boom" },
      }).complete,
    ).toBe(true);
    expect(verifyRunReport(WORKFLOW, failed).complete).toBe(false);
  });

  it("a task left unsettled in a succeeded run makes it incomplete", async () => {
    const report = await honestReport(WORKFLOW, "run-a");
    const tasks = report.tasks.map((task) =>
      task.id === "l7" ? { ...task, status: "timedOut" as const } : task,
    );

    expect(verifyRunReport(WORKFLOW, { ...report, tasks }).complete).toBe(false);
  });
});
