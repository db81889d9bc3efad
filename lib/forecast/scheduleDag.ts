import { plannedTaskReport } from "../runReport/plannedTaskReport.js";
import type { RunReport, TaskReport } from "../runReport/types.js";
import { describeUnfinished } from "../strategies/executeWorkflow.js";
import { dependentsOf } from "../workflow/dag.js";
import type { PlannedTask, RunPlan } from "../workflow/plan.js";
import type { Simulation } from "./simulation.js";

/** How one task ended in a model: its report fields, and its output's size for its dependents. */
export interface SimulatedOutcome {
  status: "succeeded" | "failed";
  fields: Partial<TaskReport>;
  bytesOut: number;
  error?: { type: string; message: string };
}

export interface DagSchedule {
  tasks: TaskReport[];
  startedAt: number;
  endedAt: number;
  error?: RunReport["error"];
}

/**
 * The scheduling policy the orchestrators share (lib/strategies/executeWorkflow.ts), on simulated
 * time: a task starts once its deps have succeeded, at most `maxConcurrency` at a time, ready
 * tasks in plan order; after the first failure nothing new starts; past `budgetMs` the unfinished
 * tasks are timed out and the run fails.
 */
export function scheduleDag(
  simulation: Simulation,
  plan: RunPlan,
  options: {
    maxConcurrency: number;
    budgetMs: number;
    /** Starts `task` with its deps' output sizes summed; calls `done` once. */
    start: (task: PlannedTask, bytesIn: number, done: (outcome: SimulatedOutcome) => void) => void;
  },
  finished: (schedule: DagSchedule) => void,
): void {
  const reports = new Map(plan.tasks.map((task) => [task.id, plannedTaskReport(task)]));
  const outputBytes = new Map<string, number>();
  const dependents = dependentsOf(plan.tasks);
  const missing = new Map(plan.tasks.map((task) => [task.id, task.deps.length]));
  // Ready tasks in plan order: a task becomes ready only after every task before it in
  // topological order that it depends on, so appending keeps the order close to plan order.
  const ready: PlannedTask[] = plan.tasks.filter((task) => task.deps.length === 0);
  let readyIndex = 0;
  let running = 0;
  let runError: RunReport["error"];
  let closed = false;
  const startedAt = simulation.now;

  let cancelBudget = () => {};
  const close = () => {
    if (closed) return;
    closed = true;
    cancelBudget();
    finished({
      tasks: plan.tasks.map((task) => reports.get(task.id) as TaskReport),
      startedAt,
      endedAt: simulation.now,
      ...(runError ? { error: runError } : {}),
    });
  };

  const pump = () => {
    if (closed) return;
    while (!runError && running < options.maxConcurrency && readyIndex < ready.length) {
      const task = ready[readyIndex++] as PlannedTask;
      running += 1;
      (reports.get(task.id) as TaskReport).invokedAt = simulation.now;
      const bytesIn = task.deps.reduce((sum, dep) => sum + (outputBytes.get(dep) ?? 0), 0);
      options.start(task, bytesIn, (outcome) => {
        if (closed) return;
        running -= 1;
        const report = reports.get(task.id) as TaskReport;
        Object.assign(report, outcome.fields, { status: outcome.status, bytesIn });
        if (outcome.status === "succeeded") {
          outputBytes.set(task.id, outcome.bytesOut);
          report.bytesOut = outcome.bytesOut;
          for (const dependent of dependents.get(task.id) ?? []) {
            const left = (missing.get(dependent.id) ?? 1) - 1;
            missing.set(dependent.id, left);
            if (left === 0) ready.push(dependent);
          }
        } else {
          if (outcome.error) report.error = outcome.error;
          runError ??= {
            taskId: task.id,
            ...(outcome.error ?? { type: "Error", message: "task failed" }),
          };
        }
        pump();
      });
    }
    if (running === 0) close();
  };

  cancelBudget = simulation.after(options.budgetMs, () => {
    if (closed) return;
    for (const report of reports.values()) {
      if (report.status === "skipped" && report.invokedAt !== undefined) {
        report.status = "timedOut";
        report.error = { type: "Timeout", message: `did not finish within ${options.budgetMs} ms` };
      }
    }
    const unfinished = plan.tasks.filter((task) => reports.get(task.id)?.status !== "succeeded");
    runError ??= {
      type: "Timeout",
      message: `run exceeded its ${options.budgetMs} ms budget; ${describeUnfinished(unfinished)}`,
    };
    close();
  });
  pump();
}
