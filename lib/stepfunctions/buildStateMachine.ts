/**
 * Generates the state machine of a run (buildStateMachine, at the end). Longer than the others
 * (~450 lines) for a reason: one StateEmitter writes every state, and its parts (Task states for
 * built-in and own functions, Parallel states, the chain) share its names and state keys; the
 * ASL types are in asl.ts, the series-parallel search in seriesParallel.ts.
 */
import { InvalidInputError } from "../errors.js";
import { inputsKeyOf } from "../ownFunctions/functionEvent.js";
import { isOwnFunctionTask, type OwnFunctionTask } from "../ownFunctions/ownFunctions.js";
import type { TaskFunctionName } from "../tasks/catalog.js";
import type { TaskRequest } from "../tasks/types.js";
import { criticalPath } from "../workflow/dag.js";
import { asBuiltInTask, type PlannedTask, type RunPlan } from "../workflow/plan.js";
import {
  type AslBranch,
  type AslDefinition,
  type AslParallelBody,
  type AslPassState,
  type AslRetrier,
  type AslState,
  type AslStateBody,
  type AslTaskBody,
  type PayloadTemplate,
  THROTTLE_RETRY,
} from "./asl.js";
import { memberSegment } from "./jsonPath.js";

import {
  addedEdgesOf,
  formCriticalPathMs,
  levelsForm,
  seriesParallelForm,
  tasksOf,
} from "./seriesParallel.js";
import type { AddedEdge, SpNode, SpTree } from "./seriesParallelGraph.js";

/**
 * How the DAG becomes nested Parallel states: `seriesParallel` (the default) adds as few false
 * dependencies as it can; `levels` runs level after level, each waiting for the slowest task of
 * the one before (simple, and the baseline that shows what the SP search saves).
 */
export type StateMachineForm = "seriesParallel" | "levels";

/**
 * A task's own `retries`: Step Functions' Retry on its Task state, any error, a second apart. The
 * attempt it is on reaches the task as `$$.State.RetryCount` (a fault strikes the first only).
 */
function retriesOf(task: PlannedTask): AslRetrier[] {
  if (task.retries === 0) return [THROTTLE_RETRY];
  return [
    THROTTLE_RETRY,
    {
      ErrorEquals: ["States.ALL"],
      IntervalSeconds: 1,
      BackoffRate: 1,
      MaxAttempts: task.retries,
      JitterStrategy: "NONE",
    },
  ];
}

/**
 * One task's own values, which its Task state reads from the execution input: everything of its
 * request but `fn` (baked in: it selects the Lambda), the run id and the inputs themselves, plus
 * `inputIds`, the task id of each dep by its state key.
 */
export type TaskValues = Pick<TaskRequest, "taskId" | "durationMs" | "kind" | "fault"> & {
  outputBytes?: number;
  fail?: string;
  inputIds?: Record<string, string>;
};

/** What an execution of a generated machine starts from: `tasks` holds each task's values by state key. */
export type ExecutionInput = { runId: string; tasks: Record<string, TaskValues> };

export interface GeneratedStateMachine {
  /** The same text for every workflow of the same shape (see {@link buildStateMachine}). */
  definition: AslDefinition;
  /** The execution input that runs this plan on `definition`. */
  input: ExecutionInput;
  /**
   * Each task's state key by task id: the name of its Task state (so of the `TaskFailed:<key>`
   * error it fails with, see withTaskFailures) and its key under the output's `results`.
   */
  stateKeys: ReadonlyMap<string, string>;
  form: StateMachineForm;
  /**
   * Dependencies the generated form adds to the DAG (task `to` now also waits for `from`), in a
   * stable order: the covering edges of the form that the DAG does not imply ({@link addedEdgesOf}).
   */
  addedEdges: AddedEdge[];
  /**
   * Critical path of the generated form minus the DAG's own, both from the planned durations
   * (ms). 0 when nothing was added (and possibly when something was: a false edge off the
   * critical path is free).
   */
  structuralDelayMs: number;
}

export interface BuildStateMachineOptions {
  form?: StateMachineForm;
  /** The ARN of the Lambda that runs task function `fn`: Task states invoke it directly. */
  functionArnOf: (fn: TaskFunctionName) => string;
}

/** Task ids as the workflow schema allows them (they travel as data, never in a path or a name). */
const TASK_ID = /^[A-Za-z0-9_-]+$/;

