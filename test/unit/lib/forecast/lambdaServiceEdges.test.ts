import { describe, expect, it } from "vitest";
import {
  type InvocationRecord,
  LambdaService,
  type SimulatedFunction,
} from "../../../../lib/forecast/lambdaService.js";
import type { PlatformParameters } from "../../../../lib/forecast/parameters.js";
import { Simulation } from "../../../../lib/forecast/simulation.js";
import {
  type FixedOverrides,
  fixedPlatform,
  localStack,
  type StackCosts,
  sharedCpu,
} from "../../../helpers/forecastParameters.js";

/** One vCPU's worth of memory: an environment's thread runs at a full core on AWS. */
const ONE_VCPU_MB = 1769;

const fnNamed = (name: string): SimulatedFunction => ({
  name,
  role: "task",
  memoryMb: ONE_VCPU_MB,
  architecture: "arm64",
});

/** A local stack whose requests cost `costs` (0 unless said), on `cores` cores shared by all. */
const withStack = (
  costs: StackCosts = {},
  overrides: FixedOverrides = {},
  cores = 4,
): PlatformParameters => ({
  ...fixedPlatform(overrides, sharedCpu(cores)),
  stack: localStack(costs),
});

const serviceOn = (parameters: PlatformParameters = fixedPlatform()) => {
  const simulation = new Simulation(1, "median");
  return { simulation, lambda: new LambdaService(simulation, parameters) };
};

/** What a handler's caller is told, and when. */
type Answer = Omit<InvocationRecord, "invokedAt" | "returnedAt"> & { at: number };

/** Runs a handler of `fn` that ends `durationMs` after it starts, and keeps its answer. */
const runFor = (
  service: ReturnType<typeof serviceOn>,
  fn: SimulatedFunction,
  durationMs: number,
  answers: Answer[],
) =>
  service.lambda.runHandler(
    fn,
    (_handler, finish) => service.simulation.after(durationMs, () => finish()),
    (record) => answers.push({ ...record, at: service.simulation.now }),
  );

describe("Class: LambdaService, the local stack", () => {
  it("takes a request up at once where there is no local stack (AWS)", () => {
    // Prepare
    const { lambda } = serviceOn();
    let taken = false;

    // Act
    lambda.stackRequest("invokeCpuMs", () => {
      taken = true;
    });

    // Assess
    expect(taken).toBe(true);
  });

  it("takes up a request the stack spends no time on after those queued before it", () => {
    // Prepare: an invoke holds the stack for 100 ms; a refused invoke costs it nothing of its own
    const { simulation, lambda } = serviceOn(withStack({ invokeCpuMs: 100 }));
    const takenAt: number[] = [];
    lambda.stackRequest("invokeCpuMs", () => {});

    // Act
    lambda.stackRequest("throttledInvokeCpuMs", () => takenAt.push(simulation.now));
    simulation.run();

    // Assess: answered when the invoke is done, not at once (a fitted 0 once answered 36 refused
    // invokes of a 100-wide Step Functions run at once: 2,219 ms forecast, about 1,500 once it waits)
    expect(takenAt).toEqual([100]);
  });

  it("holds the stack longer the more environments are busy: its time x (1 + contention x busy)", () => {
    // Prepare: 2 environments busy, 0.5 contention each: a 100-ms invoke holds it 200 ms
    const { simulation, lambda } = serviceOn(
      withStack({ invokeCpuMs: 100, contentionPerBusyEnvironment: 0.5 }),
    );
    lambda.acquire(fnNamed("a"));
    lambda.acquire(fnNamed("b"));
    const takenAt: number[] = [];

    // Act
    lambda.stackRequest("invokeCpuMs", () => takenAt.push(simulation.now));
    lambda.stackRequest("invokeCpuMs", () => takenAt.push(simulation.now));
    simulation.run();

    // Assess
    expect(takenAt).toEqual([0, 200]);
  });

  it("takes one of the machine's cores while the stack serves: work beside it on one core slows", () => {
    // Prepare
    const { simulation, lambda } = serviceOn(withStack({ invokeCpuMs: 100 }, {}, 1));
    let workDoneAt: number | undefined;

    // Act
    lambda.stackRequest("invokeCpuMs", () => {});
    lambda.cpu.work(100, ONE_VCPU_MB, () => {
      workDoneAt = simulation.now;
    });
    simulation.run();

    // Assess: half the core for the stack's 100 ms (50 ms of work), then the core alone
    expect(workDoneAt).toBeCloseTo(150, 6);
  });

  it("serves the durable service's requests at the core's speed, and takes the core while it does", () => {
    // Prepare
    const { simulation, lambda } = serviceOn(withStack({}, {}, 1));
    let servedAt: number | undefined;
    let workDoneAt: number | undefined;

    // Act
    lambda.durableService?.serve(100, () => {
      servedAt = simulation.now;
    });
    lambda.cpu.work(100, ONE_VCPU_MB, () => {
      workDoneAt = simulation.now;
    });
    simulation.run();

    // Assess: the service's request started on a free core; the work shared it meanwhile
    expect(servedAt).toBeCloseTo(100, 6);
    expect(workDoneAt).toBeCloseTo(150, 6);
  });
});

