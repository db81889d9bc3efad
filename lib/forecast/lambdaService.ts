import { LAMBDA_BILLING_GRANULARITY_MS } from "../cost/prices.js";
import type { Architecture, LambdaBilling } from "../tasks/types.js";
import { CpuModel, SerialServer } from "./cpu.js";
import type { Figure } from "./figure.js";
import type { PlatformParameters } from "./parameters.js";
import type { Simulation } from "./simulation.js";

/** The kinds of request the local stack serves, each with its own time there. */
export type StackRequest = Exclude<
  keyof NonNullable<PlatformParameters["stack"]>,
  "contentionPerBusyEnvironment" | "ownFunctionCallsShare"
>;

/** What a function loads, which decides its INIT: a task function, an orchestrator, the worker. */
export type FunctionRole = "task" | "orchestrator" | "worker";

export interface SimulatedFunction {
  name: string;
  role: FunctionRole;
  memoryMb: number;
  architecture: Architecture;
}

/** One execution environment: its own event loop, and when it was last used. */
export interface Environment {
  fn: SimulatedFunction;
  /** The function's one thread (Node's event loop): the caller's own CPU per request. */
  thread: SerialServer;
  lastUsedAt: number;
}

/** What a handler is given: its environment and when it started. */
export interface Handler {
  environment: Environment;
  startedAt: number;
  coldStart: boolean;
  initMs: number;
}

/** How a handler ended: `crashed` ends its environment with it (Runtime.ExitError). */
export type HandlerEnd = { crashed?: boolean; failed?: boolean };

/** A handler: does its work from `handler.startedAt`, then calls `finish` once. */
export type HandlerBody = (handler: Handler, finish: (end?: HandlerEnd) => void) => void;

/** What the caller learns of one invocation. */
export interface InvocationRecord {
  invokedAt: number;
  returnedAt: number;
  /** Undefined when the invoke was refused (429): nothing ran. */
  startedAt?: number;
  endedAt?: number;
  coldStart: boolean;
  billing?: LambdaBilling;
  throttled: boolean;
  crashed: boolean;
  failed: boolean;
}

/** LocalStack serves every request on one Python core. */
const STACK_CORE = { value: 1, source: "LocalStack serves its requests on one Python core" };
/**
 * Billed ms, rounded up to Lambda's granularity. Processor sharing adds float noise (two 100 ms
 * INITs on one core end at 200.00000000000009 ms): rounded to a nanosecond first, so that noise
 * is not billed as a whole ms more.
 */
const roundUp = (ms: number) =>
  Math.ceil(Math.round(Math.max(ms, 0) * 1e6) / 1e6 / LAMBDA_BILLING_GRANULARITY_MS) *
  LAMBDA_BILLING_GRANULARITY_MS;

/**
 * The Lambda service, simulated: execution environments per function, kept warm while busy or
 * recently used and reaped after an idle time; the account's concurrency and each function's
 * scaling rate (new environments per 10 s), past which an invoke is refused (429) and nothing
 * runs; INIT on a new environment; the invoke hop each way, plus the local stack's CPU per request
 * where there is one.
 */
export class LambdaService {
  readonly cpu: CpuModel;
  /** LocalStack's one Python core: absent on AWS. */
  readonly stack: SerialServer | undefined;
  /** The local durable execution service's own Python process: absent on AWS. */
  readonly durableService: SerialServer | undefined;
  /**
   * The local stack's core as own functions' calls use it (S3, DynamoDB ...): shared among the
   * calls under way, each slower the more there are (processor sharing). Absent on AWS, where
   * those services scale apart from the caller.
   */
  readonly ownFunctionCalls: CpuModel | undefined;
  private readonly idle = new Map<string, Environment[]>();
  private readonly created = new Map<string, number[]>();
  private inUse = 0;
  /** Environments started so far: the forecast's cold starts. */
  coldStarts = 0;
  throttles = 0;

