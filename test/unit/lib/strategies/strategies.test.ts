import { describe, expect, it, vi } from "vitest";
import { UsageMeter } from "../../../../lib/cost/UsageMeter.js";
import { RedeliveryRequestedError, TaskFailedError } from "../../../../lib/errors.js";
import type {
  Completion,
  InvocationOutcome,
  RunMailbox,
  TaskInvoker,
  TaskQueue,
  WorkMessage,
} from "../../../../lib/ports.js";
import { runFanout } from "../../../../lib/strategies/fanout.js";
import { runInline } from "../../../../lib/strategies/inline.js";
import { runQueue } from "../../../../lib/strategies/queue.js";
import { runSequential } from "../../../../lib/strategies/sequential.js";
import { InProcessInvoker } from "../../../../lib/tasks/InProcessInvoker.js";
import { runTask } from "../../../../lib/tasks/runTask.js";
import type { TaskRequest } from "../../../../lib/tasks/types.js";
import { handleWorkMessage } from "../../../../lib/worker/handleWorkMessage.js";
import { SEED_WORKFLOW, seedWithExtraLogs } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import type { Workflow } from "../../../../lib/workflow/types.js";
import { FakeClock } from "../../../helpers/FakeClock.js";

const BUDGET_MS = 60_000;

/** A task Lambda stand-in: the real in-process invoker, after `latencyMs` each way. */
class FakeLambdaInvoker implements TaskInvoker {
  readonly requests: TaskRequest[] = [];
  private readonly inProcess: InProcessInvoker;
  constructor(
    private readonly clock: FakeClock,
    private readonly latencyMs = 0,
  ) {
    this.inProcess = new InProcessInvoker(clock);
  }

  async invoke(request: TaskRequest): Promise<InvocationOutcome> {
    this.requests.push(request);
    await this.clock.sleep(this.latencyMs);
    try {
      return await this.inProcess.invoke(request);
    } finally {
      await this.clock.sleep(this.latencyMs);
    }
  }
}

/** A queue whose workers run the real worker logic; `duplicate` redelivers every completion. */
class FakeTaskQueue implements TaskQueue {
  closed = false;
  redeliveries = 0;
  constructor(
    private readonly clock: FakeClock,
    private readonly options: {
      duplicate?: boolean;
      latencyMs?: number;
      /** How long SendMessage takes to return to the orchestrator. */
      sendMs?: number;
      closeFails?: boolean;
      receiveFails?: string;
    } = {},
  ) {}

  async openRun(runId: string): Promise<RunMailbox> {
    const { clock, options } = this;
    const inbox: Completion[] = [];
    let wake: (() => void) | undefined;
    const deliver = (completion: Completion) => {
      inbox.push(completion);
      if (options.duplicate) inbox.push(completion);
      wake?.();
    };
    const queue = this;
    // SQS's redelivery: a record the worker failed comes back, its receive count one higher.
    const deliverMessage = (message: WorkMessage, receiveCount: number): void => {
      // The real worker logic, reporting straight into this run's inbox.
      const worker = {
        sender: { send: async (_: string, done: Completion) => deliver(done) },
        clock,
        coldStart: false,
        receiveCount,
        environment: {
          crash: (): never => {
            throw new Error("the worker's environment was killed");
          },
        },
      };
      void clock
        .sleep(options.latencyMs ?? 0)
        .then(() => handleWorkMessage(JSON.stringify(message), worker))
        .catch((error: unknown) => {
          if (error instanceof RedeliveryRequestedError) {
            queue.redeliveries += 1;
            void clock
              .sleep(error.delaySeconds * 1000)
              .then(() => deliverMessage(message, receiveCount + 1));
          }
        });
    };
    return {
      replyTo: `reply-${runId}`,
      async dispatch(message: WorkMessage) {
        deliverMessage(message, 1);
        if (options.sendMs) await clock.sleep(options.sendMs);
      },
      async nextCompletions(signal: AbortSignal) {
        if (options.receiveFails) {
          await clock.sleep(10, signal).catch(() => {});
          throw Object.assign(new Error(options.receiveFails), { name: "AccessDenied" });
        }
        if (inbox.length === 0) {
          await new Promise<void>((resolve) => {
            wake = resolve;
            signal.addEventListener("abort", () => resolve());
          });
        }
        return inbox.splice(0);
      },
      async close() {
        if (options.closeFails) throw new Error("AccessDenied: sqs:DeleteQueue");
        queue.closed = true;
      },
    };
  }
}

function plan(
  strategy: "sequential" | "fanout" | "inline" | "queue",
  workflow: Workflow = SEED_WORKFLOW,
) {
  return planRun({ runId: "run-1", strategy, workflow, scale: 1 });
}

