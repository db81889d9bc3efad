import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { STRATEGIES, type StrategyName } from "../../../lib/strategies/names.js";
import { aLambdaContext, aRunEvent } from "../../helpers/factories.js";

type AdapterName = "LambdaTaskInvoker" | "SqsTaskQueue" | "SfnStateMachineRunner";

/** Which AWS adapter modules were evaluated, and which adapters constructed, in this environment. */
const adapters = { loaded: [] as AdapterName[], built: [] as AdapterName[] };

/** Stands in for an adapter module: records its evaluation; its adapter refuses every call. */
function stubAdapterModule(name: AdapterName) {
  adapters.loaded.push(name);
  const refuse = async () => {
    throw new Error(`${name} is a stub`);
  };
  return {
    [name]: class {
      constructor() {
        adapters.built.push(name);
      }
      invoke = refuse;
      openRun = refuse;
      run = refuse;
    },
  };
}

/**
 * The one adapter (hence the one SDK client) each strategy's orchestrator loads, if any; durable
 * has a handler of its own (functions/durableOrchestrator.ts).
 */
const ADAPTER_OF = {
  sequential: ["LambdaTaskInvoker"],
  fanout: ["LambdaTaskInvoker"],
  queue: ["SqsTaskQueue"],
  inline: [],
  stepfunctions: ["SfnStateMachineRunner"],
} as const satisfies Record<Exclude<StrategyName, "durable">, readonly AdapterName[]>;
const ORCHESTRATED_HERE = STRATEGIES.filter(
  (strategy): strategy is keyof typeof ADAPTER_OF => strategy !== "durable",
);

/**
 * The orchestrator of a new execution environment (a fresh module graph, the adapters' modules
 * not evaluated yet), configured as serverless.yml does.
 */
async function coldOrchestrator(strategy: StrategyName) {
  vi.resetModules();
  adapters.loaded.length = 0;
  adapters.built.length = 0;
  for (const name of ["LambdaTaskInvoker", "SqsTaskQueue", "SfnStateMachineRunner"] as const) {
    vi.doMock(`../../../adapters/${name}.js`, () => stubAdapterModule(name));
  }
  // Every orchestrator records its runs (S3): not a transport, so a store that accepts all.
  vi.doMock("../../../adapters/S3RunRecordStore.js", () => ({
    S3RunRecordStore: class {
      create = async () => ({ created: true });
      write = async () => {};
      read = async () => undefined;
    },
  }));
  vi.stubEnv("STRATEGY", strategy);
  const { handler } = await import("../../../functions/orchestrator.js");
  return handler;
}

const aTinyRun = (strategy: StrategyName) => aRunEvent(strategy, JSON.stringify({ scale: 0.005 }));

beforeEach(() => {
  vi.stubEnv("TASK_FUNCTION_PREFIX", "concurrency-lab-test-");
  vi.stubEnv("WORK_QUEUE_NAME", "concurrency-lab-test-work");
  vi.stubEnv("REPLY_QUEUE_PREFIX", "concurrency-lab-test-reply-");
  vi.stubEnv("STATE_MACHINE_PREFIX", "concurrency-lab-test-sm-");
  vi.stubEnv("STATE_MACHINE_ROLE_ARN", "arn:aws:iam::000000000000:role/concurrency-lab-test-sm");
  vi.stubEnv("TASK_FUNCTION_ARN_PREFIX", "arn:aws:lambda:us-east-1:000000000000:function:x-");
  vi.stubEnv("RUN_RECORDS_BUCKET", "concurrency-lab-test-runs");
  // A stub's refusal may fail the run: its report or its 500 is not what these tests are about.
  vi.spyOn(console, "error").mockImplementation(() => {});
});

afterEach(() => {
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
});

describe("Handler: orchestrator, transports", () => {
  it("evaluates no AWS adapter (no SDK client) when its module is imported", async () => {
    await coldOrchestrator("sequential");

    expect(adapters.loaded).toEqual([]);
  });

  it.each(ORCHESTRATED_HERE)(
    "%s loads only its own adapter, at its first run, and builds it once for the environment",
    async (strategy) => {
      // Prepare
      const orchestrator = await coldOrchestrator(strategy);

      // Act
      await orchestrator(aTinyRun(strategy), aLambdaContext());
      await orchestrator(aTinyRun(strategy), aLambdaContext());

      // Assess
      expect(adapters.loaded).toEqual(ADAPTER_OF[strategy]);
      expect(adapters.built).toEqual(ADAPTER_OF[strategy]);
    },
  );
});