describe("Class: LambdaService, environments", () => {
  it("keeps an environment idle exactly idleReapMs warm", () => {
    // Prepare
    const { simulation, lambda } = serviceOn(
      fixedPlatform({ "lambda.idleReapMs": 400, "lambda.init.task": 80 }),
    );
    const first = lambda.acquire(fnNamed("a"));
    if (!first) throw new Error("no environment");
    let again: ReturnType<LambdaService["acquire"]>;

    // Act: released at 100 ms, asked for again at 500 ms
    simulation.after(100, () => lambda.release(first.environment));
    simulation.after(500, () => {
      again = lambda.acquire(fnNamed("a"));
    });
    simulation.run();

    // Assess
    expect(again?.cold).toBe(false);
    expect(again?.environment).toBe(first.environment);
    expect(lambda.coldStarts).toBe(1);
  });

  it("counts a warm environment against the account's concurrency, as a new one", () => {
    // Prepare
    const { lambda } = serviceOn(fixedPlatform({ "lambda.accountConcurrency": 2 }));
    const first = lambda.acquire(fnNamed("a"));
    if (!first) throw new Error("no environment");
    lambda.release(first.environment);

    // Act
    const warm = lambda.acquire(fnNamed("a"));
    const second = lambda.acquire(fnNamed("b"));
    const refused = lambda.acquire(fnNamed("c"));

    // Assess
    expect(warm?.cold).toBe(false);
    expect(second?.cold).toBe(true);
    expect(refused).toBeUndefined();
  });

  it("lets a function start a new environment again only once 10 s have passed since the last", () => {
    // Prepare: one new environment per 10 s, the first at 6 s
    const { simulation, lambda } = serviceOn(fixedPlatform({ "lambda.scalingPer10s": 1 }));
    const acquiredAt = new Map<number, boolean>();
    for (const at of [6000, 7000, 15_999, 16_000]) {
      simulation.after(at, () => acquiredAt.set(at, lambda.acquire(fnNamed("a")) !== undefined));
    }

    // Act
    simulation.run();

    // Assess
    expect([...acquiredAt]).toEqual([
      [6000, true],
      [7000, false],
      [15_999, false],
      [16_000, true],
    ]);
    expect(lambda.coldStarts).toBe(2);
  });
});

describe("Class: LambdaService, cold starts", () => {
  it("waits for a cold start's placement alone when INIT costs nothing", () => {
    // Prepare
    const service = serviceOn(fixedPlatform({ "lambda.coldPlacement": 10 }));
    const answers: Answer[] = [];

    // Act
    runFor(service, fnNamed("a"), 100, answers);
    service.simulation.run();

    // Assess
    expect(answers[0]?.coldStart).toBe(true);
    expect(answers[0]?.startedAt).toBeCloseTo(10, 6);
    expect(answers[0]?.billing?.initMs).toBe(0);
  });

  it("bills INIT alone, not the placement before it", () => {
    // Prepare
    const service = serviceOn(
      fixedPlatform({ "lambda.init.task": 40, "lambda.coldPlacement": 10 }),
    );
    const initMs: number[] = [];
    const answers: Answer[] = [];

    // Act
    service.lambda.runHandler(
      fnNamed("a"),
      (handler, finish) => {
        initMs.push(handler.initMs);
        finish();
      },
      (record) => answers.push({ ...record, at: service.simulation.now }),
    );
    service.simulation.run();

    // Assess
    expect(initMs).toEqual([40]);
    expect(answers[0]?.startedAt).toBeCloseTo(50, 6);
    expect(answers[0]?.billing?.initMs).toBe(40);
  });

  it("shares the cores among INITs where CPU is shared: two cold starts on one core take twice as long", () => {
    // Prepare
    const service = serviceOn(fixedPlatform({ "lambda.init.task": 100 }, sharedCpu(1)));
    const answers: Answer[] = [];

    // Act
    runFor(service, fnNamed("a"), 10, answers);
    runFor(service, fnNamed("a"), 10, answers);
    service.simulation.run();

    // Assess
    expect(answers).toHaveLength(2);
    for (const answer of answers) expect(answer.startedAt).toBeCloseTo(200, 6);
    // Billed whole: the sharing's float noise (200.00000000000009 ms) is not a ms more.
    for (const answer of answers) expect(answer.billing?.initMs).toBe(200);
  });

  it("starts a warm handler at once: before what is scheduled after the invoke for the same instant", () => {
    // Prepare: a warm environment of a
    const service = serviceOn();
    runFor(service, fnNamed("a"), 10, []);
    service.simulation.run();
    const order: string[] = [];

    // Act
    service.lambda.runHandler(
      fnNamed("a"),
      (_handler, finish) => {
        order.push("handler");
        finish();
      },
      () => {},
    );
    service.simulation.after(0, () => order.push("scheduled after"));
    service.simulation.run();

    // Assess
    expect(order).toEqual(["handler", "scheduled after"]);
  });
});

