import type { TransportTimings } from "../ports.js";
import type { TaskFunctionName } from "../tasks/catalog.js";
import type { TaskKind } from "../workflow/types.js";

export const STRATEGIES = ["sequential", "fanout", "queue", "inline"] as const;
export type StrategyName = (typeof STRATEGIES)[number];

export type TaskStatus = "succeeded" | "failed" | "skipped" | "timedOut";

/** One task of a run, as the orchestrator saw it and as the task measured itself. */
export interface TaskReport {
  id: string;
  fn: TaskFunctionName;
  deps: string[];
  kind: TaskKind;
  /** Planned duration after scaling. */
  durationMs: number;
  /** DAG depth: 0 for tasks without deps. */
  level: number;
  status: TaskStatus;
  /** Orchestrator's view: request sent -> response received (epoch ms). */
  invokedAt?: number;
  returnedAt?: number;
  /** Task's own view: body start -> end (epoch ms). */
  startedAt?: number;
  endedAt?: number;
  coldStart?: boolean;
  memoryMb?: number;
  /** Queue strategy only: when the work message was sent, received and completed. */
  transport?: TransportTimings;
  output?: unknown;
  error?: { type: string; message: string };
}

export interface RunReport {
  runId: string;
  strategy: StrategyName;
  status: "succeeded" | "failed";
  /** Why the run failed: the first failing task, or the deadline. */
  error?: { taskId?: string; type: string; message: string };
  scale: number;
  startedAt: number;
  endedAt: number;
  wallMs: number;
  /** Longest path through the DAG weighted with the tasks' own measured durations. */
  criticalPathMs: number;
  criticalPath: string[];
  /** wallMs - criticalPathMs: what orchestration cost on top of the ideal. */
  overheadMs: number;
  /** Number of DAG levels on the critical path (overhead is paid once per level). */
  levels: number;
  coldStarts: number;
  tasks: TaskReport[];
}
