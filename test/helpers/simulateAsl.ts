/**
 * A tiny Amazon States Language interpreter for exactly the subset buildStateMachine and
 * withTaskFailures write: Pass (Parameters or Result, ResultPath), Task (Parameters, ResultPath,
 * Catch) calling a fake invoke, Parallel (Branches, ResultSelector, ResultPath), Fail (Error,
 * Cause or CausePath), Next/End. JSONPath: `$`, `.name`, `['name']`, `[k]`; a
 * payload template's path may start with `$$` instead, into the context object, of which only
 * `Execution.Input` (the execution's input) is known.
 *
 * It is strict on purpose: an unknown field, a dot name that is not RFC 9535 shorthand (which AWS
 * rejects), or a path that selects nothing (a States.Runtime failure on AWS) throws. Time is
 * virtual: a Task takes the duration the fake invoke reports, Parallel branches start together
 * and the Parallel ends with its slowest branch. An error no Catch takes, or a Fail state, ends
 * the whole execution (inside a Parallel too, as on AWS): simulateAsl throws an
 * AslExecutionFailed with the execution's error and cause.
 */

export interface InvokeCall {
  resource: string;
  payload: unknown;
  /** Virtual time at which the state machine invokes the function. */
  startedAt: number;
}

/** The function's result, or its error as Step Functions sees it (a Lambda's: its errorType, and its error payload as cause). */
export type InvokeOutcome =
  | { result: unknown; durationMs: number }
  | { error: string; cause: string; durationMs: number };

/** How a failed execution ends: StartSyncExecution's `error`, and its `cause` as `errorCause`. */
export class AslExecutionFailed extends Error {
  constructor(
    readonly error: string,
    readonly errorCause: string,
  ) {
    super(`execution failed: ${error}: ${errorCause}`);
    this.name = "AslExecutionFailed";
  }
}

export type FakeInvoke = (call: InvokeCall) => InvokeOutcome;

export interface SimulationResult {
  output: unknown;
  /** Virtual time at which the last state ended (the machine started at 0). */
  endedAt: number;
}

/** One state's run: its output, when it ended, and where a Catch sent it instead of its Next. */
interface StateRun extends SimulationResult {
  caughtTo?: string;
}

type Json = unknown;
type Segment = { kind: "name"; name: string } | { kind: "index"; index: number };

const FIELDS: Record<string, readonly string[]> = {
  Pass: ["Type", "Comment", "Parameters", "Result", "ResultPath", "Next", "End"],
  // Retry: the simulated Lambdas are never throttled, so a retrier never fires here.
  Task: [
    "Type",
    "Comment",
    "Resource",
    "Parameters",
    "ResultPath",
    "Retry",
    "Catch",
    "Next",
    "End",
  ],
  Parallel: ["Type", "Comment", "Branches", "ResultSelector", "ResultPath", "Next", "End"],
  Fail: ["Type", "Comment", "Error", "Cause", "CausePath"],
};
const SHORTHAND = /^[A-Za-z_][A-Za-z0-9_]*/;
const MAX_TRANSITIONS = 10_000;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Parses the JSONPath subset: `$` then `.name`, `['name']` or `[k]` segments. */
export function parsePath(path: string): Segment[] {
  if (!path.startsWith("$")) throw new Error(`not a path: '${path}'`);
  const segments: Segment[] = [];
  let rest = path.slice(1);
  while (rest.length > 0) {
    const dotted = rest.startsWith(".") ? SHORTHAND.exec(rest.slice(1)) : null;
    const quoted = /^\['((?:[^'\\]|\\.)*)'\]/.exec(rest);
    const indexed = /^\[(\d+)\]/.exec(rest);
    if (dotted) {
      segments.push({ kind: "name", name: dotted[0] });
      rest = rest.slice(1 + dotted[0].length);
    } else if (quoted) {
      segments.push({ kind: "name", name: (quoted[1] ?? "").replace(/\\(.)/g, "$1") });
      rest = rest.slice(quoted[0].length);
    } else if (indexed) {
      segments.push({ kind: "index", index: Number(indexed[1]) });
      rest = rest.slice(indexed[0].length);
    } else {
      throw new Error(`unsupported JSONPath '${path}' at '${rest}'`);
    }
  }
  return segments;
}

/** The value `path` selects in `data`; throws, as a States.Runtime error would, when there is none. */
export function selectPath(data: Json, path: string): Json {
  let current: Json = data;
  for (const segment of parsePath(path)) {
    if (segment.kind === "index" && Array.isArray(current) && segment.index < current.length) {
      current = current[segment.index];
    } else if (segment.kind === "name" && isRecord(current) && segment.name in current) {
      current = current[segment.name];
    } else {
      throw new Error(`States.Runtime: '${path}' selects nothing in ${JSON.stringify(data)}`);
    }
  }
  return current;
}

/** The context object, as far as the simulator knows it. */
interface ContextObject {
  Execution: { Input: Json };
}

/**
 * Evaluates a payload template: keys ending in `.$` take the value their path selects, in the
 * state's input (`$...`) or in the context object (`$$...`).
 */
function applyTemplate(template: Json, input: Json, context: ContextObject): Json {
  if (!isRecord(template)) return template;
  return Object.fromEntries(
    Object.entries(template).map(([key, value]) => {
      if (!key.endsWith(".$")) return [key, applyTemplate(value, input, context)];
      if (typeof value !== "string") throw new Error(`'${key}' must hold a path`);
      const selected = value.startsWith("$$")
        ? selectPath(context, value.slice(1))
        : selectPath(input, value);
      return [key.slice(0, -2), selected];
    }),
  );
}

