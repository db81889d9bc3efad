import { describe, expect, it } from "vitest";
import { WORK_QUEUE_MAXIMUM_CONCURRENCY } from "../../../../lib/forecast/forecastRuns.js";
import type { HandlerEnd, SimulatedFunction } from "../../../../lib/forecast/lambdaService.js";
import { LambdaService } from "../../../../lib/forecast/lambdaService.js";
import type { PlatformParameters } from "../../../../lib/forecast/parameters.js";
import { Simulation } from "../../../../lib/forecast/simulation.js";
import { SimulatedWorkQueue, sqsRequestsFor } from "../../../../lib/forecast/workQueue.js";
import {
  type FixedOverrides,
  fixedPlatform,
  localStack,
  sharedCpu,
} from "../../../helpers/forecastParameters.js";

const WORKER: SimulatedFunction = {
  name: "worker",
  role: "worker",
  memoryMb: 1024,
  architecture: "arm64",
};
const TASK_MS = 10_000;
/** One poller, never more: the mapping takes one message at a time. */
const ONE_POLLER: FixedOverrides = { "sqs.pollers.initial": 1, "sqs.pollers.maximum": 1 };

/**
 * A work queue on `parameters` (the zero-latency fixed platform unless said): `sendAt` puts
 * messages on it at a time, each worker's handler running `TASK_MS` and ending as `endOf` says
 * for its attempt; `starts` holds, per message in the order sent, when each attempt started.
 */
function queueOn(parameters: PlatformParameters = fixedPlatform()) {
  const simulation = new Simulation(1, "median");
  const lambda = new LambdaService(simulation, parameters);
  const queue = new SimulatedWorkQueue(lambda, WORKER, WORK_QUEUE_MAXIMUM_CONCURRENCY);
  const starts: number[][] = [];
  const sendAt = (
    at: number,
    count: number,
    endOf: (attempt: number) => HandlerEnd = () => ({}),
  ) => {
    const sent = Array.from({ length: count }, () => {
      const attempts: number[] = [];
      starts.push(attempts);
      return attempts;
    });
    simulation.after(at, () => {
      for (const attempts of sent) {
        queue.send({
          bytes: 500,
          body: (_handler, finish) => {
            const end = endOf(attempts.length);
            attempts.push(simulation.now);
            simulation.after(TASK_MS, () => finish(end));
          },
          handled: ({ crashed, failed }) => (crashed || failed ? "redeliver" : "delete"),
        });
      }
    });
  };
  return { simulation, lambda, queue, starts, sendAt };
}

/** When each message first started, in the order sent: NaN for one that never did. */
const firstStarts = (starts: number[][]) => starts.map((attempts) => attempts[0] ?? Number.NaN);

/** The fixed platform with a local stack whose core takes `sqsRequestCpuMs` per SQS request. */
function withStack(sqsRequestCpuMs: number, overrides: FixedOverrides = {}): PlatformParameters {
  return { ...fixedPlatform(overrides, sharedCpu(8)), stack: localStack({ sqsRequestCpuMs }) };
}

describe("Function: sqsRequestsFor", () => {
  it("bills a message in 64 KB chunks, and an empty one as one request", () => {
    // Act + Assess
    expect(sqsRequestsFor(0)).toBe(1);
    expect(sqsRequestsFor(1)).toBe(1);
    expect(sqsRequestsFor(65_536)).toBe(1);
    expect(sqsRequestsFor(65_537)).toBe(2);
    expect(sqsRequestsFor(256 * 1024)).toBe(4);
  });
});

