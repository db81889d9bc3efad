import { describe, expect, it } from "vitest";
import { WORK_QUEUE_MAXIMUM_CONCURRENCY } from "../../../../lib/forecast/forecastRuns.js";
import type { HandlerEnd, SimulatedFunction } from "../../../../lib/forecast/lambdaService.js";
import { LambdaService } from "../../../../lib/forecast/lambdaService.js";
import { Simulation } from "../../../../lib/forecast/simulation.js";
import { SimulatedWorkQueue } from "../../../../lib/forecast/workQueue.js";
import {
  EIGHTH_OF_A_MB_CHAIN,
  forecastOne,
  independentTasks,
  overheadGrowthWith,
  peakConcurrency,
  runningAt,
  taskIn,
  taskOf,
} from "../../../helpers/forecast.js";
import { type FixedOverrides, fixedPlatform } from "../../../helpers/forecastParameters.js";

const WORKER: SimulatedFunction = {
  name: "worker",
  role: "worker",
  memoryMb: 1024,
  architecture: "arm64",
};
/** The documented ramp: 5 concurrent batches, 300 more a minute: one more every 200 ms. */
const INITIAL = 5;
const ADDED_PER_MS = 300 / 60_000;
const TASK_MS = 10_000;

interface Span {
  startedAt: number;
  endedAt?: number;
}

/**
 * `count` messages sent at 0 to a work queue on a zero-latency platform, each worker's handler
 * running `TASK_MS` (and ending as `endOf` says for its attempt): when each handler ran.
 */
function drain(
  count: number,
  overrides: FixedOverrides = {},
  endOf: (attempt: number) => HandlerEnd = () => ({}),
): Span[][] {
  const simulation = new Simulation(1, "median");
  const lambda = new LambdaService(simulation, fixedPlatform(overrides));
  const queue = new SimulatedWorkQueue(lambda, WORKER, WORK_QUEUE_MAXIMUM_CONCURRENCY);
  const attempts: Span[][] = [];
  for (let index = 0; index < count; index += 1) {
    const spans: Span[] = [];
    attempts.push(spans);
    queue.send({
      bytes: 500,
      body: (_handler, finish) => {
        const span: Span = { startedAt: simulation.now };
        const end = endOf(spans.length);
        spans.push(span);
        simulation.after(TASK_MS, () => {
          span.endedAt = simulation.now;
          finish(end);
        });
      },
      handled: ({ crashed, failed }) => (crashed || failed ? "redeliver" : "delete"),
    });
  }
  simulation.run();
  return attempts;
}

/** How many of `spans` started at or before `at`. */
const startedBy = (spans: Span[], at: number) =>
  spans.filter((span) => span.startedAt <= at).length;

describe("Class: SimulatedWorkQueue", () => {
  it("starts 5 batches at once and adds 300 a minute while messages wait", () => {
    // Act
    const spans = drain(1000).flat();

    // Assess: 5 in the first 200 ms, then one more every 200 ms, until the first end at 10 s
    expect(startedBy(spans, 199)).toBe(INITIAL);
    for (let at = 300; at < TASK_MS; at += 400) {
      const ramp = INITIAL + ADDED_PER_MS * at;
      expect(startedBy(spans, at)).toBeGreaterThanOrEqual(Math.floor(ramp));
      expect(startedBy(spans, at)).toBeLessThanOrEqual(Math.ceil(ramp));
    }
  });

  it("keeps as many batches running as the ramp allows, never more than the mapping's MaximumConcurrency", () => {
    // Act
    const spans = drain(1000).flat();

    // Assess: 5 + t / 200 ms running while messages wait, up to 100 from 19 s on
    for (let at = 100; at < 60_000; at += 600) {
      const allowed = Math.min(
        WORK_QUEUE_MAXIMUM_CONCURRENCY,
        INITIAL + Math.floor(ADDED_PER_MS * at),
      );
      expect(runningAt(spans, at)).toBe(allowed);
    }
    expect(peakConcurrency(spans)).toBe(WORK_QUEUE_MAXIMUM_CONCURRENCY);
    expect(spans).toHaveLength(1000);
  });

  it("stops at the pollers' maximum when it is below the mapping's", () => {
    // Act
    const spans = drain(200, { "sqs.pollers.maximum": 20 }).flat();

    // Assess
    expect(peakConcurrency(spans)).toBe(20);
    expect(runningAt(spans, 5000)).toBe(20);
  });

  it("gives a crashed worker's message out again after the visibility timeout", () => {
    // Act
    const [attempts] = drain(1, { "sqs.visibilityTimeoutMs": 30_000 }, (attempt) =>
      attempt === 0 ? { crashed: true } : {},
    );

    // Assess
    expect(attempts?.map((span) => span.startedAt)).toEqual([0, TASK_MS + 30_000]);
  });

  it("gives a failed task's message out again after the shortened visibility", () => {
    // Act
    const [attempts] = drain(1, { "sqs.failedRedeliveryMs": 1500 }, (attempt) =>
      attempt < 2 ? { failed: true } : {},
    );

    // Assess
    expect(attempts?.map((span) => span.startedAt)).toEqual([0, 11_500, 23_000]);
  });

  it("delivers a message the delivery latency after it was sent", () => {
    // Act
    const [attempts] = drain(1, { "sqs.deliveryToWorker": 16 });

    // Assess
    expect(attempts?.[0]?.startedAt).toBeCloseTo(16, 6);
  });
});

