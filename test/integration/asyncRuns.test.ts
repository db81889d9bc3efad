import { describe, expect, inject, it } from "vitest";
import { type RunRecord, runRecordSchema } from "../../lib/runs/record.js";
import { STRATEGIES, type StrategyName } from "../../lib/strategies/names.js";
import { chainWorkflow } from "../../lib/workflow/shapes.js";

const apiUrl = inject("apiUrl");
const headers = { "x-api-key": inject("apiKey"), "Content-Type": "application/json" };
const unique = (what: string) =>
  `it-${what}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;

async function post(strategy: StrategyName, body: object, extra: Record<string, string> = {}) {
  const response = await fetch(`${apiUrl}/runs/${strategy}`, {
    method: "POST",
    headers: { ...headers, ...extra },
    body: JSON.stringify(body),
  });
  const answer = (await response.json()) as {
    runId?: string;
    status?: string;
    field?: string;
    problem?: string;
  };
  return { status: response.status, headers: response.headers, body: answer };
}

async function record(runId: string): Promise<{ status: number; record?: RunRecord }> {
  const response = await fetch(`${apiUrl}/runs/${runId}`, { headers });
  const body = await response.json();
  return response.ok
    ? { status: response.status, record: runRecordSchema.parse(body) }
    : { status: response.status };
}

/** Polls the record until the run ended, or fails the test past `timeoutMs`. */
async function untilEnded(runId: string, timeoutMs: number): Promise<RunRecord> {
  const giveUpAt = Date.now() + timeoutMs;
  while (Date.now() < giveUpAt) {
    const { record: found } = await record(runId);
    if (found && (found.status === "succeeded" || found.status === "failed")) return found;
    await new Promise((resolve) => setTimeout(resolve, 1000));
  }
  throw new Error(`run ${runId} had not ended after ${timeoutMs} ms`);
}

describe("Asynchronous runs and run records on the local stack", () => {
  it.each(STRATEGIES)(
    "%s accepts a run with Prefer: respond-async (202, Location) and its record ends with the report",
    async (strategy) => {
      const runId = unique(strategy);

      const accepted = await post(strategy, { scale: 0.05, runId }, { Prefer: "respond-async" });
      const ended = await untilEnded(runId, 60_000);

      expect(accepted.status).toBe(202);
      expect(accepted.body).toMatchObject({ runId, status: "accepted" });
      expect(accepted.headers.get("location")).toMatch(new RegExp(`/runs/${runId}$`));
      expect(ended).toMatchObject({ runId, strategy, mode: "async", status: "succeeded" });
      expect(ended.report).toMatchObject({ runId, strategy, status: "succeeded" });
      if (strategy === "stepfunctions") expect(ended.report?.stateMachine?.type).toBe("standard");
    },
    90_000,
  );

  it("runs a workflow whose critical path is 60 s under every strategy in async mode, and refuses it synchronously naming the limit", async () => {
    // 12 x 5 s: each task within the local queue worker's 8 s timeout.
    const workflow = chainWorkflow(12, 5000);
    const refused = await post("fanout", { workflow, runId: unique("sync-60s") });
    const runIds = STRATEGIES.map((strategy) => [strategy, unique(`60s-${strategy}`)] as const);

    const answers = await Promise.all(
      runIds.map(([strategy, runId]) => post(strategy, { workflow, runId, mode: "async" })),
    );
    const ended = await Promise.all(runIds.map(([, runId]) => untilEnded(runId, 150_000)));

    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ field: "workflow" });
    expect(refused.body.problem).toMatch(/synchronous request's 27.5 s/);
    expect(answers.map((answer) => answer.status)).toEqual(runIds.map(() => 202));
    for (const run of ended) {
      expect(run.status, `${run.strategy}: ${JSON.stringify(run.report?.error ?? run.error)}`).toBe(
        "succeeded",
      );
      expect(run.report?.criticalPathMs).toBeGreaterThanOrEqual(60_000);
    }
  }, 200_000);

  it("answers 404 naming runId for an id no run has", async () => {
    const answer = await record(unique("nobody"));

    expect(answer.status).toBe(404);
  });

  it("makes one run of the same runId posted ten times at once", async () => {
    const runId = unique("burst");

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post("fanout", { scale: 0.05, runId, mode: "async" })),
    );
    const ended = await untilEnded(runId, 60_000);

    // The same id is the same run, as it stands when each post is served: 202 while it is
    // accepted or running, 200 with its report once it ended (in one fresh-clone CI run, 8 of the
    // 10 posts were served after the 300 ms run had ended).
    const statuses = answers.map((answer) => answer.status);
    expect(statuses.every((status) => status === 202 || status === 200)).toBe(true);
    expect(statuses).toContain(202);
    for (const answer of answers.filter(({ status }) => status === 200)) {
      expect(answer.body).toMatchObject({ runId, status: "succeeded" });
    }
    expect(new Set(answers.map((answer) => answer.body.runId))).toEqual(new Set([runId]));
    expect(ended.status).toBe("succeeded");
    expect(ended.report?.tasks.every((task) => task.attempts === 1)).toBe(true);
  }, 90_000);

  it("keeps a synchronous run's record, fetchable by its id after the request returned", async () => {
    const runId = unique("sync");

    const answer = await post("inline", { scale: 0.05, runId });
    const { status, record: kept } = await record(runId);

    expect(answer.status).toBe(200);
    expect(status).toBe(200);
    expect(kept).toMatchObject({ runId, mode: "sync", status: "succeeded" });
    expect(kept?.report?.runId).toBe(runId);
  });

  it("refuses the same runId with a different request (409 naming runId)", async () => {
    const runId = unique("conflict");
    await post("inline", { scale: 0.05, runId });

    const answer = await post("inline", { scale: 0.06, runId });

    expect(answer.status).toBe(409);
    expect(answer.body).toMatchObject({ field: "runId" });
  });
});