describe("Strategies over the seed workflow (2 s per task, zero latency)", () => {
  it("sequential takes the sum of the tasks: 6 s", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock);

    const report = await clock.drive(
      runSequential(plan("sequential"), {
        clock,
        invoker,
        budgetMs: BUDGET_MS,
        meter: new UsageMeter(),
      }),
    );

    expect(report.status).toBe("succeeded");
    expect(report.wallMs).toBe(6000);
    expect(report.criticalPathMs).toBe(4000);
    expect(report.criticalPath).toEqual(["queryData", "processData"]);
    expect(report.overheadMs).toBe(2000);
  });

  it("sequential invokes one task at a time in topological order", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock);

    const report = await clock.drive(
      runSequential(plan("sequential"), {
        clock,
        invoker,
        budgetMs: BUDGET_MS,
        meter: new UsageMeter(),
      }),
    );

    expect(invoker.requests.map((request) => request.taskId)).toEqual([
      "queryData",
      "processData",
      "writeLog",
    ]);
    const [first, second, third] = report.tasks;
    expect(second?.invokedAt).toBeGreaterThanOrEqual(first?.returnedAt ?? Infinity);
    expect(third?.invokedAt).toBeGreaterThanOrEqual(second?.returnedAt ?? Infinity);
  });

  it.each(["fanout", "inline", "queue"] as const)(
    "%s takes the critical path: 4 s",
    async (strategy) => {
      const clock = new FakeClock();
      const context = { clock, budgetMs: BUDGET_MS, meter: new UsageMeter() };
      const run = {
        fanout: () =>
          runFanout(plan("fanout"), { ...context, invoker: new FakeLambdaInvoker(clock) }),
        inline: () => runInline(plan("inline"), context),
        queue: () => runQueue(plan("queue"), { ...context, taskQueue: new FakeTaskQueue(clock) }),
      }[strategy];

      const report = await clock.drive(run());

      expect(report.status).toBe("succeeded");
      expect(report.wallMs).toBe(4000);
      expect(report.overheadMs).toBe(0);
    },
  );

  it("passes each dep's output to its dependents as input", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock);

    const report = await clock.drive(
      runFanout(plan("fanout"), { clock, invoker, budgetMs: BUDGET_MS, meter: new UsageMeter() }),
    );

    const query = report.tasks.find((task) => task.id === "queryData");
    expect(invoker.requests.find((request) => request.taskId === "processData")?.inputs).toEqual({
      queryData: query?.output,
    });
    expect(report.tasks.find((task) => task.id === "processData")?.output).toMatchObject({
      digests: { queryData: query?.outputDigest },
    });
  });

  it("fanout absorbs three more independent writeLog tasks without a longer wall time", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock, 10);

    const seed = await clock.drive(
      runFanout(plan("fanout"), { clock, invoker, budgetMs: BUDGET_MS, meter: new UsageMeter() }),
    );
    const wider = await clock.drive(
      runFanout(plan("fanout", seedWithExtraLogs(3)), {
        clock,
        invoker,
        budgetMs: BUDGET_MS,
        meter: new UsageMeter(),
      }),
    );

    expect(wider.wallMs).toBe(seed.wallMs);
  });

  it("counts invocation latency as overhead, paid once per DAG level each way", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock, 25);

    const report = await clock.drive(
      runFanout(plan("fanout"), { clock, invoker, budgetMs: BUDGET_MS, meter: new UsageMeter() }),
    );

    expect(report.criticalPathMs).toBe(4000);
    expect(report.levels).toBe(2);
    expect(report.overheadMs).toBe(2 * 2 * 25);
  });
});

