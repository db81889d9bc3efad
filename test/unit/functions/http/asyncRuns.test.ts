import type { APIGatewayProxyEvent } from "aws-lambda";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  createRunHandler,
  type RunHandlerOptions,
  type RunServices,
} from "../../../../functions/http/createRunHandler.js";
import { ASYNC_RUN_EVENT } from "../../../../lib/runs/asyncRunEvent.js";
import type { RunRecord } from "../../../../lib/runs/record.js";
import { SYNCHRONOUS_RUN_BUDGET_MS } from "../../../../lib/runs/runLimits.js";
import type { StrategyName } from "../../../../lib/strategies/names.js";
import { type RegisteredStrategy, strategyNamed } from "../../../../lib/strategies/registry.js";
import type { Transports } from "../../../../lib/strategies/types.js";
import { aLambdaContext, aRunEvent, aRunReport } from "../../../helpers/factories.js";
import { InMemoryRunRecordStore, RecordingRunStarter } from "../../../helpers/runRecords.js";

const noTransports = {} as Transports;

function harness(
  name: StrategyName = "fanout",
  options: RunHandlerOptions = {},
  services: Partial<RunServices> = {},
) {
  const strategy: RegisteredStrategy = strategyNamed(name);
  const run = vi
    .spyOn(strategy, "run")
    .mockImplementation(async (plan) => aRunReport({ strategy: name, runId: plan.runId }));
  const store = new InMemoryRunRecordStore();
  const starter = new RecordingRunStarter();
  const handler = createRunHandler(
    () => strategy,
    noTransports,
    { records: async () => store, starter: async () => starter, ...services },
    options,
  );
  const post = (body: object, headers: Record<string, string> = {}) =>
    handler(
      {
        ...aRunEvent(name, JSON.stringify(body)),
        headers: { "Content-Type": "application/json", ...headers },
      } as APIGatewayProxyEvent,
      aLambdaContext(),
    );
  const deliver = (runId: string) =>
    handler(
      { [ASYNC_RUN_EVENT]: { runId } } as unknown as APIGatewayProxyEvent,
      aLambdaContext({ getRemainingTimeInMillis: () => 900_000 }),
    );
  return { run, store, starter, post, deliver };
}

const chainOf = (count: number, durationMs: number) => ({
  tasks: Array.from({ length: count }, (_, index) => ({
    id: `t${index}`,
    fn: "writeLog",
    durationMs,
    deps: index === 0 ? [] : [`t${index - 1}`],
  })),
});

afterEach(() => {
  vi.restoreAllMocks();
});

