import { describe, expect, it } from "vitest";
import { collectUsage } from "../../../../lib/cost/collectUsage.js";
import { lambdaBilling } from "../../../../lib/cost/lambdaBilling.js";
import { priceRun } from "../../../../lib/cost/priceRun.js";
import { sqsBilledRequests } from "../../../../lib/cost/sqsRequests.js";
import { UsageMeter } from "../../../../lib/cost/UsageMeter.js";
import type { InvocationOutcome, TaskInvoker } from "../../../../lib/ports.js";
import type { RunReport } from "../../../../lib/runReport/types.js";
import { runFanout } from "../../../../lib/strategies/fanout.js";
import { runInline } from "../../../../lib/strategies/inline.js";
import { runSequential } from "../../../../lib/strategies/sequential.js";
import { runTask } from "../../../../lib/tasks/runTask.js";
import type { TaskRequest } from "../../../../lib/tasks/types.js";
import { SEED_WORKFLOW, seedWithExtraLogs } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { FakeClock } from "../../../helpers/FakeClock.js";
import { aRunReport, aTaskReport } from "../../../helpers/factories.js";

const ARM_1024 = { memoryMb: 1024, architecture: "arm64" } as const;

describe("Function: priceRun", () => {
  it("prices the seed under fanout at 1024 MB arm64, as worked out by hand", () => {
    // Prepare: a warm fanout run of the seed. The orchestrator waits 4,010 ms (4 s critical path
    // plus invoke hops and its own parsing); each of the three task Lambdas bills 2,001 ms.
    const usage = collectUsage(
      aRunReport({
        strategy: "fanout",
        tasks: ["queryData", "processData", "writeLog"].map((id) =>
          aTaskReport({ id, billing: { ...ARM_1024, billedMs: 2001, initMs: 0 } }),
        ),
      }),
      { ...ARM_1024, billedMs: 4010, initMs: 0 },
      { counted: 0, estimated: 0 },
    );

    // Act
    const cost = priceRun(usage);

    // Assess — by hand:
    //   GB-s = (4.010 + 3 × 2.001) s × 1024/1024 GB = 10.013 GB-s
    //   duration = 10.013 × $0.0000133334 (arm64)   = $0.000133507334...
    //   requests = 4 Lambda invocations × $0.20/1M   = $0.0000008
    //   API Gateway REST: 1 × $3.50/1M               = $0.0000035
    //   total                                        = $0.000137807334... ≈ $137.81 per 1M runs
    expect(cost.lambdaDurationUsd).toBeCloseTo(0.000133507334, 12);
    expect(cost.lambdaRequestsUsd).toBeCloseTo(0.0000008, 12);
    expect(cost.apiGatewayUsd).toBeCloseTo(0.0000035, 12);
    expect(cost.sqsUsd).toBe(0);
    expect(cost.totalUsd).toBeCloseTo(0.000137807334, 12);
    expect(cost.totalUsd * 1_000_000).toBeCloseTo(137.81, 2);
  });

  it("prices x86_64 GB-s higher than arm64, memory linearly, and billed INIT like the handler", () => {
    const price = (billing: Parameters<typeof lambdaBilling>[0]) =>
      priceRun({
        apiGatewayRequests: 0,
        lambda: [{ role: "task", ...lambdaBilling(billing) }],
        sqsRequests: { counted: 0, estimated: 0 },
      }).lambdaDurationUsd;
    const base = { memoryMb: 1024, architecture: "arm64", handlerMs: 1000, initMs: 0 } as const;

    // 1 GB-s at $0.0000133334 (arm64) and $0.0000166667 (x86_64)
    expect(price(base)).toBeCloseTo(0.0000133334, 12);
    expect(price({ ...base, architecture: "x86_64" })).toBeCloseTo(0.0000166667, 12);
    expect(price({ ...base, memoryMb: 2048 })).toBeCloseTo(2 * 0.0000133334, 12);
    // A cold start's 500 ms INIT adds half of it again.
    expect(price({ ...base, initMs: 500 })).toBeCloseTo(1.5 * 0.0000133334, 12);
  });

  it("prices SQS requests, counted and estimated, at $0.40 per 1M", () => {
    const cost = priceRun({
      apiGatewayRequests: 0,
      lambda: [],
      sqsRequests: { counted: 7, estimated: 3 },
    });

    expect(cost.sqsUsd).toBeCloseTo(10 * 0.4e-6, 12);
  });

  it("prices a Standard execution at $0.000025 per state transition, with no request or GB-s charge", () => {
    // Prepare: a Standard run of 7 transitions, billed as no Express execution would be.
    const usage = collectUsage(
      aRunReport({
        strategy: "stepfunctions",
        wallMs: 4000,
        stateMachine: {
          form: "seriesParallel",
          type: "standard",
          addedEdges: [],
          structuralDelayMs: 0,
          transitions: 7,
        },
      }),
      { ...ARM_1024, billedMs: 4010, initMs: 0 },
      { counted: 0, estimated: 0 },
    );

    // Act
    const cost = priceRun(usage);

    // Assess: 7 × $0.025 / 1,000
    expect(usage.stepFunctions).toEqual([{ type: "standard", transitions: 7 }]);
    expect(cost.stepFunctionsUsd).toBeCloseTo(7 * 0.000025, 15);
  });

  it.each([1, 5, 1000])("prices %i Standard transitions at N × $0.000025", (transitions) => {
    const cost = priceRun({
      apiGatewayRequests: 0,
      lambda: [],
      sqsRequests: { counted: 0, estimated: 0 },
      stepFunctions: [{ type: "standard", transitions }],
    });

    expect(cost.stepFunctionsUsd).toBeCloseTo(transitions * 0.000025, 15);
    expect(cost.totalUsd).toBeCloseTo(transitions * 0.000025, 15);
  });

  it("marks a Standard execution's transitions estimated (none counted) when the run gave up on it", () => {
    const usage = collectUsage(
      aRunReport({
        strategy: "stepfunctions",
        stateMachine: {
          form: "seriesParallel",
          type: "standard",
          addedEdges: [],
          structuralDelayMs: 0,
        },
      }),
      { ...ARM_1024, billedMs: 4010, initMs: 0 },
      { counted: 0, estimated: 0 },
    );

    expect(usage.stepFunctions).toEqual([{ type: "standard", transitions: 0, estimated: true }]);
    expect(priceRun(usage).stepFunctionsUsd).toBe(0);
  });

  it.each([
    ["as Express", "express"],
    ["made before Standard could run (no type)", undefined],
  ] as const)(
    "prices a state machine %s per request and GB-s, estimated from the wall where AWS said nothing",
    (_, type) => {
      // Prepare: 4,010 ms of wall -> 4,100 ms billed at 64 MB.
      const usage = collectUsage(
        aRunReport({
          strategy: "stepfunctions",
          wallMs: 4010,
          stateMachine: {
            form: "seriesParallel",
            ...(type ? { type } : {}),
            addedEdges: [],
            structuralDelayMs: 0,
          },
        }),
        { ...ARM_1024, billedMs: 4010, initMs: 0 },
        { counted: 0, estimated: 0 },
      );

      // Act
      const cost = priceRun(usage);

      // Assess: $1/1M + 4.1 s × 64/1024 GB × $0.00001667
      expect(usage.stepFunctions).toEqual([
        { type: "express", billedDurationMs: 4100, billedMemoryMb: 64, estimated: true },
      ]);
      expect(cost.stepFunctionsUsd).toBeCloseTo(1e-6 + 4.1 * (64 / 1024) * 0.00001667, 15);
    },
  );

  it("prices an old report's Express usage, which carried no type", () => {
    const cost = priceRun({
      apiGatewayRequests: 0,
      lambda: [],
      sqsRequests: { counted: 0, estimated: 0 },
      stepFunctions: [{ billedDurationMs: 1000, billedMemoryMb: 1024 }],
    });

    expect(cost.stepFunctionsUsd).toBeCloseTo(1e-6 + 0.00001667, 15);
  });
});