describe("Function: executeWorkflow (through the strategies)", () => {
  const failingWorkflow: Workflow = {
    tasks: [
      { id: "queryData", fn: "queryData", deps: [], fail: "database unreachable" },
      { id: "processData", fn: "processData", deps: ["queryData"] },
      { id: "writeLog", fn: "writeLog", deps: [] },
    ],
  };

  it("reports a failed run naming the task and its error, and skips its dependents", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock);

    const report = await clock.drive(
      runFanout(plan("fanout", failingWorkflow), {
        clock,
        invoker,
        budgetMs: BUDGET_MS,
        meter: new UsageMeter(),
      }),
    );

    expect(report.status).toBe("failed");
    expect(report.error).toMatchObject({ taskId: "queryData", message: "database unreachable" });
    const statuses = Object.fromEntries(report.tasks.map((task) => [task.id, task.status]));
    expect(statuses).toEqual({
      queryData: "failed",
      processData: "skipped",
      writeLog: "succeeded",
    });
  });

  it("the queue strategy reports a task failure from its completion", async () => {
    const clock = new FakeClock();
    const taskQueue = new FakeTaskQueue(clock);

    const report = await clock.drive(
      runQueue(plan("queue", failingWorkflow), {
        clock,
        taskQueue,
        budgetMs: BUDGET_MS,
        meter: new UsageMeter(),
      }),
    );

    expect(report.status).toBe("failed");
    expect(report.error).toMatchObject({ taskId: "queryData", message: "database unreachable" });
    expect(taskQueue.closed).toBe(true);
  });

  it("a reply channel that cannot be closed leaves the succeeded run and its report alone", async () => {
    const clock = new FakeClock();
    const taskQueue = new FakeTaskQueue(clock, { closeFails: true });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    const report = await clock.drive(
      runQueue(plan("queue"), { clock, taskQueue, budgetMs: BUDGET_MS, meter: new UsageMeter() }),
    );

    expect(report.status).toBe("succeeded");
    expect(report.tasks.every((task) => task.status === "succeeded")).toBe(true);
    expect(String(warn.mock.calls[0]?.[0])).toMatch(
      /could not close its reply channel reply-run-1/,
    );
    warn.mockRestore();
  });

  it("a run whose completions cannot be received times out naming the receive error, and logs it", async () => {
    const clock = new FakeClock();
    const taskQueue = new FakeTaskQueue(clock, {
      receiveFails: "not authorized to sqs:ReceiveMessage",
    });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    const report = await clock.drive(
      runQueue(plan("queue"), { clock, taskQueue, budgetMs: BUDGET_MS, meter: new UsageMeter() }),
    );

    expect(report.status).toBe("failed");
    expect(report.error?.type).toBe("Timeout");
    expect(report.error?.message).toMatch(
      /receiving completions failed: AccessDenied: not authorized to sqs:ReceiveMessage$/,
    );
    expect(warn).toHaveBeenCalledWith(
      expect.stringMatching(/receiving completions failed/),
      expect.any(Error),
    );
    warn.mockRestore();
  });

  it("the queue reports when each work message's SendMessage returned, on the orchestrator's clock", async () => {
    // Prepare: a send that takes 7 ms to return, a worker that takes 20 ms to receive
    const clock = new FakeClock();
    const taskQueue = new FakeTaskQueue(clock, { sendMs: 7, latencyMs: 20 });

    // Act
    const report = await clock.drive(
      runQueue(plan("queue"), { clock, taskQueue, budgetMs: BUDGET_MS, meter: new UsageMeter() }),
    );

    // Assess
    expect(report.status).toBe("succeeded");
    for (const task of report.tasks) {
      const transport = task.transport;
      expect(transport?.acknowledgedAt).toBeDefined();
      expect((transport?.acknowledgedAt ?? 0) - (transport?.sentAt ?? 0)).toBe(7);
    }
  });

  it("a redelivered completion does not count a task twice", async () => {
    const clock = new FakeClock();
    const taskQueue = new FakeTaskQueue(clock, { duplicate: true, latencyMs: 5 });

    const report = await clock.drive(
      runQueue(plan("queue"), { clock, taskQueue, budgetMs: BUDGET_MS, meter: new UsageMeter() }),
    );

    expect(report.status).toBe("succeeded");
    expect(report.tasks.map((task) => task.id)).toEqual(["queryData", "processData", "writeLog"]);
    expect(report.tasks.every((task) => task.transport?.sentAt !== undefined)).toBe(true);
    // each of the three tasks counted once; its second completion seen and ignored
    expect(report.duplicateCompletions).toBe(3);
  });

  it("a work message still queued when its run gave up is dropped by the worker, not run", async () => {
    const clock = new FakeClock();
    // Delivered 5 s after the run's 3 s budget ran out: a backlog after a burst.
    const taskQueue = new FakeTaskQueue(clock, { latencyMs: 8000 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});

    const report = await clock.drive(
      runQueue(plan("queue"), { clock, taskQueue, budgetMs: 3000, meter: new UsageMeter() }),
    );
    await clock.drive(clock.sleep(10_000));

    expect(report.error?.type).toBe("Timeout");
    expect(warn).toHaveBeenCalledWith("run run-1 is over: queryData dropped, not run");
    warn.mockRestore();
  });

  it("gives up at the budget, listing the tasks that never finished", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock);

    const report = await clock.drive(
      runSequential(plan("sequential"), {
        clock,
        invoker,
        budgetMs: 3000,
        meter: new UsageMeter(),
      }),
    );

    expect(report.status).toBe("failed");
    expect(report.error?.type).toBe("Timeout");
    expect(report.error?.message).toContain("processData, writeLog");
    expect(report.wallMs).toBe(3000);
    const statuses = Object.fromEntries(report.tasks.map((task) => [task.id, task.status]));
    expect(statuses).toEqual({
      queryData: "succeeded",
      processData: "timedOut",
      writeLog: "skipped",
    });
  });

  it("starts nothing after the first failure, even a task that is ready", async () => {
    const clock = new FakeClock();
    const invoker = new FakeLambdaInvoker(clock);

    const report = await clock.drive(
      runSequential(plan("sequential", failingWorkflow), {
        clock,
        invoker,
        budgetMs: BUDGET_MS,
        meter: new UsageMeter(),
      }),
    );

    // writeLog depends on nothing and was ready: sequential would have run it next.
    expect(invoker.requests.map((request) => request.taskId)).toEqual(["queryData"]);
    expect(report.tasks.find((task) => task.id === "writeLog")?.status).toBe("skipped");
  });

  it("a task that answers after the run gave up does not change the report", async () => {
    const clock = new FakeClock();
    const answers: Array<Promise<unknown>> = [];
    // Answers after 5 s whatever the abort says, like a Lambda that was already running.
    const lateInvoker: TaskInvoker = {
      invoke: (request) => {
        const answer = clock.sleep(5000).then(async () => ({
          ...(await runTask({ ...request, durationMs: 0 }, clock)),
          coldStart: false,
        }));
        answers.push(answer);
        return answer;
      },
    };

    const report = await clock.drive(
      runFanout(plan("fanout"), {
        clock,
        invoker: lateInvoker,
        budgetMs: 1000,
        meter: new UsageMeter(),
      }),
    );
    const before = structuredClone(report);
    await clock.drive(Promise.all(answers));

    expect(report).toEqual(before);
    expect(report.tasks.every((task) => task.status !== "succeeded")).toBe(true);
  });
});

