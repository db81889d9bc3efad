import { createHash } from "node:crypto";
import type { Clock } from "../ports.js";
import type { TaskFunctionName } from "./catalog.js";
import type { TaskRequest, TaskSpan } from "./types.js";

type TaskBody = (inputs: Record<string, unknown>) => unknown;

/** What each task function returns once its work is done: the one implementation of each task. */
const TASK_BODIES: Record<TaskFunctionName, TaskBody> = {
  queryData: () => "data",
  processData: (inputs) => {
    const received = Object.keys(inputs)
      .sort()
      .map((dep) => (typeof inputs[dep] === "string" ? inputs[dep] : JSON.stringify(inputs[dep])));
    return `processed(${received.join(",")})`;
  },
  writeLog: () => "logged",
};

/** Keeps the CPU busy until `ms` have passed: the `cpu` kind, which only more CPUs can speed up. */
function burnCpu(ms: number, clock: Clock): void {
  const until = clock.now() + ms;
  let digest = Buffer.alloc(32);
  while (clock.now() < until) {
    for (let round = 0; round < 1000; round += 1) {
      digest = createHash("sha256").update(digest).digest();
    }
  }
}

/**
 * Does a task's work (`io`: waits without the CPU; `cpu`: burns it) and returns its output with
 * the span measured inside the body. Throws when the node asks to fail.
 */
export async function runTask(
  request: TaskRequest,
  clock: Clock,
): Promise<TaskSpan & { output: unknown }> {
  const startedAt = clock.now();
  if (request.kind === "cpu") burnCpu(request.durationMs, clock);
  else await clock.sleep(request.durationMs);
  if (request.fail) throw new Error(request.fail);
  const output = TASK_BODIES[request.fn](request.inputs);
  return { output, startedAt, endedAt: clock.now() };
}