describe("Function: createRunHandler, asynchronous runs", () => {
  it("records the durable execution that carries a run when it starts, for the sweeper to ask after", async () => {
    const { store, post, deliver } = harness("durable", {
      carriedBy: () => ({ durableExecutionArn: "arn:durable-execution/1" }),
      livesForTheRun: false,
    });

    await post({ scale: 0.01, runId: "sync-1" });
    await post({ scale: 0.01, runId: "async-1", mode: "async" });
    const acceptedOnly = store.records.get("async-1")?.durableExecutionArn;
    await deliver("async-1");

    expect(store.records.get("sync-1")?.durableExecutionArn).toBe("arn:durable-execution/1");
    expect(acceptedOnly).toBeUndefined();
    expect(store.records.get("async-1")?.durableExecutionArn).toBe("arn:durable-execution/1");
  });

  it("refuses an asynchronous run past the limit its platform sets, naming that limit", async () => {
    const { run, post } = harness(
      "durable",
      {},
      { asyncRunLimit: () => ({ ms: 5_000, limit: "the execution's own 5 s timeout" }) },
    );

    const refused = await post({ workflow: chainOf(3, 2_000), mode: "async", runId: "long-1" });
    const within = await post({ workflow: chainOf(2, 2_000), mode: "async", runId: "long-2" });

    expect(refused.statusCode).toBe(400);
    expect(refused.body).toContain("the execution's own 5 s timeout");
    expect(within.statusCode).toBe(202);
    expect(run).not.toHaveBeenCalled();
  });

  it("writes a durable run's ending inside a step of its own, so the SDK does not suspend meanwhile", async () => {
    const steps: string[] = [];
    const { store, post, deliver } = harness("durable", {
      livesForTheRun: false,
      once: async (name, body) => {
        steps.push(name);
        return body();
      },
    });

    await post({ scale: 0.01, runId: "sync-2" });
    await post({ scale: 0.01, runId: "async-2", mode: "async" });
    await deliver("async-2");

    expect(steps.filter((name) => name === "record end")).toHaveLength(2);
    expect(store.records.get("async-2")?.status).toBe("succeeded");
  });

  it.each([
    ["the Prefer header", {}, { Prefer: "wait=5, respond-async" }],
    ["the body's mode", { mode: "async" }, {}],
  ])(
    "answers 202 with the run's id and Location for %s, and runs nothing yet",
    async (_how, body, headers) => {
      const { run, store, starter, post } = harness();

      const response = await post({ scale: 0.01, runId: "run-1", ...body }, headers);

      expect(response.statusCode).toBe(202);
      expect(response.headers).toMatchObject({
        Location: "/runs/run-1",
        "Preference-Applied": "respond-async",
      });
      expect(JSON.parse(response.body)).toEqual({
        runId: "run-1",
        status: "accepted",
        location: "/runs/run-1",
      });
      expect(starter.started).toEqual(["run-1"]);
      expect(store.records.get("run-1")).toMatchObject({ status: "accepted", mode: "async" });
      expect(run).not.toHaveBeenCalled();
    },
  );

  it("runs an accepted run when its event arrives: running, then succeeded with the report", async () => {
    const { run, store, post, deliver } = harness();
    await post({ scale: 0.01, runId: "run-2", mode: "async" });

    await deliver("run-2");

    expect(run).toHaveBeenCalledTimes(1);
    expect(store.writes.map((record) => record.status)).toEqual([
      "accepted",
      "running",
      "succeeded",
    ]);
    expect(store.records.get("run-2")?.report).toMatchObject({
      runId: "run-2",
      strategy: "fanout",
    });
  });

  it("does not run again an event Lambda delivers a second time while the run is going", async () => {
    const { run, post, deliver } = harness();
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    run.mockImplementation(async (plan) => {
      await gate;
      return aRunReport({ strategy: "fanout", runId: plan.runId });
    });
    await post({ scale: 0.01, runId: "run-3", mode: "async" });

    const first = deliver("run-3");
    await vi.waitFor(() => expect(run).toHaveBeenCalledTimes(1));
    await deliver("run-3");
    release();
    await first;

    expect(run).toHaveBeenCalledTimes(1);
  });

  it("gives an async run the orchestrator's 15 minutes, where a synchronous one is refused", async () => {
    const { post } = harness("sequential");
    const workflow = chainOf(12, 5000);

    const refused = await post({ workflow, runId: "long-sync" });
    const accepted = await post({ workflow, runId: "long-async", mode: "async" });

    expect(refused.statusCode).toBe(400);
    expect(JSON.parse(refused.body)).toMatchObject({ field: "workflow" });
    expect(JSON.parse(refused.body).problem).toContain("27.5 s");
    expect(accepted.statusCode).toBe(202);
    expect(SYNCHRONOUS_RUN_BUDGET_MS).toBeLessThan(60_000);
  });
});