describe("Function: lambdaBilling", () => {
  it("rounds the handler and INIT up to the next ms and caps INIT at Lambda's 10 s limit", () => {
    expect(lambdaBilling({ ...ARM_1024, handlerMs: 2000.2, initMs: 131.5 })).toEqual({
      ...ARM_1024,
      billedMs: 2001,
      initMs: 132,
    });
    expect(lambdaBilling({ ...ARM_1024, handlerMs: 0, initMs: 60_000 }).initMs).toBe(10_000);
  });
});

describe("Function: sqsBilledRequests", () => {
  it.each([
    [0, 1],
    [65_536, 1],
    [65_537, 2],
    [1_048_576, 16],
  ])("bills %i payload bytes as %i request(s): one per 64 KB chunk, at least one", (bytes, n) => {
    expect(sqsBilledRequests(bytes)).toBe(n);
  });
});

/** A task Lambda stand-in on virtual time: a hop each way, and billing as the function measures it. */
class BilledLambdaInvoker implements TaskInvoker {
  constructor(
    private readonly clock: FakeClock,
    private readonly hopMs = 15,
  ) {}

  async invoke(request: TaskRequest): Promise<InvocationOutcome> {
    await this.clock.sleep(this.hopMs);
    const handlerStartedAt = this.clock.now();
    const span = await runTask(request, this.clock);
    const billing = lambdaBilling({
      ...ARM_1024,
      handlerMs: this.clock.now() - handlerStartedAt,
      initMs: 0,
    });
    await this.clock.sleep(this.hopMs);
    return { ...span, coldStart: false, billing };
  }
}