describe("Class: SimulatedWorkQueue, the pollers' ramp", () => {
  it("takes pollers away as fast as it added them while nothing waits", () => {
    // Prepare: 30 messages ramp the pollers up to 30 by 5 s (one more every 200 ms); the 31st,
    // at 5.2 s, finds the queue empty, which turns it idle: 0.8 s later 4 have gone again
    const { simulation, starts, sendAt } = queueOn();
    sendAt(0, 30);
    sendAt(6000, 10);

    // Act
    simulation.run();

    // Assess: the later messages wait for the 31st poller, 4 steps of 200 ms after 6 s
    expect(Math.max(...firstStarts(starts.slice(0, 30)))).toBeCloseTo(5000, 6);
    expect(Math.min(...firstStarts(starts.slice(30)))).toBeCloseTo(6800, 6);
  });

  it("counts the ramp from when a burst reaches an idle queue, not from the last step before it", () => {
    // Prepare: 6 messages at 150 ms, one more at 210 ms
    const { simulation, starts, sendAt } = queueOn();
    sendAt(150, 6);
    sendAt(210, 1);

    // Act
    simulation.run();

    // Assess: the sixth poller comes 200 ms after the burst, the seventh 200 ms later
    expect(firstStarts(starts)).toEqual([150, 150, 150, 150, 150, 350, 550]);
  });

  it("keeps counting the ramp from when the queue got busy while its first batches run", () => {
    // Prepare: 5 messages at 0 take the 5 pollers, one more at 150 ms waits, another at 210 ms
    const { simulation, starts, sendAt } = queueOn();
    sendAt(0, 5);
    sendAt(150, 1);
    sendAt(210, 1);

    // Act
    simulation.run();

    // Assess: no poller has had a free slot to find the queue empty, so it is still busy: the
    // sixth poller comes at 200 ms and takes the message waiting since 150 ms, the seventh at
    // 400 ms takes the one from 210 ms
    expect(firstStarts(starts)).toEqual([0, 0, 0, 0, 0, 200, 400]);
  });

  it("keeps adding pollers until a poller's receive has found the queue empty for idleAfterMs", () => {
    // Prepare: 5 messages at 0 and 10 more at 12 s, each taking 10 s; with the local mapping's
    // 20 s long poll the queue stays busy between the two bursts, with none it does not
    const burstsOn = (idleAfterMs?: number) => {
      const parameters = fixedPlatform();
      if (idleAfterMs !== undefined)
        parameters.sqs.pollers.idleAfterMs = { value: idleAfterMs, source: "test" };
      const { simulation, starts, sendAt } = queueOn(parameters);
      sendAt(0, 5);
      sendAt(12_000, 10);
      simulation.run();
      return firstStarts(starts.slice(5));
    };

    // Act
    const longPoll = burstsOn(20_000);
    const atOnce = burstsOn();

    // Assess: busy from 0 to 12 s with the long poll, so 65 pollers are there for the second
    // burst; without it the 6th poller came at 200 ms, found the queue empty and turned it idle
    expect(longPoll).toEqual(Array.from({ length: 10 }, () => 12_000));
    expect(atOnce.filter((at) => at === 12_000)).toHaveLength(5);
  });

  it("holds a maximum under the initial pollers from the start: 3 batches at once, not 5", () => {
    // Prepare
    const { simulation, starts, sendAt } = queueOn(fixedPlatform({ "sqs.pollers.maximum": 3 }));
    sendAt(0, 5);

    // Act
    simulation.run();

    // Assess
    expect(firstStarts(starts)).toEqual([0, 0, 0, TASK_MS, TASK_MS]);
  });

  it("looks for more pollers only below its maximum: at it, it waits for batches to end", () => {
    // Prepare: 50 messages, 5 pollers from the start and never more
    const { simulation, starts, sendAt } = queueOn(fixedPlatform({ "sqs.pollers.maximum": 5 }));
    sendAt(0, 50);

    // Act
    simulation.run();

    // Assess: 10 rounds of 5, in a few events per message (its delivery, its handler's start
    // and end), not in a wake-up every 200 ms for the 90 s the last ones wait
    expect(Math.max(...firstStarts(starts))).toBe(9 * TASK_MS);
    expect(simulation.eventsRun).toBeLessThan(5 * 50);
  });
});

describe("Class: SimulatedWorkQueue, the mapping's requests", () => {
  it("counts a receive and a delete per message handled, and a receive again per redelivery", () => {
    // Prepare: 3 messages, the first failing once
    const { simulation, queue, starts, sendAt } = queueOn();
    sendAt(0, 1, (attempt) => (attempt === 0 ? { failed: true } : {}));
    sendAt(0, 2);

    // Act
    simulation.run();

    // Assess
    expect(starts.map((attempts) => attempts.length)).toEqual([2, 1, 1]);
    expect(queue.requests).toBe(3 * 2 + 1);
  });

  it("takes the local stack's core for each receive: batches delivered at once start in turn", () => {
    // Prepare
    const { simulation, starts, sendAt } = queueOn(withStack(10));
    sendAt(0, 2);

    // Act
    simulation.run();

    // Assess
    expect(firstStarts(starts)).toEqual([0, 10]);
  });

  it("takes the local stack's core for each delete: the next receive waits behind it", () => {
    // Prepare: one poller, so that the second message is received when the first is deleted
    const { simulation, starts, sendAt } = queueOn(withStack(10, ONE_POLLER));
    sendAt(0, 2);

    // Act
    simulation.run();

    // Assess
    expect(firstStarts(starts)).toEqual([0, TASK_MS + 10]);
  });
});

describe("Class: SimulatedWorkQueue, a worker refused (429)", () => {
  /** A queue on `overrides` with the account's one slot held by another function for 500 ms. */
  const queueWithAccountHeld = (overrides: FixedOverrides = {}) => {
    const setup = queueOn(fixedPlatform({ "lambda.accountConcurrency": 1, ...overrides }));
    const other: SimulatedFunction = { ...WORKER, name: "other", role: "task" };
    setup.lambda.runHandler(
      other,
      (_handler, finish) => setup.simulation.after(500, () => finish()),
      () => {},
    );
    return setup;
  };

  it("gives a refused batch to the worker again a second later, not to the task's outcome", () => {
    // Prepare
    const { simulation, lambda, queue, starts, sendAt } = queueWithAccountHeld();
    sendAt(0, 1);

    // Act
    simulation.run();

    // Assess: refused at 0 while the other function holds the slot, run at 1 s; deleted once
    expect(starts).toEqual([[1000]]);
    expect(lambda.throttles).toBe(1);
    expect(queue.requests).toBe(2 + 1);
  });

  it("hands a refused batch's poller to the next message waiting at once", () => {
    // Prepare: one poller, two messages
    const { simulation, lambda, starts, sendAt } = queueWithAccountHeld(ONE_POLLER);
    sendAt(0, 2);

    // Act
    simulation.run();

    // Assess: both refused at 0, both sent again at 1 s in their order: the first runs then,
    // the second once it ended
    expect(lambda.throttles).toBe(2);
    expect(starts).toEqual([[1000], [1000 + TASK_MS]]);
  });
});
