/** The task functions a workflow may name in `fn`: each is deployed as its own Lambda. */
export const TASK_FUNCTIONS = ["queryData", "processData", "writeLog"] as const;
export type TaskFunctionName = (typeof TASK_FUNCTIONS)[number];

/** `io` waits without the CPU; `cpu` burns it for the task's duration. */
export const TASK_KINDS = ["io", "cpu"] as const;

export const DEFAULT_TASK_DURATION_MS = 2000;
/**
 * Lambda's longest invocation: a task's planned duration, before `scale`. What a run can really
 * hold is checked against the plan when it is accepted (lib/runs/runLimits.ts): the synchronous
 * request's 27.5 s, an orchestrator's 15 minutes, the queue worker's timeout.
 */
export const MAX_TASK_DURATION_MS = 15 * 60_000;
/** A run request may stretch every duration by up to this factor. */
export const MAX_SCALE = 10;

/** queryData's record set when a node does not set `outputBytes`: a couple of records. */
export const DEFAULT_OUTPUT_BYTES = 256;
/**
 * The largest record set a node may ask for: above Lambda's 6 MB response limit on purpose, so a
 * user can watch each strategy refuse what its platform cannot carry.
 */
export const MAX_OUTPUT_BYTES = 8 * 1024 * 1024;

/**
 * Faults a built-in task can inject on its first attempt only, so that a retry can recover:
 * `crash` kills its execution environment half-way through, `hang` runs past its function's
 * timeout. What a killed or stuck Lambda does to each strategy is then measured, not assumed.
 */
export const TASK_FAULTS = ["crash", "hang"] as const;
export type TaskFault = (typeof TASK_FAULTS)[number];

/**
 * A fault of the run's orchestrator itself: `crash` kills its execution environment once, after
 * the run's first task has completed (or, where the orchestrator is not told of each task, after
 * the first task's planned time): what each strategy then does with the run is measured.
 */
export const ORCHESTRATOR_FAULTS = ["crash"] as const;
