/**
 * The prefix of the error a state machine fails with when a task fails: `TaskFailed:<state>`, the
 * name of the failed Task state (for a generated machine, the task's state key, such as `t3`).
 */
export const TASK_FAILED_ERROR = "TaskFailed:";

type States = Record<string, Record<string, unknown>>;

function isStates(value: unknown): value is States {
  return typeof value === "object" && value !== null;
}

/** Adds the catch-and-fail pair to every Task state of one States map, and of nested branches. */
function addToStates(states: States): States {
  const result: States = {};
  for (const [name, state] of Object.entries(states)) {
    if (state.Type === "Task") {
      result[name] = {
        ...state,
        Catch: [{ ErrorEquals: ["States.ALL"], ResultPath: "$.failure", Next: `${name}.failed` }],
      };
      result[`${name}.failed`] = {
        Type: "Fail",
        Error: `${TASK_FAILED_ERROR}${name}`,
        CausePath: "$.failure.Cause",
      };
    } else if (state.Type === "Parallel" && Array.isArray(state.Branches)) {
      result[name] = {
        ...state,
        Branches: state.Branches.map((branch: { States?: unknown }) => ({
          ...branch,
          States: isStates(branch.States) ? addToStates(branch.States) : branch.States,
        })),
      };
    } else {
      result[name] = state;
    }
  }
  return result;
}

/**
 * Makes a failing task name itself: each Task state catches any error into `$.failure` and goes
 * to a Fail state whose error is `TaskFailed:<state name>` and whose cause is the task's own (for a
 * Lambda task, its `{ errorType, errorMessage }` JSON). A failure inside a Parallel branch fails
 * the branch and the Parallel, so the execution ends with that error: Express workflows keep no
 * execution history to ask afterwards.
 */
export function withTaskFailures<Definition extends { States: object }>(
  definition: Definition,
): Definition {
  return { ...definition, States: addToStates(definition.States as States) };
}