/** Refuses a plan the machine cannot be built from: empty, or ids that are not the plan's. */
function assertBuildable(plan: RunPlan): void {
  if (plan.tasks.length === 0) {
    throw new InvalidInputError("plan.tasks", "is empty: nothing to run");
  }
  const ids = new Set<string>();
  plan.tasks.forEach((task, index) => {
    if (!TASK_ID.test(task.id)) {
      throw new InvalidInputError(`plan.tasks[${index}].id`, "use letters, digits, '_' or '-'");
    }
    if (ids.has(task.id)) {
      throw new InvalidInputError(`plan.tasks[${index}].id`, `duplicate id '${task.id}'`);
    }
    ids.add(task.id);
  });
  plan.tasks.forEach((task, index) => {
    task.deps.forEach((dep, depIndex) => {
      if (!ids.has(dep)) {
        throw new InvalidInputError(
          `plan.tasks[${index}].deps[${depIndex}]`,
          `unknown task '${dep}'`,
        );
      }
    });
  });
}

/** Tasks grouped by `PlannedTask.level`, lowest level first, each group in plan order. */
function tasksByLevel(tasks: readonly PlannedTask[]): string[][] {
  const levels: string[][] = [];
  for (const task of tasks) {
    const level = levels[task.level] ?? [];
    level.push(task.id);
    levels[task.level] = level;
  }
  return levels.filter((level) => level.length > 0);
}

type ParallelTree = Extract<SpTree, { kind: "parallel" }>;
type Step = Extract<SpTree, { kind: "task" }> | ParallelTree;

/** What runs one after the other in `tree`: the tree itself, or a series' steps, flattened. */
function steps(tree: SpTree): Step[] {
  return tree.kind === "series" ? tree.children.flatMap(steps) : [tree];
}

/** The state key of the task at `index` in plan order: its Task state's name, its `results` key. */
const stateKeyAt = (index: number): string => `t${index}`;

/** Where a task's own values are: its entry in the execution input, read through the context. */
const taskValuesPath = (key: string): string => `$$.Execution.Input.tasks${memberSegment(key)}`;

/** Everything that emitting states needs to share: the plan's tasks and the names in use. */
class StateEmitter {
  private readonly taskById: Map<string, PlannedTask>;
  private readonly keyById: Map<string, string>;
  private readonly names: Set<string>;
  private parallels = 0;

  constructor(
    tasks: readonly PlannedTask[],
    private readonly functionArnOf: (fn: TaskFunctionName) => string,
  ) {
    this.taskById = new Map(tasks.map((task) => [task.id, task]));
    this.keyById = new Map(tasks.map((task, index) => [task.id, stateKeyAt(index)]));
    // Task states are named by their state keys: reserve those names before any other.
    this.names = new Set(this.keyById.values());
  }

  /** `base`, or `base_2`, `base_3`... when a task (or another state) already has that name. */
  uniqueName(base: string): string {
    let name = base;
    for (let suffix = 2; this.names.has(name); suffix += 1) name = `${base}_${suffix}`;
    this.names.add(name);
    return name;
  }

  keyOf(id: string): string {
    const key = this.keyById.get(id);
    if (key === undefined) throw new Error(`task '${id}' is not in the plan`);
    return key;
  }

  /**
   * The states that run `items` one after the other, chained with Next, the last one ending its
   * branch. `known` lists the tasks whose results are already under `$.results` before the first.
   */
  chain(items: readonly SpTree[], known: readonly string[]): Array<[string, AslState]> {
    let results = [...known];
    const bodies = items.flatMap(steps).flatMap((step): Array<[string, AslStateBody]> => {
      const emitted =
        step.kind === "task" ? this.taskStates(step.id) : [this.parallelState(step, results)];
      results = [...results, ...tasksOf(step)];
      return emitted;
    });
    return bodies.map(([name, body], index): [string, AslState] => {
      const next = bodies[index + 1];
      return [name, { ...body, ...(next ? { Next: next[0] } : { End: true as const }) }];
    });
  }

  /**
   * Invokes the task's Lambda with its task request. Only what selects the Lambda (`fn`) and
   * which optional fields the request has are written here; every value is read from the task's
   * entry in the execution input, `runId` from the state and each dep's output from `$.results`,
   * keyed by the dep's state key with `inputIds` naming its task (the task Lambda's schema puts
   * the inputs back under the deps' ids). The whole task result (output, span, billing) lands
   * under `$.results.<key>`.
   */
  private taskStates(id: string): Array<[string, AslStateBody]> {
    const task = this.taskById.get(id);
    if (!task) throw new Error(`task '${id}' is not in the plan`);
    return isOwnFunctionTask(task) ? this.ownFunctionStates(task) : [this.taskState(task)];
  }

