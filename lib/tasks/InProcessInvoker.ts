import { describeError, TaskFailedError } from "../errors.js";
import type { Clock, InvocationOutcome, TaskInvoker } from "../ports.js";
import { runTask } from "./runTask.js";
import type { TaskRequest } from "./types.js";

/** Runs task bodies as promises in this process: the `inline` strategy (asyncio's create_task). */
export class InProcessInvoker implements TaskInvoker {
  constructor(private readonly clock: Clock) {}

  async invoke(request: TaskRequest): Promise<InvocationOutcome> {
    // The tasks' environment is the orchestrator's own: a killed or stuck one would be the run.
    // The API refuses such a run before it starts (lib/ownFunctions/applicability.ts); this stops
    // a caller that planned one without it from killing its own process.
    if (request.fault) {
      throw new TaskFailedError(
        request.taskId,
        "FaultNotApplicable",
        `inline runs tasks in the orchestrator's own process: a '${request.fault}' fault would take the whole run with it`,
      );
    }
    try {
      const span = await runTask(request, this.clock);
      // The orchestrator is already warm and in-process: no cold start to pay.
      return { ...span, coldStart: false };
    } catch (error) {
      const { type, message } = describeError(error);
      throw new TaskFailedError(request.taskId, type, message, { cause: error });
    }
  }
}