/** Puts `result` at `path` (a reference path of names) in a copy of `input`. */
function applyResultPath(input: Json, result: Json, path: string): Json {
  const segments = parsePath(path);
  if (segments.length === 0) return result;
  const output: Json = structuredClone(input);
  if (!isRecord(output)) throw new Error(`ResultPath '${path}' needs an object input`);
  let target: Record<string, unknown> = output;
  segments.forEach((segment, index) => {
    if (segment.kind !== "name") throw new Error(`ResultPath '${path}' must name fields only`);
    if (index === segments.length - 1) {
      target[segment.name] = result;
      return;
    }
    const next = target[segment.name] ?? {};
    if (!isRecord(next)) throw new Error(`ResultPath '${path}' crosses a non-object`);
    target[segment.name] = next;
    target = next;
  });
  return output;
}

function assertKnownFields(name: string, state: Record<string, unknown>): void {
  const allowed = FIELDS[String(state.Type)];
  if (!allowed) throw new Error(`state '${name}': unsupported Type ${String(state.Type)}`);
  const unknown = Object.keys(state).filter((key) => !allowed.includes(key));
  if (unknown.length > 0) throw new Error(`state '${name}': unsupported ${unknown.join(", ")}`);
  if (state.Type === "Fail") {
    if (typeof state.Error !== "string") throw new Error(`Fail state '${name}' needs an Error`);
    return;
  }
  if ((state.End === true) === (typeof state.Next === "string")) {
    throw new Error(`state '${name}' needs exactly one of Next and End: true`);
  }
}

interface Catcher {
  ErrorEquals: string[];
  ResultPath?: string;
  Next: string;
}

/** The first catcher of a Task's `Catch` that takes `error` (by name, or as `States.ALL`). */
function catcherFor(catchers: unknown, error: string): Catcher | undefined {
  if (catchers === undefined) return undefined;
  if (!Array.isArray(catchers)) throw new Error("Catch must be a list");
  return (catchers as Catcher[]).find(
    (catcher) => catcher.ErrorEquals.includes("States.ALL") || catcher.ErrorEquals.includes(error),
  );
}

class Interpreter {
  private transitions = 0;

  constructor(
    private readonly invoke: FakeInvoke,
    private readonly context: ContextObject,
  ) {}

  /** Runs a machine or branch (`StartAt` and `States`) on `input` from virtual time `at`. */
  run(machine: Json, input: Json, at: number): SimulationResult {
    if (!isRecord(machine) || !isRecord(machine.States) || typeof machine.StartAt !== "string") {
      throw new Error("a machine needs StartAt and States");
    }
    const states = machine.States;
    let name: string = machine.StartAt;
    let data = input;
    let now = at;
    for (;;) {
      this.transitions += 1;
      if (this.transitions > MAX_TRANSITIONS) throw new Error("too many transitions");
      const state = states[name];
      if (!isRecord(state)) throw new Error(`no state named '${name}'`);
      assertKnownFields(name, state);
      const ran = this.runState(state, data, now);
      data = ran.output;
      now = ran.endedAt;
      if (ran.caughtTo !== undefined) name = ran.caughtTo;
      else if (state.End === true) return { output: data, endedAt: now };
      else name = String(state.Next);
    }
  }

  private runState(state: Record<string, unknown>, input: Json, at: number): StateRun {
    const resultPath = typeof state.ResultPath === "string" ? state.ResultPath : "$";
    if (state.Type === "Fail") {
      const cause =
        typeof state.CausePath === "string" ? selectPath(input, state.CausePath) : state.Cause;
      throw new AslExecutionFailed(String(state.Error), String(cause ?? ""));
    }
    if (state.Type === "Pass") {
      const result =
        "Parameters" in state
          ? applyTemplate(state.Parameters, input, this.context)
          : (state.Result ?? input);
      return { output: applyResultPath(input, result, resultPath), endedAt: at };
    }
    if (state.Type === "Task") {
      const payload =
        "Parameters" in state ? applyTemplate(state.Parameters, input, this.context) : input;
      const outcome = this.invoke({ resource: String(state.Resource), payload, startedAt: at });
      const endedAt = at + outcome.durationMs;
      if ("result" in outcome) {
        return { output: applyResultPath(input, outcome.result, resultPath), endedAt };
      }
      const catcher = catcherFor(state.Catch, outcome.error);
      if (!catcher) throw new AslExecutionFailed(outcome.error, outcome.cause);
      const errorOutput = { Error: outcome.error, Cause: outcome.cause };
      return {
        output: applyResultPath(input, errorOutput, catcher.ResultPath ?? "$"),
        endedAt,
        caughtTo: catcher.Next,
      };
    }
    if (!Array.isArray(state.Branches)) throw new Error("a Parallel needs Branches");
    const branches = state.Branches.map((branch: Json) => this.run(branch, input, at));
    const outputs = branches.map((branch) => branch.output);
    const result =
      "ResultSelector" in state
        ? applyTemplate(state.ResultSelector, outputs, this.context)
        : outputs;
    return {
      output: applyResultPath(input, result, resultPath),
      endedAt: Math.max(at, ...branches.map((branch) => branch.endedAt)),
    };
  }
}

/** Runs `definition` on `input` (also `$$.Execution.Input`), invoking `invoke` for each Task state. */
export function simulateAsl(definition: Json, input: Json, invoke: FakeInvoke): SimulationResult {
  const context = { Execution: { Input: structuredClone(input) } };
  return new Interpreter(invoke, context).run(definition, input, 0);
}