  /**
   * Invokes a user's own function with its event: the node's payload (in the definition, as
   * literal Parameters) and the deps' outputs by dep id under its inputs key. Step Functions
   * records no REPORT line: the Task state notes when it was entered, and a Pass state after it
   * when the answer came, both the execution's own clock (`$$.State.EnteredTime`).
   */
  private ownFunctionStates(task: OwnFunctionTask): Array<[string, AslStateBody]> {
    const key = this.keyOf(task.id);
    const inputsKey = inputsKeyOf(task);
    const inputs: PayloadTemplate = Object.fromEntries(
      task.deps.map((dep) => [`${dep}.$`, `$.results${memberSegment(this.keyOf(dep))}.output`]),
    );
    const result = `$.results${memberSegment(key)}`;
    return [
      [
        key,
        {
          Type: "Task",
          Resource: task.configuration?.arn ?? task.function,
          Parameters: {
            ...literalParameters(task.payload ?? {}),
            ...(inputsKey === null ? {} : { [inputsKey]: inputs }),
          },
          ResultSelector: {
            "output.$": "$",
            "startedAt.$": "$$.State.EnteredTime",
            ...(task.retries > 0 ? { "retryCount.$": "$$.State.RetryCount" } : {}),
          },
          ResultPath: result,
          Retry: retriesOf(task),
        },
      ],
      [
        this.uniqueName(`${key}_answered`),
        {
          Type: "Pass",
          Parameters: { "at.$": "$$.State.EnteredTime" },
          ResultPath: `${result}.endedAt`,
        },
      ],
    ];
  }

  private taskState(builtIn: PlannedTask): [string, AslTaskBody] {
    const task = asBuiltInTask(builtIn);
    const id = task.id;
    const key = this.keyOf(id);
    const values = taskValuesPath(key);
    // In plan order, not declaration order: the same deps always make the same definition.
    const depKeys = task.deps.map((dep) => this.keyOf(dep)).sort(byStateKey);
    const inputs: PayloadTemplate = Object.fromEntries(
      depKeys.map((depKey) => [`${depKey}.$`, `$.results${memberSegment(depKey)}.output`]),
    );
    const parameters: PayloadTemplate = {
      "taskId.$": `${values}.taskId`,
      fn: task.fn,
      "durationMs.$": `${values}.durationMs`,
      "kind.$": `${values}.kind`,
      // A path to a missing field fails the execution: whether a field is sent is the shape's.
      ...(task.outputBytes === undefined ? {} : { "outputBytes.$": `${values}.outputBytes` }),
      ...(task.fail ? { "fail.$": `${values}.fail` } : {}),
      ...(task.fault ? { "fault.$": `${values}.fault` } : {}),
      ...(task.fault || task.retries > 0 ? { "attempt.$": "$$.State.RetryCount" } : {}),
      "runId.$": "$.runId",
      inputs,
      ...(depKeys.length === 0 ? {} : { "inputIds.$": `${values}.inputIds` }),
    };
    return [
      key,
      {
        Type: "Task",
        Resource: this.functionArnOf(task.fn),
        Parameters: parameters,
        ResultPath: `$.results${memberSegment(key)}`,
        Retry: retriesOf(task),
      },
    ];
  }

  /**
   * Runs each child of a parallel form as a branch. Every branch receives the whole state and
   * returns its own, so the Parallel's output is an array of states; the ResultSelector merges it
   * back into one `{ runId, results }` listing every result known after it: those known before
   * from branch 0 (each branch carries them), those a branch produced from that branch.
   */
  private parallelState(tree: ParallelTree, known: readonly string[]): [string, AslParallelBody] {
    this.parallels += 1;
    const name = this.uniqueName(`Parallel_${this.parallels}`);
    const branches = tree.children.map((child): AslBranch => {
      const states = this.chain([child], known);
      return { StartAt: states[0]?.[0] ?? "", States: Object.fromEntries(states) };
    });
    const selected = (branch: number, id: string): [string, string] => {
      const key = this.keyOf(id);
      return [`${key}.$`, `$[${branch}].results${memberSegment(key)}`];
    };
    const merged: Array<[string, string]> = [
      ...known.map((id) => selected(0, id)),
      ...tree.children.flatMap((child, branch) => tasksOf(child).map((id) => selected(branch, id))),
    ];
    return [
      name,
      {
        Type: "Parallel",
        Branches: branches,
        ResultSelector: { "runId.$": "$[0].runId", results: Object.fromEntries(merged) },
        ResultPath: "$",
      },
    ];
  }
}

/**
 * A payload as literal Parameters: JSONPath would read any key ending in `.$` as a path, so such
 * a key is refused rather than sent as something else.
 */