describe("Function: createRunHandler, run records and client-chosen ids", () => {
  it("records a synchronous run as accepted, running and ended with its report", async () => {
    const { store, post } = harness();

    const response = await post({ scale: 0.01, runId: "sync-1" });

    expect(response.statusCode).toBe(200);
    expect(response.headers).toMatchObject({ Location: "/runs/sync-1" });
    expect(store.writes.map((record) => record.status)).toEqual([
      "accepted",
      "running",
      "succeeded",
    ]);
    expect(store.records.get("sync-1")?.report?.runId).toBe("sync-1");
  });

  it("answers the same id posted again with that run, not a second one", async () => {
    const { run, post } = harness();

    const first = await post({ scale: 0.01, runId: "same" });
    const second = await post({ scale: 0.01, runId: "same" });

    expect(run).toHaveBeenCalledTimes(1);
    expect(second.statusCode).toBe(200);
    expect(JSON.parse(second.body)).toEqual(JSON.parse(first.body));
  });

  it("makes one run of ten posts of one id at once", async () => {
    const { starter, post } = harness();

    const answers = await Promise.all(
      Array.from({ length: 10 }, () => post({ scale: 0.01, runId: "burst", mode: "async" })),
    );

    expect(answers.map((answer) => answer.statusCode)).toEqual(Array(10).fill(202));
    expect(starter.started).toEqual(["burst"]);
  });

  it("answers 409 naming runId when the id is another request's", async () => {
    const { run, post } = harness();
    await post({ scale: 0.01, runId: "taken" });

    const response = await post({ scale: 0.02, runId: "taken" });

    expect(response.statusCode).toBe(409);
    expect(JSON.parse(response.body)).toMatchObject({ error: "Conflict", field: "runId" });
    expect(run).toHaveBeenCalledTimes(1);
  });

  it.each([
    ["a path separator", "a/b"],
    ["a strategy's name", "fanout"],
    ["129 characters", "x".repeat(129)],
  ])("refuses a runId with %s, naming runId", async (_case, runId) => {
    const { post } = harness();

    const response = await post({ runId });

    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ field: "body.runId" });
  });
});

describe("Function: createRunHandler, the injected orchestrator crash", () => {
  function crashing() {
    const strategy: RegisteredStrategy = strategyNamed("fanout");
    vi.spyOn(strategy, "run").mockImplementation(async (plan, context) => {
      context.onTaskEnded?.("a");
      await new Promise((resolve) => setTimeout(resolve, 10));
      return aRunReport({ strategy: "fanout", runId: plan.runId });
    });
    const store = new InMemoryRunRecordStore();
    const exits: string[] = [];
    const handler = createRunHandler(() => strategy, noTransports, {
      records: async () => store,
      starter: async () => new RecordingRunStarter(),
      exitEnvironment: () => {
        exits.push("exit");
        return undefined as never;
      },
    });
    const workflow = {
      orchestratorFault: "crash",
      tasks: [{ id: "a", fn: "writeLog", durationMs: 10 }],
    };
    const accept = (runId: string) =>
      handler(
        aRunEvent("fanout", JSON.stringify({ runId, mode: "async", workflow })),
        aLambdaContext(),
      );
    const deliver = (runId: string) =>
      handler(
        { [ASYNC_RUN_EVENT]: { runId } } as unknown as APIGatewayProxyEvent,
        aLambdaContext({ getRemainingTimeInMillis: () => 900_000 }),
      );
    return { store, exits, accept, deliver };
  }

  it("exits the orchestrator's environment once the first task ended, noted on the record first", async () => {
    const { store, exits, accept, deliver } = crashing();
    await accept("crash-1");

    await deliver("crash-1");

    expect(exits).toEqual(["exit"]);
    expect(store.records.get("crash-1")?.orchestratorCrashedAt).toBeDefined();
  });

  it("does not crash again a run whose record says it crashed, as a durable replay carries on", async () => {
    const { store, exits, accept, deliver } = crashing();
    await accept("crash-2");
    const accepted = store.records.get("crash-2") as RunRecord;
    store.records.set("crash-2", { ...accepted, orchestratorCrashedAt: 1 });

    await deliver("crash-2");

    expect(exits).toEqual([]);
    expect(store.records.get("crash-2")?.status).toBe("succeeded");
  });
});
