import type { TaskFunctionName } from "../tasks/catalog.js";
import type { Workflow } from "./types.js";

/**
 * `n` tasks one after another (t0 -> t1 -> ...), each lasting `durationMs`: the shape whose
 * overhead is paid once per level, what the benchmarks and the forecast's checks measure.
 */
export function chainWorkflow(
  n: number,
  durationMs: number,
  fn: TaskFunctionName = "writeLog",
): Workflow {
  return {
    tasks: Array.from({ length: n }, (_, index) => ({
      id: `t${index}`,
      fn,
      deps: index === 0 ? [] : [`t${index - 1}`],
      durationMs,
    })),
  };
}

/** `n` independent tasks (t0, t1, ...), each lasting `durationMs`: one level as wide as it gets. */
export function wideWorkflow(
  n: number,
  durationMs: number,
  fn: TaskFunctionName = "writeLog",
): Workflow {
  return {
    tasks: Array.from({ length: n }, (_, index) => ({ id: `t${index}`, fn, deps: [], durationMs })),
  };
}