  constructor(
    readonly simulation: Simulation,
    readonly parameters: PlatformParameters,
  ) {
    this.cpu = new CpuModel(simulation, parameters.cpu);
    this.stack = parameters.stack
      ? new SerialServer(
          simulation,
          () => this.cpu.speed(0),
          (busy) => this.cpu.setStackBusy(busy),
        )
      : undefined;
    this.ownFunctionCalls = parameters.stack
      ? new CpuModel(simulation, { mode: "shared", cores: STACK_CORE })
      : undefined;
    this.durableService = parameters.stack
      ? new SerialServer(
          simulation,
          () => this.cpu.speed(0),
          (busy) => this.cpu.setStackBusy(busy),
        )
      : undefined;
  }

  /**
   * One request to the local stack (nothing on AWS): `done` runs once the stack's one core takes
   * it up. The request's own time there is part of the latencies the local set measured with
   * nothing else running; what queueing adds under load is the wait behind other requests.
   */
  stackRequest(cpuMs: StackRequest, done: () => void): void {
    const stack = this.parameters.stack;
    if (!this.stack || !stack) {
      done();
      return;
    }
    // A request of no cost of its own still waits its turn behind the requests queued before it:
    // a refused invoke is answered after them, not at once.
    const base = Math.max(stack[cpuMs].value, 0);
    this.stack.admit(base * (1 + stack.contentionPerBusyEnvironment.value * this.inUse), done);
  }

  /** Transfer time of `bytes` over the network (each way it travels). */
  transferMs(bytes: number): number {
    return (bytes / 1_048_576) * this.parameters.network.transferMsPerMb.value;
  }

  /** Transfer time of `bytes` through SQS (each way a message travels). */
  sqsTransferMs(bytes: number): number {
    const perMb = this.parameters.sqs.transferMsPerMb ?? this.parameters.network.transferMsPerMb;
    return (bytes / 1_048_576) * perMb.value;
  }

  /**
   * A warm environment of `fn`, else a new one if the account's concurrency and the function's
   * scaling rate allow, else undefined (throttled). `initMs` is 0 for a warm one.
   */
  acquire(
    fn: SimulatedFunction,
  ): { environment: Environment; cold: boolean; initMs: number; placementMs: number } | undefined {
    const now = this.simulation.now;
    const reapAfter = this.parameters.lambda.idleReapMs.value;
    // Past the account's concurrency nothing runs, warm environment or not.
    if (this.inUse >= this.parameters.lambda.accountConcurrency.value) return undefined;
    const pool = this.idle.get(fn.name) ?? [];
    while (pool.length > 0) {
      const environment = pool.pop() as Environment;
      if (now - environment.lastUsedAt <= reapAfter) {
        this.idle.set(fn.name, pool);
        this.inUse += 1;
        return { environment, cold: false, initMs: 0, placementMs: 0 };
      }
      // The most recently used is taken first, so the rest of the pool is older still.
      pool.length = 0;
    }
    const recent = (this.created.get(fn.name) ?? []).filter((at) => now - at < 10_000);
    if (recent.length >= this.parameters.lambda.scalingPer10s.value) {
      this.created.set(fn.name, recent);
      return undefined;
    }
    recent.push(now);
    this.created.set(fn.name, recent);
    this.inUse += 1;
    this.coldStarts += 1;
    const environment: Environment = {
      fn,
      thread: new SerialServer(this.simulation, () => this.cpu.speed(fn.memoryMb)),
      lastUsedAt: now,
    };
    return {
      environment,
      cold: true,
      initMs: this.simulation.draw(this.parameters.lambda.init[fn.role]),
      placementMs: this.simulation.draw(this.parameters.lambda.coldPlacement),
    };
  }

  /**
   * A new environment's INIT, then `ready`. Where CPU is shared (this machine) INIT is CPU work
   * that competes for the cores with everything else (a burst of cold starts slows each other
   * down); on AWS each environment initialises on its own share.
   */
  private startEnvironment(
    environment: Environment,
    initMs: number,
    placementMs: number,
    ready: (initMs: number) => void,
  ): void {
    if (initMs <= 0 && placementMs <= 0) {
      this.simulation.after(0, () => ready(0));
      return;
    }
    this.simulation.after(placementMs, () => {
      const initStartedAt = this.simulation.now;
      const initialised = () => ready(this.simulation.now - initStartedAt);
      if (this.parameters.cpu.mode === "shared") {
        this.cpu.work(initMs, environment.fn.memoryMb, initialised);
      } else this.simulation.after(initMs, initialised);
    });
  }

