import { InvokeCommand, LambdaClient, StopDurableExecutionCommand } from "@aws-sdk/client-lambda";
import { ListQueuesCommand, SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, inject, it } from "vitest";
import { type RunRecord, runRecordSchema } from "../../lib/runs/record.js";
import { STRATEGIES, type StrategyName } from "../../lib/strategies/names.js";
import type { RunSweepSummary } from "../../lib/sweeper/sweepRunRecords.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { LOCAL_STACK_NAME } from "../../localEnvironment/settings.js";

/**
 * The orchestrator's own death, under every strategy: `orchestratorFault: "crash"` exits its
 * environment once the first task has completed. The Lambda orchestrators' runs are lost with
 * it and must end recorded as failed, with the reason, by the record sweeper; the durable run is
 * replayed in a new environment and succeeds. The sweeper is invoked here with `aheadSeconds`,
 * as if its heartbeat check came a minute later: the schedule (every minute) is not waited out.
 */
const apiUrl = inject("apiUrl");
const headers = { "x-api-key": inject("apiKey"), "Content-Type": "application/json" };
const clientOptions = localClientOptions();
const lambda = new LambdaClient({ ...clientOptions, maxAttempts: 1 });
const sqs = new SQSClient(clientOptions);
const REPLY_PREFIX = inject("replyQueuePrefix");
/** AWS's local durable execution service: where a durable execution is stopped from outside. */
const durableService = new LambdaClient({
  ...clientOptions,
  endpoint: `http://127.0.0.1:${process.env.LAB_DEX_PORT ?? "4567"}`,
  maxAttempts: 1,
});

const workflow = {
  orchestratorFault: "crash",
  tasks: [
    { id: "first", fn: "queryData", durationMs: 300 },
    { id: "second", fn: "processData", deps: ["first"], durationMs: 300 },
  ],
};

async function record(runId: string): Promise<RunRecord | undefined> {
  const response = await fetch(`${apiUrl}/runs/${runId}`, { headers });
  return response.ok ? runRecordSchema.parse(await response.json()) : undefined;
}

async function sweep(aheadSeconds: number): Promise<RunSweepSummary> {
  const response = await lambda.send(
    new InvokeCommand({
      FunctionName: `${LOCAL_STACK_NAME}-runRecordSweeper`,
      Payload: JSON.stringify({ aheadSeconds }),
    }),
  );
  const payload = JSON.parse(new TextDecoder().decode(response.Payload));
  if (response.FunctionError) throw new Error(`the sweeper failed: ${JSON.stringify(payload)}`);
  return payload as RunSweepSummary;
}

/** The record once it stops changing state for `quietMs` or has ended, at most `timeoutMs`. */
async function settled(runId: string, timeoutMs: number): Promise<RunRecord | undefined> {
  const giveUpAt = Date.now() + timeoutMs;
  let last: RunRecord | undefined;
  while (Date.now() < giveUpAt) {
    last = await record(runId);
    if (last?.status === "succeeded" || last?.status === "failed") return last;
    if (last?.orchestratorCrashedAt !== undefined && Date.now() - last.orchestratorCrashedAt > 5000)
      return last;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  return last;
}

describe("The orchestrator's death, on the local stack", () => {
  it("ends every run recorded: the Lambda orchestrators' failed with the reason, durable's replayed to success", async () => {
    const stamp = Date.now();
    const runIds = new Map<StrategyName, string>(
      STRATEGIES.map((strategy) => [strategy, `it-death-${strategy}-${stamp}`]),
    );
    const accepted = await Promise.all(
      STRATEGIES.map((strategy) =>
        fetch(`${apiUrl}/runs/${strategy}`, {
          method: "POST",
          headers: { ...headers, Prefer: "respond-async" },
          body: JSON.stringify({ runId: runIds.get(strategy), workflow }),
        }).then((response) => response.status),
      ),
    );
    const afterCrash = await Promise.all(
      STRATEGIES.map((strategy) => settled(runIds.get(strategy) ?? "", 60_000)),
    );

    const summary = await sweep(120);
    const final = await Promise.all(
      STRATEGIES.map((strategy) => record(runIds.get(strategy) ?? "")),
    );

    expect(accepted).toEqual(STRATEGIES.map(() => 202));
    for (const [index, strategy] of STRATEGIES.entries()) {
      const before = afterCrash[index];
      const after = final[index];
      expect(before?.orchestratorCrashedAt, `${strategy} crashed`).toBeDefined();
      if (strategy === "durable") {
        expect(after?.status, "durable carries on").toBe("succeeded");
        continue;
      }
      expect(before?.status, `${strategy} was left running`).toBe("running");
      expect(after, strategy).toMatchObject({
        status: "failed",
        error: { type: "OrchestratorLost", message: expect.stringMatching(/environment exited/) },
      });
    }
    expect(summary.failed).toBeGreaterThanOrEqual(STRATEGIES.length - 1);
    const { QueueUrls = [] } = await sqs.send(
      new ListQueuesCommand({ QueueNamePrefix: `${REPLY_PREFIX}it-death-queue-${stamp}` }),
    );
    expect(QueueUrls, "the lost queue run's reply queue").toEqual([]);
  }, 150_000);

  it("ends a durable run failed, with the platform's reason, when the platform ends its execution first", async () => {
    const runId = `it-durable-stopped-${Date.now()}`;
    const accepted = await fetch(`${apiUrl}/runs/durable`, {
      method: "POST",
      headers: { ...headers, Prefer: "respond-async" },
      body: JSON.stringify({
        runId,
        workflow: { tasks: [{ id: "long", fn: "queryData", durationMs: 20_000 }] },
      }),
    });
    let running: RunRecord | undefined;
    for (let attempt = 0; attempt < 60 && !running?.durableExecutionArn; attempt += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      running = await record(runId);
    }

    await durableService.send(
      new StopDurableExecutionCommand({ DurableExecutionArn: running?.durableExecutionArn }),
    );
    await sweep(0);
    const final = await record(runId);

    expect(accepted.status).toBe(202);
    expect(running?.status).toBe("running");
    expect(final).toMatchObject({
      status: "failed",
      error: { type: "DurableExecutionEnded", message: expect.stringMatching(/ended stopped/) },
    });
  }, 60_000);
});
