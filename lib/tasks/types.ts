import type { TaskKind } from "../workflow/types.js";
import type { TaskFunctionName } from "./catalog.js";

/** What a task function receives: one node of a run, durations already scaled. */
export interface TaskRequest {
  runId: string;
  taskId: string;
  fn: TaskFunctionName;
  durationMs: number;
  kind: TaskKind;
  /** Outputs of the task's deps, by dep id. */
  inputs: Record<string, unknown>;
  fail?: string;
}

/** The task's own view of its run, measured inside the task body. */
export interface TaskSpan {
  startedAt: number;
  endedAt: number;
}

export interface TaskResult extends TaskSpan {
  output: unknown;
  coldStart: boolean;
  memoryMb?: number;
}