describe("Class: LambdaService, a handler's end", () => {
  it("answers once for a handler that calls finish twice, and frees its environment once", () => {
    // Prepare
    const service = serviceOn(fixedPlatform({ "lambda.accountConcurrency": 1 }));
    const answers: Answer[] = [];

    // Act
    service.lambda.runHandler(
      fnNamed("a"),
      (_handler, finish) => {
        finish();
        finish();
      },
      (record) => answers.push({ ...record, at: service.simulation.now }),
    );
    service.simulation.run();
    const warm = service.lambda.acquire(fnNamed("a"));
    const beyondConcurrency = service.lambda.acquire(fnNamed("b"));

    // Assess
    expect(answers).toHaveLength(1);
    expect(warm?.cold).toBe(false);
    expect(beyondConcurrency).toBeUndefined();
  });

  it("starts a new environment after a handler crashed: the crashed one is not reused", () => {
    // Prepare
    const service = serviceOn();
    const answers: Answer[] = [];
    service.lambda.runHandler(
      fnNamed("a"),
      (_handler, finish) => finish({ crashed: true }),
      (record) => answers.push({ ...record, at: service.simulation.now }),
    );
    service.simulation.run();

    // Act
    runFor(service, fnNamed("a"), 10, answers);
    service.simulation.run();

    // Assess
    expect(
      answers.map(({ coldStart, crashed, failed }) => ({ coldStart, crashed, failed })),
    ).toEqual([
      { coldStart: true, crashed: true, failed: true },
      { coldStart: true, crashed: false, failed: false },
    ]);
    expect(service.lambda.coldStarts).toBe(2);
  });

  it("answers a refused invoke once the stack takes it up: throttled, and not cold, crashed or failed", () => {
    // Prepare: the one unit of concurrency in use, the stack busy with an invoke for 100 ms
    const service = serviceOn(
      withStack({ invokeCpuMs: 100, throttledInvokeCpuMs: 30 }, { "lambda.accountConcurrency": 1 }),
    );
    service.lambda.acquire(fnNamed("a"));
    service.lambda.stackRequest("invokeCpuMs", () => {});
    const answers: Answer[] = [];

    // Act
    runFor(service, fnNamed("b"), 10, answers);
    service.simulation.run();

    // Assess
    expect(answers).toEqual([
      { coldStart: false, throttled: true, crashed: false, failed: false, at: 100 },
    ]);
    expect(service.lambda.throttles).toBe(1);
  });
});

describe("Class: LambdaService, invokes", () => {
  it("adds each hop's payload transfer: the request's on the way in, the response's on the way back", () => {
    // Prepare: 80 ms per MB; an eighth of a MB in (10 ms), a quarter out (20 ms)
    const { simulation, lambda } = serviceOn(
      fixedPlatform({
        "lambda.invokeRequest": 5,
        "lambda.invokeResponse": 7,
        "network.transferMsPerMb": 80,
      }),
    );
    const records: InvocationRecord[] = [];

    // Act
    lambda.invoke(
      undefined,
      fnNamed("a"),
      { bytesIn: 131_072, bytesOut: () => 262_144 },
      (_handler, finish) => simulation.after(100, () => finish()),
      (record) => records.push(record),
    );
    simulation.run();

    // Assess
    expect(records).toHaveLength(1);
    expect(records[0]?.startedAt).toBeCloseTo(5 + 10, 6);
    expect(records[0]?.endedAt).toBeCloseTo(5 + 10 + 100, 6);
    expect(records[0]?.returnedAt).toBeCloseTo(5 + 10 + 100 + 7 + 20, 6);
  });

  it("has the caller's own thread build and sign each request first, one after another", () => {
    // Prepare: 5 ms of the caller's CPU per request, on a full core
    const { simulation, lambda } = serviceOn(fixedPlatform({ "lambda.callerCpuPerRequestMs": 5 }));
    const caller = lambda.acquire(fnNamed("caller"));
    if (!caller) throw new Error("no environment");
    const startedAt: Array<number | undefined> = [];

    // Act
    for (const name of ["a", "b"]) {
      lambda.invoke(
        caller.environment,
        fnNamed(name),
        { bytesIn: 0, bytesOut: () => 0 },
        (_handler, finish) => finish(),
        (record) => startedAt.push(record.startedAt),
      );
    }
    simulation.run();

    // Assess
    expect(startedAt).toEqual([5, 10]);
  });

  it("draws a figure in the simulation's mode: its median in median mode", () => {
    // Prepare
    const { lambda } = serviceOn();

    // Act
    const drawn = lambda.draw({ p50Ms: 20, p99Ms: 200, source: "test" });

    // Assess
    expect(drawn).toBeCloseTo(20, 6);
  });
});
