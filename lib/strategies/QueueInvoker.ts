import { describeError, TaskFailedError } from "../errors.js";
import type {
  Clock,
  Completion,
  FunctionCall,
  FunctionInvoker,
  InvocationOutcome,
  RunMailbox,
  TaskInvoker,
  WorkMessage,
} from "../ports.js";
import type { TaskRequest } from "../tasks/types.js";

/** Omit over each member of a union (the work message is one of two kinds). */
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

interface Waiter {
  sentAt: number;
  /** When SendMessage returned: the send's round trip from inside a function, for calibration. */
  acknowledgedAt?: number;
  resolve: (outcome: InvocationOutcome) => void;
  reject: (error: TaskFailedError) => void;
}

const RECEIVE_RETRY_DELAY_MS = 200;
/** A receive returns at most 10 completions: one receiver per 10 outstanding tasks, up to this. */
const MAX_RECEIVERS = 8;
const COMPLETIONS_PER_RECEIVE = 10;

/**
 * The producer side of the queue strategy: sends each task as a work message and resolves it when
 * its completion arrives on the run's own reply channel. The first completion of a task wins, so a
 * redelivered message never counts a task twice.
 */
export class QueueInvoker implements TaskInvoker, FunctionInvoker {
  private readonly waiters = new Map<string, Waiter>();
  private readonly stopping = new AbortController();
  private readonly receivers: Array<Promise<void>> = [];
  /** Completions for a task already settled: SQS delivers at least once. */
  duplicateCompletions = 0;
  /** The last failed receive, e.g. AccessDenied: a run that then times out names it. */
  lastReceiveError: string | undefined;

  /** @param expiresAt when the run gives up (epoch ms): workers drop what is still queued then. */
  constructor(
    private readonly runId: string,
    private readonly mailbox: RunMailbox,
    private readonly clock: Clock,
    private readonly expiresAt?: number,
  ) {}

  invoke(request: TaskRequest): Promise<InvocationOutcome> {
    return this.dispatch(request);
  }

  /** The worker invokes the function for the run, measuring it from its REPORT line. */
  invokeFunction(call: FunctionCall): Promise<InvocationOutcome> {
    const { taskId, function: functionName, configuration, event, retries } = call;
    return this.dispatch({
      runId: this.runId,
      taskId,
      function: functionName,
      configuration,
      event,
      ...(retries ? { retries } : {}),
    });
  }

  private async dispatch(
    work: DistributiveOmit<WorkMessage, "replyTo" | "sentAt" | "expiresAt">,
  ): Promise<InvocationOutcome> {
    const sentAt = this.clock.now();
    const outcome = new Promise<InvocationOutcome>((resolve, reject) => {
      this.waiters.set(work.taskId, { sentAt, resolve, reject });
    });
    try {
      await this.mailbox.dispatch({
        ...work,
        replyTo: this.mailbox.replyTo,
        sentAt,
        ...(this.expiresAt === undefined ? {} : { expiresAt: this.expiresAt }),
      });
    } catch (error) {
      this.waiters.delete(work.taskId);
      throw error;
    }
    const waiter = this.waiters.get(work.taskId);
    if (waiter) waiter.acknowledgedAt = this.clock.now();
    // A wide level's completions arrive together: more receivers drain the reply channel faster.
    const wanted = Math.min(MAX_RECEIVERS, Math.ceil(this.waiters.size / COMPLETIONS_PER_RECEIVE));
    while (this.receivers.length < wanted) this.receivers.push(this.pumpCompletions());
    return outcome;
  }

  /** Stops listening for completions; call once the run is over. */
  async stop(): Promise<void> {
    this.stopping.abort();
    await Promise.all(this.receivers);
  }

  private async pumpCompletions(): Promise<void> {
    const { signal } = this.stopping;
    while (!signal.aborted) {
      try {
        for (const completion of await this.mailbox.nextCompletions(signal)) {
          this.settle(completion);
        }
      } catch (error) {
        // A failed receive must not end the run: try again shortly; the run budget bounds it.
        if (signal.aborted) break;
        const { type, message } = describeError(error);
        this.lastReceiveError = `${type}: ${message}`;
        console.warn(`run ${this.mailbox.replyTo}: receiving completions failed`, error);
        await this.clock.sleep(RECEIVE_RETRY_DELAY_MS, signal).catch(() => {});
      }
    }
  }

  private settle(completion: Completion): void {
    const waiter = this.waiters.get(completion.taskId);
    if (!waiter) {
      this.duplicateCompletions += 1;
      return;
    }
    this.waiters.delete(completion.taskId);
    const transport = {
      sentAt: waiter.sentAt,
      ...(waiter.acknowledgedAt === undefined ? {} : { acknowledgedAt: waiter.acknowledgedAt }),
      receivedAt: completion.receivedAt,
      completedAt: completion.completedAt,
    };
    if (completion.ok) {
      waiter.resolve({ ...completion.result, transport });
    } else {
      waiter.reject(
        new TaskFailedError(completion.taskId, completion.error.type, completion.error.message, {
          ...(completion.billing ? { billing: completion.billing } : {}),
        }),
      );
    }
  }
}
