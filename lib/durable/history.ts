/**
 * One event of a durable execution's history (Lambda's GetDurableExecutionHistory), reduced by
 * the adapter to what the report uses: plain numbers, payloads by size only.
 */
export interface DurableHistoryEvent {
  /** Lambda's EventType: ExecutionStarted, ContextStarted, ChainedInvokeSucceeded, ... */
  type: string;
  /** The operation's id and name (none on InvocationCompleted). */
  id?: string;
  name?: string;
  /** When it happened, epoch ms. */
  at: number;
  /** InvocationCompleted: the orchestrator invocation's own span (a replay). */
  invocation?: { startedAt: number; endedAt: number };
  /** UTF-8 bytes of the payloads this event checkpointed (input, result or error). */
  payloadBytes: number;
  /** ChainedInvokeFailed / TimedOut / Stopped: the invoked function's own error. */
  error?: { type: string; message: string };
}

/** What the service did for one `context.invoke`, seen from the execution (not from the task). */
export interface InvokeRecord {
  startedAt?: number;
  endedAt?: number;
  error?: { type: string; message: string };
}

export interface DurableExecutionSummary {
  /** ExecutionStarted: the run's start as the service recorded it. */
  startedAt?: number;
  /** Every orchestrator invocation that had ended when the history was read. */
  invocations: Array<{ startedAt: number; endedAt: number }>;
  /** Operations started (the execution, contexts, invokes): what durable operations bill. */
  operations: number;
  /** Payload bytes the operations checkpointed: what "data written" bills. */
  bytesCheckpointed: number;
  /** By operation name. */
  invokes: Map<string, InvokeRecord>;
}

const INVOKE_ENDED = new Set([
  "ChainedInvokeSucceeded",
  "ChainedInvokeFailed",
  "ChainedInvokeTimedOut",
  "ChainedInvokeStopped",
]);

/** Reduces a durable execution's history to the report's figures. */
export function summarizeHistory(events: readonly DurableHistoryEvent[]): DurableExecutionSummary {
  const summary: DurableExecutionSummary = {
    invocations: [],
    operations: 0,
    bytesCheckpointed: 0,
    invokes: new Map(),
  };
  const started = new Set<string>();
  const invokeNamed = (name: string) => {
    const record = summary.invokes.get(name) ?? {};
    summary.invokes.set(name, record);
    return record;
  };
  for (const event of events) {
    summary.bytesCheckpointed += event.payloadBytes;
    if (event.type.endsWith("Started") && event.id !== undefined && !started.has(event.id)) {
      started.add(event.id);
      summary.operations += 1;
    }
    if (event.type === "ExecutionStarted") summary.startedAt = event.at;
    else if (event.type === "InvocationCompleted" && event.invocation) {
      summary.invocations.push(event.invocation);
    } else if (event.type === "ChainedInvokeStarted" && event.name !== undefined) {
      invokeNamed(event.name).startedAt = event.at;
    } else if (INVOKE_ENDED.has(event.type) && event.name !== undefined) {
      const record = invokeNamed(event.name);
      record.endedAt = event.at;
      if (event.error) record.error = event.error;
    }
  }
  return summary;
}

/** A summary as JSON can hold it (a step's checkpoint): the invokes as entries. */
export type StoredSummary = Omit<DurableExecutionSummary, "invokes"> & {
  invokes: Array<[string, InvokeRecord]>;
};

export function toStoredSummary(summary: DurableExecutionSummary): StoredSummary {
  return { ...summary, invokes: [...summary.invokes] };
}

export function fromStoredSummary(stored: StoredSummary): DurableExecutionSummary {
  return { ...stored, invokes: new Map(stored.invokes) };
}
