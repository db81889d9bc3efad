/** The task functions a workflow may name in `fn`: each is deployed as its own Lambda. */
export const TASK_FUNCTIONS = ["queryData", "processData", "writeLog"] as const;
export type TaskFunctionName = (typeof TASK_FUNCTIONS)[number];

export const DEFAULT_TASK_DURATION_MS = 2000;
export const MAX_TASK_DURATION_MS = 10_000;
/** A run request may stretch every duration by up to this factor. */
export const MAX_SCALE = 10;
