import { SQSClient } from "@aws-sdk/client-sqs";
import { describe, expect, inject, it } from "vitest";
import { runStrategy } from "../../adapters/runsApiClient.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { STRATEGIES, type StrategyName } from "../../lib/strategies/names.js";
import type { Workflow } from "../../lib/workflow/types.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { queueDepth } from "../../localEnvironment/queueDepth.js";

/** What the bad-input suites (test/integration/bad*.test.ts) share: sending, and the aftermath. */

export const JSON_TYPE = { "Content-Type": "application/json" };

export interface Answer {
  status: number;
  contentType: string | null;
  bytes: number;
  body: Record<string, unknown>;
}

/** One request as a client sends it, with the stage's API key (every /runs route is private). */
export async function send(
  method: string,
  path: string,
  {
    body,
    headers = JSON_TYPE,
  }: { body?: string | Uint8Array; headers?: Record<string, string> } = {},
): Promise<Answer> {
  const apiKey = inject("apiKey");
  const response = await fetch(`${inject("apiUrl")}${path}`, {
    method,
    headers: { ...headers, ...(apiKey ? { "x-api-key": apiKey } : {}) },
    ...(body === undefined ? {} : { body }),
  });
  const text = await response.text();
  return {
    status: response.status,
    contentType: response.headers.get("content-type"),
    bytes: Buffer.byteLength(text),
    body: JSON.parse(text) as Record<string, unknown>,
  };
}

/** Our handlers' refusal: a JSON 4xx whose body names the field and says what is wrong. */
export function expectRefusal(answer: Answer, status: number, error: string, field: string) {
  expect(answer).toMatchObject({ status, contentType: "application/json", body: { error, field } });
  expect(String(answer.body.problem)).not.toBe("");
}

/** Bad input is spread over the strategies: each orchestrator function gets its share. */
export const strategyFor = (index: number): StrategyName =>
  STRATEGIES[index % STRATEGIES.length] ?? "inline";

/** A cheap valid run: data from queryData to processData, and an independent writeLog. */
const CHEAP: Workflow = {
  tasks: [
    { id: "q", fn: "queryData", deps: [], durationMs: 20 },
    { id: "p", fn: "processData", deps: ["q"], durationMs: 20 },
    { id: "w", fn: "writeLog", deps: [], durationMs: 20 },
  ],
};

/** What a run of CHEAP must produce whatever came before it (queryData's digest follows the run id). */
function outcomeOf(report: RunReport) {
  const query = report.tasks.find((each) => each.id === "q");
  const processed = report.tasks.find((each) => each.id === "p")?.output as
    | { count: number; bytes: number; digests: Record<string, string> }
    | undefined;
  return {
    status: report.status,
    tasks: report.tasks
      .map(({ id, fn, deps, status }) => ({ id, fn, deps, status }))
      .sort((a, b) => a.id.localeCompare(b.id)),
    processed: { count: processed?.count, bytes: processed?.bytes },
    dataArrivedWhole:
      query?.outputDigest !== undefined && processed?.digests.q === query.outputDigest,
    writeLog: report.tasks.find((each) => each.id === "w")?.output,
  };
}

async function eventuallyZero(probe: () => Promise<number>, timeoutMs: number): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  let value = await probe();
  while (value !== 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    value = await probe();
  }
  return value;
}

/**
 * A suite of bad input that must leave no trace: a cheap valid run per strategy first, then the
 * cases, then the work queue must drain, the DLQ hold no more than before, and the same runs come
 * out as they did before. In order (`shuffle: false`): the last tests judge what the cases did.
 */
export function describeBadInput(title: string, defineCases: () => void): void {
  describe(title, { shuffle: false }, () => {
    const apiUrl = inject("apiUrl");
    const apiKey = inject("apiKey");
    const sqs = new SQSClient(localClientOptions());
    const before = new Map<StrategyName, ReturnType<typeof outcomeOf>>();
    let deadLettersBefore = 0;

    it("a cheap valid run per strategy, before the bad input", { timeout: 180_000 }, async () => {
      deadLettersBefore = await queueDepth(sqs, inject("deadLetterQueueUrl"));
      for (const strategy of STRATEGIES) {
        const report = await runStrategy(apiUrl, strategy, { workflow: CHEAP }, { apiKey });
        expect(report.status, `${strategy}: ${JSON.stringify(report.error)}`).toBe("succeeded");
        before.set(strategy, outcomeOf(report));
      }
    });

    defineCases();

    it("left no message on the work queue, and none more on the dead-letter queue", async () => {
      expect(await eventuallyZero(() => queueDepth(sqs, inject("workQueueUrl")), 10_000)).toBe(0);
      expect(await queueDepth(sqs, inject("deadLetterQueueUrl"))).toBe(deadLettersBefore);
    });

    it("changed nothing: the same valid runs come out as before", {
      timeout: 180_000,
    }, async () => {
      for (const strategy of STRATEGIES) {
        const report = await runStrategy(apiUrl, strategy, { workflow: CHEAP }, { apiKey });

        expect(outcomeOf(report), strategy).toEqual(before.get(strategy));
        expect(outcomeOf(report).dataArrivedWhole, strategy).toBe(true);
      }
      expect(await eventuallyZero(() => queueDepth(sqs, inject("workQueueUrl")), 10_000)).toBe(0);
    });
  });
}
