import { InvalidInputError } from "../errors.js";
import type { TaskFunctionName } from "../tasks/catalog.js";
import { criticalPath } from "../workflow/dag.js";
import type { PlannedTask, RunPlan } from "../workflow/plan.js";
import {
  type AddedEdge,
  addedEdgesOf,
  formCriticalPathMs,
  levelsForm,
  type SpTree,
  seriesParallelForm,
  tasksOf,
} from "./seriesParallel.js";

export type StateMachineForm = "seriesParallel" | "levels";

type State = Record<string, unknown>;

/** An Amazon States Language definition (JSONPath): what CreateStateMachine takes. */
export interface AslDefinition {
  Comment: string;
  StartAt: string;
  States: Record<string, State>;
}

export interface GeneratedStateMachine {
  definition: AslDefinition;
  form: StateMachineForm;
  /** Dependencies the generated form adds to the DAG (task `to` now also waits for `from`). */
  addedEdges: AddedEdge[];
  /** Critical path of the generated form minus the DAG's own, from the planned durations (ms). */
  structuralDelayMs: number;
}

/** Where a task's result lives in the execution's state; bracket form accepts any task id. */
const resultPath = (id: string): string => `$.results['${id}']`;

/** The Lambda task state: the task request, with its deps' outputs taken from the state. */
function taskState(task: PlannedTask, functionArnOf: (fn: TaskFunctionName) => string): State {
  return {
    Type: "Task",
    Resource: functionArnOf(task.fn),
    Parameters: {
      "runId.$": "$.runId",
      taskId: task.id,
      fn: task.fn,
      durationMs: task.durationMs,
      kind: task.kind,
      ...(task.outputBytes === undefined ? {} : { outputBytes: task.outputBytes }),
      ...(task.fail ? { fail: task.fail } : {}),
      inputs: Object.fromEntries(task.deps.map((dep) => [`${dep}.$`, `${resultPath(dep)}.output`])),
    },
    ResultPath: resultPath(task.id),
  };
}

class AslWriter {
  private parallels = 0;

  constructor(
    private readonly tasks: Map<string, PlannedTask>,
    private readonly functionArnOf: (fn: TaskFunctionName) => string,
  ) {}

  /**
   * Writes `tree` as a chain of states into `states`, after the tasks in `known` have results;
   * returns the chain's first and last state names.
   */
  write(
    tree: SpTree,
    states: Record<string, State>,
    known: readonly string[],
  ): { first: string; last: string } {
    if (tree.kind === "task") {
      const task = this.tasks.get(tree.id);
      if (!task) throw new Error(`the form names an unknown task ${tree.id}`);
      states[tree.id] = taskState(task, this.functionArnOf);
      return { first: tree.id, last: tree.id };
    }
    if (tree.kind === "series") {
      let chain: { first: string; last: string } | undefined;
      let done = [...known];
      for (const child of tree.children) {
        const part = this.write(child, states, done);
        if (chain) states[chain.last] = { ...states[chain.last], Next: part.first };
        chain = { first: chain?.first ?? part.first, last: part.last };
        done = [...done, ...tasksOf(child)];
      }
      if (!chain) throw new Error("an empty series");
      return chain;
    }
    this.parallels += 1;
    const name = `Parallel ${this.parallels}`;
    // Each branch gets the whole state and returns its own copy with its tasks' results added;
    // ResultSelector gathers every result known after the Parallel back into one state.
    const selected: Record<string, string> = {};
    for (const id of known) selected[`${id}.$`] = `$[0].results['${id}']`;
    const branches = tree.children.map((child, index) => {
      const branchStates: Record<string, State> = {};
      const { first, last } = this.write(child, branchStates, known);
      branchStates[last] = { ...branchStates[last], End: true };
      for (const id of tasksOf(child)) selected[`${id}.$`] = `$[${index}].results['${id}']`;
      return { StartAt: first, States: branchStates };
    });
    states[name] = {
      Type: "Parallel",
      Branches: branches,
      ResultSelector: { "runId.$": "$[0].runId", results: selected },
      ResultPath: "$",
    };
    return { first: name, last: name };
  }
}

/**
 * Turns a planned workflow into an Express state machine that runs it: Task states invoking the
 * task Lambdas with the same requests the other strategies send (deps' outputs as `inputs`), in
 * the DAG's series-parallel form (Parallel states), or level by level for comparison.
 *
 * Parallel states express only series-parallel graphs, so a DAG that is not one (the N shape
 * a->c, a->d, b->d) runs with false dependencies added; they are returned with the delay they
 * cost on the planned durations. The execution's input is `{ runId }`; its output is
 * `{ runId, results: { <taskId>: <task result> } }`.
 *
 * @throws InvalidInputError when the plan has no task.
 * @example
 * const { definition, addedEdges } = buildStateMachine(plan, { functionArnOf: (fn) => arn(fn) });
 */
export function buildStateMachine(
  plan: RunPlan,
  options: { form?: StateMachineForm; functionArnOf: (fn: TaskFunctionName) => string },
): GeneratedStateMachine {
  if (plan.tasks.length === 0) throw new InvalidInputError("workflow.tasks", "has no task");
  const form = options.form ?? "seriesParallel";
  const nodes = plan.tasks.map((task) => ({
    id: task.id,
    deps: task.deps,
    durationMs: task.durationMs,
  }));
  const levels: string[][] = [];
  for (const task of plan.tasks) {
    const level = levels[task.level] ?? [];
    level.push(task.id);
    levels[task.level] = level;
  }
  const tree = form === "levels" ? levelsForm(levels) : seriesParallelForm(nodes);
  const tasks = new Map(plan.tasks.map((task) => [task.id, task]));
  const states: Record<string, State> = {
    Init: { Type: "Pass", Result: {}, ResultPath: "$.results" },
  };
  const { first, last } = new AslWriter(tasks, options.functionArnOf).write(tree, states, []);
  states.Init = { ...states.Init, Next: first };
  states[last] = { ...states[last], End: true };
  const durationOf = (id: string): number => tasks.get(id)?.durationMs ?? 0;
  const dagCriticalMs = criticalPath(plan.workflow, (node) => durationOf(node.id)).lengthMs;
  return {
    definition: {
      Comment: `run ${plan.tasks.length} task(s) of a workflow (${form})`,
      StartAt: "Init",
      States: states,
    },
    form,
    addedEdges: addedEdgesOf(tree, nodes),
    structuralDelayMs: Math.max(formCriticalPathMs(tree, durationOf) - dagCriticalMs, 0),
  };
}
