import { InvalidInputError } from "../errors.js";
import { parseOrThrow } from "../fieldPath.js";
import { workflowSchema } from "./schema.js";
import type { TaskNode, Workflow } from "./types.js";

/** Validates shape and graph rules: unique ids, known deps, no cycle (the cycle is named). */
export function validateWorkflow(raw: unknown, root = "workflow"): Workflow {
  const workflow = parseOrThrow(workflowSchema, raw, root);
  const indexById = new Map<string, number>();
  workflow.tasks.forEach((task, index) => {
    if (indexById.has(task.id)) {
      throw new InvalidInputError(`${root}.tasks[${index}].id`, `duplicate id '${task.id}'`);
    }
    indexById.set(task.id, index);
  });
  workflow.tasks.forEach((task, index) => {
    task.deps.forEach((dep, depIndex) => {
      if (!indexById.has(dep)) {
        throw new InvalidInputError(
          `${root}.tasks[${index}].deps[${depIndex}]`,
          `unknown task '${dep}'`,
        );
      }
    });
    if (new Set(task.deps).size !== task.deps.length) {
      throw new InvalidInputError(`${root}.tasks[${index}].deps`, "lists a task twice");
    }
  });
  const cycle = findCycle(workflow);
  if (cycle) {
    throw new InvalidInputError(`${root}.tasks`, `dependency cycle ${cycle.join(" -> ")}`);
  }
  return workflow;
}

/** Returns a cycle as `[a, b, ..., a]`, or undefined when the graph is acyclic. */
function findCycle(workflow: Workflow): string[] | undefined {
  const byId = new Map(workflow.tasks.map((task) => [task.id, task]));
  const state = new Map<string, "visiting" | "done">();
  const stack: string[] = [];

  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "visiting") return [...stack.slice(stack.indexOf(id)), id];
    state.set(id, "visiting");
    stack.push(id);
    for (const dep of byId.get(id)?.deps ?? []) {
      const cycle = visit(dep);
      if (cycle) return cycle;
    }
    stack.pop();
    state.set(id, "done");
    return undefined;
  };

  for (const task of workflow.tasks) {
    const cycle = visit(task.id);
    // Found by walking deps (child -> parent); reverse so it reads in execution order.
    if (cycle) return cycle.reverse();
  }
  return undefined;
}

/**
 * Kahn's order, stable: among ready nodes the one declared first comes first. The one
 * topological sort of the project: the plan's and the series-parallel search's.
 *
 * @throws Error when a dep is unknown or the nodes have a cycle (validate a workflow first).
 */
export function inTopologicalOrder<Node extends { id: string; deps: readonly string[] }>(
  nodes: readonly Node[],
): Node[] {
  const done = new Set<string>();
  const pending = [...nodes];
  const order: Node[] = [];
  while (pending.length > 0) {
    const index = pending.findIndex((node) => node.deps.every((dep) => done.has(dep)));
    const [next] = index < 0 ? [] : pending.splice(index, 1);
    if (!next) throw new Error("a topological order needs acyclic nodes whose deps are all known");
    order.push(next);
    done.add(next.id);
  }
  return order;
}

/** A validated workflow's tasks in topological order (see {@link inTopologicalOrder}). */
export function topologicalOrder(workflow: Workflow): TaskNode[] {
  return inTopologicalOrder(workflow.tasks);
}

/** Depth of each task: 0 for tasks without deps, else 1 + the deepest dep. */
export function taskLevels(workflow: Workflow): Map<string, number> {
  const levels = new Map<string, number>();
  for (const task of topologicalOrder(workflow)) {
    const depLevels = task.deps.map((dep) => levels.get(dep) ?? 0);
    levels.set(task.id, depLevels.length === 0 ? 0 : Math.max(...depLevels) + 1);
  }
  return levels;
}

export interface CriticalPath {
  lengthMs: number;
  taskIds: string[];
}

/** Longest path through the DAG, weighting each task with `durationOf(task)`. */
export function criticalPath(
  workflow: Workflow,
  durationOf: (task: TaskNode) => number,
): CriticalPath {
  const best = new Map<string, CriticalPath>();
  for (const task of topologicalOrder(workflow)) {
    const longestDep = task.deps
      .map((dep) => best.get(dep))
      .reduce<CriticalPath>(
        (longest, candidate) =>
          candidate && candidate.lengthMs > longest.lengthMs ? candidate : longest,
        { lengthMs: 0, taskIds: [] },
      );
    best.set(task.id, {
      lengthMs: longestDep.lengthMs + durationOf(task),
      taskIds: [...longestDep.taskIds, task.id],
    });
  }
  return [...best.values()].reduce<CriticalPath>(
    (longest, candidate) => (candidate.lengthMs > longest.lengthMs ? candidate : longest),
    { lengthMs: 0, taskIds: [] },
  );
}

/** Each task's dependents by its id (tasks that list it in their deps), in the order given. */
export function dependentsOf<Node extends { id: string; deps: readonly string[] }>(
  tasks: readonly Node[],
): Map<string, Node[]> {
  const dependents = new Map<string, Node[]>();
  for (const task of tasks) {
    for (const dep of task.deps) {
      const list = dependents.get(dep);
      if (list) list.push(task);
      else dependents.set(dep, [task]);
    }
  }
  return dependents;
}