/** Runs a strategy on virtual time and prices it as the orchestrator handler does. */
async function pricedRun(
  strategy: "sequential" | "fanout" | "inline",
  workflow: Workflow,
): Promise<number> {
  const clock = new FakeClock();
  const plan = planRun({ runId: "run-1", strategy, workflow, scale: 0.1 });
  const context = { clock, budgetMs: 60_000, meter: new UsageMeter() };
  const invoker = new BilledLambdaInvoker(clock);
  const run: Record<typeof strategy, () => Promise<RunReport>> = {
    sequential: () => runSequential(plan, { ...context, invoker }),
    fanout: () => runFanout(plan, { ...context, invoker }),
    inline: () => runInline(plan, context),
  };
  const report = await clock.drive(run[strategy]());
  const orchestrator = lambdaBilling({ ...ARM_1024, handlerMs: report.wallMs + 3, initMs: 0 });
  return priceRun(collectUsage(report, orchestrator, context.meter.sqsRequests())).totalUsd;
}

describe("Invariant: on io work, waiting in one Lambda is cheapest", () => {
  const chainAndFan: Workflow = {
    tasks: [
      { id: "a", fn: "queryData", deps: [], durationMs: 500 },
      { id: "b", fn: "processData", deps: ["a"], durationMs: 3000 },
      ...Array.from({ length: 8 }, (_, index) => ({
        id: `log${index}`,
        fn: "writeLog" as const,
        deps: index % 2 === 0 ? ["a"] : [],
        durationMs: 100 * (index + 1),
      })),
    ],
  };

  it.each([
    ["the seed", SEED_WORKFLOW],
    ["the seed plus three writeLogs", seedWithExtraLogs(3)],
    ["a chain with a fan of logs", chainAndFan],
  ])("costs inline < fanout < sequential for %s", async (_name, workflow) => {
    const inline = await pricedRun("inline", workflow);
    const fanout = await pricedRun("fanout", workflow);
    const sequential = await pricedRun("sequential", workflow);

    expect(inline).toBeLessThan(fanout);
    expect(fanout).toBeLessThan(sequential);
  });
});
