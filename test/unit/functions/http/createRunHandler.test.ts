import type { APIGatewayProxyEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createRunHandler } from "../../../../functions/http/createRunHandler.js";
import { MAX_RUN_REQUEST_BYTES } from "../../../../lib/runRequest.js";
import { STRATEGIES, type StrategyName } from "../../../../lib/strategies/names.js";
import { type RegisteredStrategy, strategyNamed } from "../../../../lib/strategies/registry.js";
import type { Transports } from "../../../../lib/strategies/types.js";
import { aLambdaContext, aRunEvent, aRunReport } from "../../../helpers/factories.js";
import { InMemoryRunRecordStore, RecordingRunStarter } from "../../../helpers/runRecords.js";

/** Bad input must be refused before any transport is touched. */
const untouchable: Transports = {
  lambda: async () => {
    throw new Error("bad input reached the Lambda transport");
  },
  functionDirectory: async () => {
    throw new Error("bad input reached the function directory");
  },
  sqs: async () => {
    throw new Error("bad input reached the SQS transport");
  },
  stepfunctions: async () => {
    throw new Error("bad input reached the Step Functions transport");
  },
  durableExecutions: async () => {
    throw new Error("bad input reached the durable transport");
  },
};

/** The strategy's registry entry with `run` spied: a refused request must not start a run. */
function spiedStrategy(name: StrategyName): RegisteredStrategy {
  const strategy = strategyNamed(name);
  vi.spyOn(strategy, "run").mockResolvedValue(aRunReport({ strategy: name }));
  return strategy;
}

async function answer(name: StrategyName, event: APIGatewayProxyEvent) {
  const strategy = spiedStrategy(name);
  const services = {
    records: async () => new InMemoryRunRecordStore(),
    starter: async () => new RecordingRunStarter(),
  };
  const response = await createRunHandler(
    () => strategy,
    untouchable,
    services,
  )(event, aLambdaContext());
  return {
    statusCode: response.statusCode,
    headers: response.headers,
    bytes: Buffer.byteLength(response.body),
    body: JSON.parse(response.body) as Record<string, unknown>,
    ran: vi.mocked(strategy.run).mock.calls.length > 0,
  };
}