describe("Forecast of the queue strategy's work queue", () => {
  it("starts 1,000 tasks of 10 s on the pollers' ramp, at most 100 at a time", () => {
    // Act
    const run = forecastOne("queue", { tasks: independentTasks(1000, TASK_MS) }, fixedPlatform(), {
      budgetMs: 10 * 60_000,
    });

    // Assess
    const { tasks } = run.report;
    expect(run.report.status).toBe("succeeded");
    expect(tasks.filter((task) => (task.startedAt ?? Infinity) < 200)).toHaveLength(INITIAL);
    for (let at = 300; at < TASK_MS; at += 400) {
      const ramp = INITIAL + ADDED_PER_MS * at;
      const started = tasks.filter((task) => (task.startedAt ?? Infinity) <= at).length;
      expect(started).toBeGreaterThanOrEqual(Math.floor(ramp));
      expect(started).toBeLessThanOrEqual(Math.ceil(ramp));
    }
    expect(peakConcurrency(tasks)).toBe(WORK_QUEUE_MAXIMUM_CONCURRENCY);
    // 1,000 tasks of 10 s, 100 at a time at best, the ramp's first 19 s at less
    expect(run.report.wallMs).toBeGreaterThan(100_000);
  });
});

describe("Forecast of the queue strategy's messages", () => {
  it("takes sqs.transferMsPerMb for a payload each way it travels through SQS, not the network's", () => {
    // Act: a's 128 KiB result goes back on its completion, then out again on b's work message,
    // which is sent to the queue and delivered from it
    const growth = overheadGrowthWith("queue", EIGHTH_OF_A_MB_CHAIN, "sqs.transferMsPerMb", 800);
    const networkGrowth = overheadGrowthWith(
      "queue",
      EIGHTH_OF_A_MB_CHAIN,
      "network.transferMsPerMb",
      800,
    );

    // Assess: three legs of an eighth of a MB at 800 ms/MB (the completion's send, the work
    // message's send and delivery), plus the envelopes' and b's own few hundred bytes
    expect(growth).toBeGreaterThanOrEqual(3 * 100);
    expect(growth).toBeLessThan(3 * 100 + 3);
    expect(networkGrowth).toBe(0);
  });

  it.each([
    [undefined, 10, 10],
    [0.5, 5, 10],
  ])(
    "with a sent share of %s, makes a message receivable %s ms into a 10 ms send, and its sender go on after %s ms",
    (sentShare, receivableAfterMs, answeredAfterMs) => {
      // Prepare: SendMessage takes 10 ms, delivery and the reply's receive nothing
      const fixed = fixedPlatform({ "sqs.apiCall": 10 });
      const parameters =
        sentShare === undefined
          ? fixed
          : { ...fixed, sqs: { ...fixed.sqs, sentShare: { value: sentShare, source: "test" } } };

      // Act
      const run = forecastOne("queue", { tasks: [taskOf("a", [], 100)] }, parameters);

      // Assess: the work message reaches its worker, and the completion the orchestrator, that far
      // into the send; the orchestrator's own send answers after all of it
      const transport = taskIn(run, "a").transport;
      if (!transport) throw new Error("no transport timings");
      expect(transport.receivedAt - transport.sentAt).toBeCloseTo(receivableAfterMs, 6);
      expect((taskIn(run, "a").returnedAt ?? 0) - transport.completedAt).toBeCloseTo(
        receivableAfterMs,
        6,
      );
      expect((transport.acknowledgedAt ?? 0) - transport.sentAt).toBeCloseTo(answeredAfterMs, 6);
    },
  );
});
