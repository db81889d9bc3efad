import { InvokeCommand, type LambdaClient } from "@aws-sdk/client-lambda";
import type { RunStarter } from "../lib/ports.js";
import { ASYNC_RUN_EVENT, type AsyncRunEvent } from "../lib/runs/asyncRunEvent.js";
import { createLambdaControlPlaneClient } from "./lambdaClient.js";

/**
 * Starts an accepted run by invoking the orchestrator that accepted it again, asynchronously
 * (InvocationType Event): Lambda queues the event and answers 202 at once, and the new invocation
 * has the function's whole timeout. `functionArn` is the ARN this invocation was called by, so a
 * durable orchestrator is invoked through the same alias (durable functions take qualified ARNs).
 * Lambda's own retries of a failed asynchronous invocation are off in the template: the run's
 * record, not a second attempt, says how it ended.
 */
export class LambdaRunStarter implements RunStarter {
  constructor(
    private readonly functionArn: string,
    // Lambda itself: locally a durable orchestrator's default Lambda endpoint is the durable
    // execution service (its checkpoints), which invokes nothing.
    private readonly client: LambdaClient = createLambdaControlPlaneClient(),
  ) {}

  async start(runId: string): Promise<void> {
    const event: AsyncRunEvent = { [ASYNC_RUN_EVENT]: { runId } };
    await this.client.send(
      new InvokeCommand({
        FunctionName: this.functionArn,
        InvocationType: "Event",
        Payload: new TextEncoder().encode(JSON.stringify(event)),
      }),
    );
  }
}