  /** The environment is done with its invocation: warm for the next, unless it crashed. */
  release(environment: Environment, crashed = false): void {
    this.inUse -= 1;
    if (crashed) return;
    environment.lastUsedAt = this.simulation.now;
    const pool = this.idle.get(environment.fn.name) ?? [];
    pool.push(environment);
    this.idle.set(environment.fn.name, pool);
  }

  /**
   * Runs `body` in an environment of `fn` that is there now (the caller's hop is already paid),
   * or answers throttled. The handler starts after INIT on a cold start.
   */
  runHandler(
    fn: SimulatedFunction,
    body: HandlerBody,
    done: (record: Omit<InvocationRecord, "invokedAt" | "returnedAt">) => void,
    /**
     * What comes between the service taking the request (its concurrency is counted then, as
     * LocalStack's threads and Lambda's frontends take every request at once) and the
     * environment: the request's way in.
     */
    arrive: (proceed: () => void) => void = (proceed) => proceed(),
  ): void {
    const acquired = this.acquire(fn);
    if (!acquired) {
      this.throttles += 1;
      this.stackRequest("throttledInvokeCpuMs", () =>
        done({ coldStart: false, throttled: true, crashed: false, failed: false }),
      );
      return;
    }
    const { environment, placementMs, cold } = acquired;
    arrive(() =>
      this.startEnvironment(environment, acquired.initMs, placementMs, (initMs) => {
        const startedAt = this.simulation.now;
        let finished = false;
        body({ environment, startedAt, coldStart: cold, initMs }, (end = {}) => {
          if (finished) return;
          finished = true;
          const endedAt = this.simulation.now;
          this.release(environment, end.crashed ?? false);
          done({
            startedAt,
            endedAt,
            coldStart: cold,
            billing: {
              memoryMb: fn.memoryMb,
              architecture: fn.architecture,
              billedMs: roundUp(endedAt - startedAt),
              initMs: roundUp(initMs),
            },
            throttled: false,
            crashed: end.crashed ?? false,
            failed: (end.failed ?? false) || (end.crashed ?? false),
          });
        });
      }),
    );
  }

  /**
   * A synchronous Invoke from `caller` (its thread pays its own CPU per request): the request
   * hop with `bytesIn`, the handler, the response hop with `bytesOut`.
   */
  invoke(
    caller: Environment | undefined,
    fn: SimulatedFunction,
    sizes: { bytesIn: number; bytesOut: () => number },
    body: HandlerBody,
    done: (record: InvocationRecord) => void,
  ): void {
    const invokedAt = this.simulation.now;
    const { lambda } = this.parameters;
    const send = () =>
      this.runHandler(
        fn,
        body,
        (record) => {
          const back = record.throttled
            ? this.simulation.draw(lambda.invokeResponse)
            : this.simulation.draw(lambda.invokeResponse) + this.transferMs(sizes.bytesOut());
          this.simulation.after(back, () =>
            done({ ...record, invokedAt, returnedAt: this.simulation.now }),
          );
        },
        (proceed) =>
          this.stackRequest("invokeCpuMs", () =>
            this.simulation.after(
              this.simulation.draw(lambda.invokeRequest) + this.transferMs(sizes.bytesIn),
              proceed,
            ),
          ),
      );
    if (caller) caller.thread.serve(this.callerCpuMs(), send);
    else send();
  }

  /** The caller's own CPU for one request to a service (the SDK building and signing it). */
  callerCpuMs(): number {
    return this.parameters.lambda.callerCpuPerRequestMs.value;
  }

  /** A draw of a figure, in the simulation's mode. */
  draw(figure: Figure): number {
    return this.simulation.draw(figure);
  }
}
