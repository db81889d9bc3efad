import { LAMBDA_TIMEOUT_MS } from "../runs/runLimits.js";
import { DEFAULT_OUTPUT_BYTES } from "../tasks/catalog.js";
import type { PlannedTask } from "../workflow/plan.js";
import type { HandlerBody, LambdaService, SimulatedFunction } from "./lambdaService.js";

/** The memory and architecture the template gives every function it does not size otherwise. */
export const TEMPLATE_FUNCTION = { memoryMb: 1024, architecture: "arm64" } as const;

/**
 * What the forecast knows of a user's own function: its work, from its duration as measured (a
 * REPORT line, or the execution's times) and the CPU it had then, its memory and its output's
 * size. The work is treated as CPU-bound: with less CPU per environment it takes longer.
 */
export interface OwnFunctionFacts {
  /** ms of a full core: the measured duration times the share of a core it ran with. */
  workMs: number;
  memoryMb: number;
  architecture: "arm64" | "x86_64";
  bytesOut: number;
  /** Where the duration comes from (a report's REPORT lines, or an assumption). */
  source: string;
}

/**
 * How long a task Lambda runs after its handler started, past which it is timed out: the
 * template gives the task functions Lambda's longest, so a task may run up to 15 minutes.
 */
export const TASK_FUNCTION_TIMEOUT_MS = LAMBDA_TIMEOUT_MS;

/** The simulated function a task runs in: its built-in task function, or the user's own. */
export function functionOfTask(
  task: PlannedTask,
  own: ReadonlyMap<string, OwnFunctionFacts>,
): SimulatedFunction {
  if (task.function !== undefined) {
    const facts = own.get(task.id);
    return {
      name: task.function,
      role: "task",
      memoryMb: facts?.memoryMb ?? TEMPLATE_FUNCTION.memoryMb,
      architecture: facts?.architecture ?? TEMPLATE_FUNCTION.architecture,
    };
  }
  return { name: task.fn ?? "task", role: "task", ...TEMPLATE_FUNCTION };
}

/** The size of what a task returns. */
export function outputBytesOf(
  task: PlannedTask,
  own: ReadonlyMap<string, OwnFunctionFacts>,
): number {
  return task.function !== undefined
    ? (own.get(task.id)?.bytesOut ?? DEFAULT_OUTPUT_BYTES)
    : (task.outputBytes ?? DEFAULT_OUTPUT_BYTES);
}

/**
 * A task's work inside whatever runs it (its own Lambda, the queue worker, the inline
 * orchestrator): `io` waits its planned time; `cpu` burns a core for its planned time (and holds
 * the environment's one thread); an own function does its measured work, at the CPU it gets; a
 * `crash` fault on the first attempt ends the environment half-way; a `hang` runs to the
 * function's timeout; `fail` fails after the work.
 */
export function taskWork(
  lambda: LambdaService,
  task: PlannedTask,
  attempt: number,
  own: ReadonlyMap<string, OwnFunctionFacts>,
  memoryMb: number,
): HandlerBody {
  return (handler, finish) => {
    const simulation = lambda.simulation;
    if (task.fault === "crash" && attempt === 0) {
      simulation.after(task.durationMs / 2, () => finish({ crashed: true }));
      return;
    }
    if (task.fault === "hang" && attempt === 0) {
      simulation.after(TASK_FUNCTION_TIMEOUT_MS, () => finish({ failed: true }));
      return;
    }
    const end = () => finish(task.fail ? { failed: true } : {});
    const facts = task.function !== undefined ? own.get(task.id) : undefined;
    if (task.function !== undefined) {
      // On the local stack, part of the measured time is the function's calls into the stack.
      const workMs = facts?.workMs ?? 0;
      const callsShare = lambda.parameters.stack?.ownFunctionCallsShare?.value ?? 0;
      const ownCpu = () => lambda.cpu.work(workMs * (1 - callsShare), memoryMb, end);
      if (lambda.ownFunctionCalls && callsShare > 0) {
        lambda.ownFunctionCalls.work(workMs * callsShare, memoryMb, ownCpu);
      } else ownCpu();
      return;
    }
    if (task.kind === "cpu") {
      // Node runs one thing at a time: a burning task holds the environment's thread.
      let stop = () => {};
      handler.environment.thread.hold(
        task.durationMs,
        () => {
          stop();
          end();
        },
        () => {
          stop = lambda.cpu.startBurn();
        },
      );
      return;
    }
    simulation.after(task.durationMs, end);
  };
}