function literalParameters(payload: Record<string, unknown>): PayloadTemplate {
  const check = (value: unknown, path: string): void => {
    if (Array.isArray(value)) {
      for (const [index, item] of value.entries()) check(item, `${path}[${index}]`);
    } else if (value && typeof value === "object") {
      for (const [name, item] of Object.entries(value)) {
        if (name.endsWith(".$")) {
          throw new InvalidInputError(
            `${path}.${name}`,
            "ends in '.$', which Step Functions reads as a path: rename it for this strategy",
          );
        }
        check(item, `${path}.${name}`);
      }
    }
  };
  check(payload, "payload");
  return payload as PayloadTemplate;
}

/** Orders state keys by plan position (`t2` before `t10`). */
function byStateKey(a: string, b: string): number {
  return Number(a.slice(1)) - Number(b.slice(1));
}

/** The whole machine: `Init` shapes the input into `{ runId, results: {} }`, then the form runs. */
function definitionOf(
  plan: RunPlan,
  tree: SpTree,
  emitter: StateEmitter,
  form: StateMachineForm,
): AslDefinition {
  const init = emitter.uniqueName("Init");
  const states = emitter.chain([tree], []);
  const first = states[0]?.[0] ?? "";
  const initState: AslPassState = {
    Type: "Pass",
    // Parameters rather than Result + ResultPath: whatever else the input holds (the tasks'
    // values, read through the context object) is dropped, so the state and the machine's
    // output stay exactly `{ runId, results }`.
    Parameters: { "runId.$": "$.runId", results: {} },
    Next: first,
  };
  return {
    Comment: `Runs ${plan.tasks.length} task(s) as a ${form} form of the workflow's DAG`,
    StartAt: init,
    States: Object.fromEntries([[init, initState], ...states]),
  };
}

/** The execution input that runs `plan` on its definition: the run id and each task's values. */
function executionInputOf(plan: RunPlan, emitter: StateEmitter): ExecutionInput {
  const tasks = plan.tasks.map((task): [string, TaskValues] => {
    const inputIds = Object.fromEntries(task.deps.map((dep) => [emitter.keyOf(dep), dep]));
    return [
      emitter.keyOf(task.id),
      {
        taskId: task.id,
        durationMs: task.durationMs,
        kind: task.kind,
        ...(task.outputBytes === undefined ? {} : { outputBytes: task.outputBytes }),
        ...(task.fail ? { fail: task.fail } : {}),
        ...(task.fault ? { fault: task.fault } : {}),
        ...(task.deps.length === 0 ? {} : { inputIds }),
      },
    ];
  });
  return { runId: plan.runId, tasks: Object.fromEntries(tasks) };
}

/**
 * Generates the Step Functions (Express, JSONPath) state machine that runs `plan`'s DAG with
 * Task states that invoke each task's Lambda directly and nested Parallel states. Parallel
 * states only express series-parallel graphs, so the DAG is first turned into an SP form
 * ({@link seriesParallelForm}, or one stage per level); the dependencies that adds and what they
 * cost in critical path are returned with the definition. Only a throttled invoke is retried
 * (THROTTLE_RETRY) and there are no timeouts: a failed Lambda fails the execution at once, and
 * the caller owns the time limits.
 *
 * The definition depends on the workflow's shape only: the DAG's form, each task's `fn` and
 * which optional fields it sets. Task ids and every other value of a task travel in the
 * execution input ({@link GeneratedStateMachine.input}), states and results are named by state
 * keys (`t0`, `t1`... in plan order), so every workflow of one shape runs on one state machine.
 * Output: `{ runId, results: { <state key>: <task result> } }`.
 */
export function buildStateMachine(
  plan: RunPlan,
  options: BuildStateMachineOptions,
): GeneratedStateMachine {
  assertBuildable(plan);
  const form = options.form ?? "seriesParallel";
  const nodes: SpNode[] = plan.tasks.map((task) => ({
    id: task.id,
    deps: task.deps,
    durationMs: task.durationMs,
  }));
  const tree = form === "levels" ? levelsForm(tasksByLevel(plan.tasks)) : seriesParallelForm(nodes);
  const durationOf = new Map(plan.tasks.map((task) => [task.id, task.durationMs]));
  const dagPathMs = criticalPath(
    { tasks: plan.tasks },
    (task) => durationOf.get(task.id) ?? 0,
  ).lengthMs;
  const formPathMs = formCriticalPathMs(tree, (id) => durationOf.get(id) ?? 0);
  const emitter = new StateEmitter(plan.tasks, options.functionArnOf);
  return {
    definition: definitionOf(plan, tree, emitter, form),
    input: executionInputOf(plan, emitter),
    stateKeys: new Map(plan.tasks.map((task) => [task.id, emitter.keyOf(task.id)])),
    form,
    addedEdges: addedEdgesOf(tree, nodes),
    structuralDelayMs: formPathMs - dagPathMs,
  };
}
