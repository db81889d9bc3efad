import { createHash } from "node:crypto";
import type { Clock } from "../ports.js";
import { DEFAULT_OUTPUT_BYTES, type TaskFault, type TaskFunctionName } from "./catalog.js";
import { jsonDigest } from "./jsonDigest.js";
import { buildRecordSet } from "./recordSet.js";
import type { TaskRequest, TaskSpan } from "./types.js";

type TaskBody = (request: TaskRequest) => unknown;

/** What processData derives from all of its inputs: enough to prove they arrived whole. */
export interface ProcessedData {
  /** Records received, over all deps (a dep whose output is not a list counts as one). */
  count: number;
  /** JSON bytes received, over all deps. */
  bytes: number;
  /** sha256 of each dep's output as received: compare with that dep's `outputDigest`. */
  digests: Record<string, string>;
}

function processInputs(inputs: Record<string, unknown>): ProcessedData {
  const deps = Object.keys(inputs).sort();
  return {
    count: deps.reduce((sum, dep) => {
      const input = inputs[dep];
      return sum + (Array.isArray(input) ? input.length : 1);
    }, 0),
    bytes: deps.reduce((sum, dep) => sum + Buffer.byteLength(JSON.stringify(inputs[dep]) ?? ""), 0),
    digests: Object.fromEntries(deps.map((dep) => [dep, jsonDigest(inputs[dep])])),
  };
}

/** What each task function returns once its work is done: the one implementation of each task. */
const TASK_BODIES: Record<TaskFunctionName, TaskBody> = {
  queryData: (request) =>
    buildRecordSet(request.runId, request.outputBytes ?? DEFAULT_OUTPUT_BYTES),
  processData: (request) => processInputs(request.inputs),
  writeLog: () => "logged",
};

/** What a fault does to the execution environment a task runs in. */
export interface TaskEnvironment {
  /** Ends the environment at once, as a crash or an out-of-memory kill would. */
  crash(): never;
}

/**
 * A Lambda's environment is its process (a worker thread under the local thread executor, where
 * process.exit ends only that thread): exiting is what Lambda sees as Runtime.ExitError. A task's
 * injected crash and an orchestrator's (functions/http/createRunHandler.ts) both end it so.
 */
export const LAMBDA_ENVIRONMENT: TaskEnvironment = {
  crash: () => process.exit(70),
};

/** `crash` half-way through the task; `hang`: never done, until the platform's timeout ends it. */
async function injectFault(
  fault: TaskFault,
  durationMs: number,
  clock: Clock,
  environment: TaskEnvironment,
): Promise<void> {
  if (fault === "crash") {
    await clock.sleep(durationMs / 2);
    environment.crash();
  }
  await new Promise<never>(() => {});
}

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
  environment: TaskEnvironment = LAMBDA_ENVIRONMENT,
): Promise<TaskSpan & { output: unknown }> {
  const startedAt = clock.now();
  if (request.fault && (request.attempt ?? 0) === 0) {
    await injectFault(request.fault, request.durationMs, clock, environment);
  }
  if (request.kind === "cpu") burnCpu(request.durationMs, clock);
  else await clock.sleep(request.durationMs);
  if (request.fail) throw new Error(request.fail);
  const output = TASK_BODIES[request.fn](request);
  return { output, startedAt, endedAt: clock.now() };
}