/** A task Lambda whose environment dies on a faulty task's first attempt (Runtime.ExitError). */
class CrashingInvoker extends FakeLambdaInvoker {
  override async invoke(request: TaskRequest): Promise<InvocationOutcome> {
    if (request.fault && (request.attempt ?? 0) === 0) {
      this.requests.push(request);
      throw new TaskFailedError(request.taskId, "Runtime.ExitError", "exited with 70");
    }
    return super.invoke({ ...request, fault: undefined });
  }
}

describe("Retries: each strategy's own mechanism", () => {
  const crashing = (retries: number): Workflow => ({
    tasks: [
      { id: "queryData", fn: "queryData", deps: [], fault: "crash", retries, durationMs: 200 },
      { id: "processData", fn: "processData", deps: ["queryData"], durationMs: 200 },
    ],
  });

  it.each([
    ["sequential", runSequential],
    ["fanout", runFanout],
  ] as const)("%s invokes a failed task again and reports its attempts", async (name, run) => {
    const clock = new FakeClock();
    const invoker = new CrashingInvoker(clock);
    const context = { clock, invoker, budgetMs: BUDGET_MS, meter: new UsageMeter() };

    const recovered = await clock.drive(run(plan(name, crashing(2)), context));
    const failed = await clock.drive(run(plan(name, crashing(0)), context));

    expect(recovered.status).toBe("succeeded");
    expect(recovered.tasks.find((task) => task.id === "queryData")?.attempts).toBe(2);
    expect(invoker.requests.filter((request) => request.taskId === "queryData")).toEqual([
      expect.objectContaining({ attempt: 0, fault: "crash" }),
      expect.objectContaining({ attempt: 1 }),
      expect.objectContaining({ attempt: 0, fault: "crash" }),
    ]);
    expect(failed).toMatchObject({
      status: "failed",
      error: { taskId: "queryData", type: "Runtime.ExitError" },
    });
    expect(failed.tasks.find((task) => task.id === "queryData")?.attempts).toBe(1);
  });

  it("the queue has SQS deliver the message again, and reports the receive count as attempts", async () => {
    const clock = new FakeClock();
    const taskQueue = new FakeTaskQueue(clock);
    const context = { clock, taskQueue, budgetMs: BUDGET_MS, meter: new UsageMeter() };

    const recovered = await clock.drive(runQueue(plan("queue", crashing(2)), context));
    const failed = await clock.drive(runQueue(plan("queue", crashing(0)), context));

    expect(recovered.status).toBe("succeeded");
    expect(recovered.tasks.find((task) => task.id === "queryData")?.attempts).toBe(2);
    expect(taskQueue.redeliveries).toBe(1);
    expect(failed).toMatchObject({ status: "failed", error: { taskId: "queryData" } });
    expect(failed.error?.message).toMatch(/environment was killed/);
  });
});
