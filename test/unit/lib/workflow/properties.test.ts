import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { UsageMeter } from "../../../../lib/cost/UsageMeter.js";
import type { TaskInvoker } from "../../../../lib/ports.js";
import { runFanout } from "../../../../lib/strategies/fanout.js";
import { MAX_TASK_DURATION_MS } from "../../../../lib/tasks/catalog.js";
import { InProcessInvoker } from "../../../../lib/tasks/InProcessInvoker.js";
import { validateWorkflow } from "../../../../lib/workflow/dag.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { FakeClock } from "../../../helpers/FakeClock.js";
import { rejection } from "../../../helpers/rejection.js";

/**
 * Any DAG of 1-12 tasks: task i may depend on any of tasks 0..i-1 (so no cycle), listed in any
 * order, each waiting 0-500 ms.
 */
const anyDag = fc
  .integer({ min: 1, max: 12 })
  .chain((size) =>
    fc.tuple(
      fc.tuple(
        ...Array.from({ length: size }, (_, index) =>
          fc.record({
            deps: fc.subarray(Array.from({ length: index }, (_, dep) => `t${dep}`)),
            durationMs: fc.integer({ min: 0, max: 500 }),
          }),
        ),
      ),
      fc.array(fc.nat(), { minLength: size, maxLength: size }),
    ),
  )
  .map(([nodes, order]): Workflow => {
    const tasks = nodes.map((node, index) => ({
      id: `t${index}`,
      fn: "writeLog" as const,
      deps: node.deps,
      durationMs: node.durationMs,
      kind: "io" as const,
    }));
    // a permutation: the validator and the scheduler must not depend on the listing order
    return {
      tasks: tasks
        .map((task, index) => ({ task, key: order[index] ?? 0 }))
        .sort((a, b) => a.key - b.key)
        .map(({ task }) => task),
    };
  });

describe("Properties of the workflow model and the scheduling loop", () => {
  it("accepts every DAG", () => {
    fc.assert(
      fc.property(anyDag, (workflow) => {
        expect(validateWorkflow(workflow).tasks).toHaveLength(workflow.tasks.length);
      }),
    );
  });

  it("runs every task exactly once, after all its deps, and the critical path never exceeds the wall", async () => {
    await fc.assert(
      fc.asyncProperty(anyDag, async (workflow) => {
        const clock = new FakeClock();
        const inProcess = new InProcessInvoker(clock);
        const invoked: string[] = [];
        const invoker: TaskInvoker = {
          invoke: (request) => {
            invoked.push(request.taskId);
            return inProcess.invoke(request);
          },
        };
        const plan = planRun({ runId: "run-p", strategy: "fanout", workflow, scale: 1 });

        const report = await clock.drive(
          runFanout(plan, { clock, invoker, budgetMs: 60_000, meter: new UsageMeter() }),
        );

        expect(report.status).toBe("succeeded");
        expect([...invoked].sort()).toEqual(workflow.tasks.map((task) => task.id).sort());
        const byId = new Map(report.tasks.map((task) => [task.id, task]));
        for (const task of report.tasks) {
          for (const dep of task.deps) {
            expect(task.invokedAt ?? -1).toBeGreaterThanOrEqual(
              byId.get(dep)?.returnedAt ?? Infinity,
            );
          }
        }
        expect(report.criticalPathMs).toBeLessThanOrEqual(report.wallMs);
      }),
      { numRuns: 60 },
    );
  });

  it("rejects a cycle, naming the tasks", () => {
    const withEdge = anyDag.filter((workflow) =>
      workflow.tasks.some((task) => task.deps.length > 0),
    );
    fc.assert(
      fc.property(withEdge, (workflow) => {
        const tasks = structuredClone(workflow.tasks);
        const child = tasks.find((task) => task.deps.length > 0);
        const parent = tasks.find((task) => task.id === child?.deps[0]);
        parent?.deps.push(child?.id ?? "");

        const error = rejection({ tasks });
        expect(error.field).toBe("workflow.tasks");
        expect(error.problem).toMatch(/^dependency cycle /);
      }),
    );
  });

  it("rejects a dependency on no task, naming that dependency", () => {
    fc.assert(
      fc.property(anyDag, fc.nat(), (workflow, pick) => {
        const tasks = structuredClone(workflow.tasks);
        const index = pick % tasks.length;
        tasks[index]?.deps.push("ghost");

        const error = rejection({ tasks });
        expect(error.field).toBe(
          `workflow.tasks[${index}].deps[${(tasks[index]?.deps.length ?? 1) - 1}]`,
        );
        expect(error.problem).toBe("unknown task 'ghost'");
      }),
    );
  });

  it("rejects a duplicate id at its second use", () => {
    const twoOrMore = anyDag.filter((workflow) => workflow.tasks.length >= 2);
    fc.assert(
      fc.property(twoOrMore, (workflow) => {
        const tasks = structuredClone(workflow.tasks);
        const last = tasks.length - 1;
        const first = tasks[0]?.id ?? "";
        (tasks[last] as { id: string }).id = first;

        const error = rejection({ tasks });
        expect(error.field).toBe(`workflow.tasks[${last}].id`);
        expect(error.problem).toBe(`duplicate id '${first}'`);
      }),
    );
  });

  it("rejects a duration out of range, naming the field", () => {
    const outOfRange = fc.oneof(
      fc.integer({ max: -1 }),
      fc.integer({ min: MAX_TASK_DURATION_MS + 1 }),
      fc.constant(Number.NaN),
      fc.constant(0.5),
    );
    fc.assert(
      fc.property(anyDag, fc.nat(), outOfRange, (workflow, pick, durationMs) => {
        const tasks = structuredClone(workflow.tasks);
        const index = pick % tasks.length;
        (tasks[index] as { durationMs: number }).durationMs = durationMs;

        expect(rejection({ tasks }).field).toBe(`workflow.tasks[${index}].durationMs`);
      }),
    );
  });
});