const withHeaders = (body: string | null, headers: Record<string, string>) => ({
  ...aRunEvent("inline", body),
  headers,
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Function: createRunHandler, bad input", () => {
  it.each(STRATEGIES.flatMap((name) => [null, "", " \n"].map((body) => [name, body] as const)))(
    "%s answers 400 naming `body` for the empty body %j, and runs nothing",
    async (name, body) => {
      const response = await answer(name, aRunEvent(name, body));

      expect(response.statusCode).toBe(400);
      expect(response.body).toMatchObject({ error: "InvalidInput", field: "body" });
      expect(String(response.body.problem)).toMatch(/empty/);
      expect(response.ran).toBe(false);
    },
  );

  it.each([
    ["text/plain", { "Content-Type": "text/plain" }],
    ["form-urlencoded", { "content-type": "application/x-www-form-urlencoded" }],
    ["multipart", { "Content-Type": "multipart/form-data; boundary=x" }],
    ["JSON-looking but not JSON", { "Content-Type": "application/jsonp" }],
    ["no Content-Type", {}],
  ])("answers 415 naming Content-Type for a JSON body sent as %s", async (_case, headers) => {
    const response = await answer("inline", withHeaders("{}", headers));

    expect(response.statusCode).toBe(415);
    expect(response.body).toMatchObject({
      error: "UnsupportedMediaType",
      field: "headers.Content-Type",
    });
    expect(String(response.body.problem)).toContain("application/json");
    expect(response.ran).toBe(false);
  });

  it.each<Record<string, string>>([
    { "Content-Type": "application/json" },
    { "content-type": "application/json; charset=utf-8" },
    { "CONTENT-TYPE": "Application/JSON;charset=UTF-8" },
  ])("runs a body declared JSON as %j", async (headers) => {
    const response = await answer("inline", withHeaders('{"scale":0.1}', headers));

    expect(response.statusCode).toBe(200);
    expect(response.ran).toBe(true);
  });

  it("answers 413 naming `body` and both sizes for a body over the limit, before parsing it", async () => {
    const body = `{"pad":"${"x".repeat(MAX_RUN_REQUEST_BYTES)}"}`;

    const response = await answer("fanout", aRunEvent("fanout", body));

    expect(response.statusCode).toBe(413);
    expect(response.body).toMatchObject({ error: "RequestTooLarge", field: "body" });
    expect(response.body.problem).toBe(
      `is ${(MAX_RUN_REQUEST_BYTES + 10).toLocaleString("en-US")} bytes, over the limit of ${MAX_RUN_REQUEST_BYTES.toLocaleString("en-US")} bytes`,
    );
    expect(response.ran).toBe(false);
  });

  it.each([
    [
      "10,000 unknown keys",
      JSON.stringify(Object.fromEntries(Array.from({ length: 10_000 }, (_, i) => [`k${i}`, i]))),
      /^unknown keys "k0", "k1", "k2", "k3", "k4" and 9,995 more$/,
    ],
    [
      "one unknown key of 900,000 characters",
      JSON.stringify({ ["k".repeat(900_000)]: 1 }),
      /^unknown key "k{40}"… \(900,000 characters\)$/,
    ],
  ])(
    "answers %s in a few hundred bytes, not by echoing them (Lambda answers at most 6 MB)",
    async (_case, body, problem) => {
      const response = await answer("queue", aRunEvent("queue", body));

      expect(response.statusCode).toBe(400);
      expect(response.body).toMatchObject({
        field: "body",
        problem: expect.stringMatching(problem),
      });
      expect(response.bytes).toBeLessThan(1000);
    },
  );

  it("decodes a base64-encoded body before reading it", async () => {
    const event = {
      ...aRunEvent("inline", Buffer.from('{"scale":"fast"}').toString("base64")),
      isBase64Encoded: true,
    };

    const response = await answer("inline", event);

    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ field: "body.scale" });
  });

  it("answers 400 for 10,000 levels of nested arrays (no stack overflow, no 500)", async () => {
    const deep = `${"[".repeat(10_000)}${"]".repeat(10_000)}`;

    const response = await answer("sequential", aRunEvent("sequential", `{"workflow":${deep}}`));

    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ field: "workflow" });
  });

  it.each([
    ['{"__proto__":{"polluted":true}}', "body"],
    ['{"constructor":{"prototype":{"polluted":true}}}', "body"],
    [
      '{"workflow":{"tasks":[{"id":"a","fn":"writeLog"}],"__proto__":{"polluted":true}}}',
      "workflow",
    ],
    [
      '{"workflow":{"tasks":[{"id":"a","fn":"writeLog","__proto__":{"polluted":true}}]}}',
      "workflow.tasks[0]",
    ],
  ])("refuses %s naming %s, and pollutes no prototype", async (body, field) => {
    const response = await answer("inline", aRunEvent("inline", body));

    expect(response.statusCode).toBe(400);
    expect(response.body).toMatchObject({ field });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.prototype).not.toHaveProperty("polluted");
  });
});

describe("Function: createRunHandler, a task fault", () => {
  const faulty = JSON.stringify({
    workflow: {
      tasks: [
        { id: "query", fn: "queryData", durationMs: 10 },
        { id: "log", fn: "writeLog", durationMs: 10, fault: "crash" },
      ],
    },
  });

  it("answers 400 NotApplicable naming the fault for inline, before any run", async () => {
    const response = await answer("inline", aRunEvent("inline", faulty));

    expect(response).toMatchObject({
      statusCode: 400,
      body: { error: "NotApplicable", field: "workflow.tasks[1].fault" },
      ran: false,
    });
    expect(String(response.body.problem)).toMatch(
      /'crash' fault of task 'log' would take the whole run/,
    );
  });

  it("runs it under a strategy whose tasks have environments of their own", async () => {
    const response = await answer("fanout", aRunEvent("fanout", faulty));

    expect(response).toMatchObject({ statusCode: 200, ran: true });
  });
});

describe("Function: createRunHandler, own functions", () => {
  const body = (fn: string) =>
    JSON.stringify({ workflow: { tasks: [{ id: "get", function: fn }] } });

  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("answers 403 naming the task's function when the deploy did not allow it, before any run", async () => {
    vi.stubEnv("INVOKABLE_FUNCTIONS", "fetch");

    const response = await answer("fanout", aRunEvent("fanout", body("other")));

    expect(response).toMatchObject({
      statusCode: 403,
      body: { error: "FunctionNotAllowed", field: "workflow.tasks[0].function" },
      ran: false,
    });
    expect(String(response.body.problem)).toMatch(/invokableFunctions=other/);
  });

  it("answers 400 NotApplicable for inline, which cannot invoke a function", async () => {
    vi.stubEnv("INVOKABLE_FUNCTIONS", "fetch");

    const response = await answer("inline", aRunEvent("inline", body("fetch")));

    expect(response).toMatchObject({
      statusCode: 400,
      body: { error: "NotApplicable", field: "workflow.tasks[0].function" },
      ran: false,
    });
  });
});
