import { z } from "zod";

/** The faults bench:faults injects into the local stack (bench/faults.ts says how). */
export const INJECTED_FAULTS = ["crash", "hang", "throttle", "duplicate", "orchestrator"] as const;

/** One strategy under one fault with one retries setting: how its concurrent runs ended. */
export const faultCaseSchema = z.object({
  strategy: z.string(),
  fault: z.enum(INJECTED_FAULTS),
  retries: z.number().int().min(0),
  /** Why the fault does not apply to this strategy (or could not be injected). */
  notApplicable: z.string().optional(),
  started: z.number().int().min(0),
  /** Succeeded with at least one task on a second or later attempt. */
  recovered: z.number().int().min(0),
  /** Succeeded with every task on its first attempt (the fault absorbed, e.g. a throttle). */
  succeeded: z.number().int().min(0),
  /** A report that says failed, naming the task (or the deadline) and why. */
  failed: z.number().int().min(0),
  /** No report: a network error, a 5xx, a body that is not a report. */
  lost: z.number().int().min(0),
  /** No answer within the budget. */
  hung: z.number().int().min(0),
  /** Task executions a run saw twice (the queue's duplicate completions). */
  duplicateExecutions: z.number().int().min(0),
  /** Invoke attempts refused (429) and retried, where the invoker sees them. */
  throttledInvokes: z.number().int().min(0),
  wallMs: z.object({ max: z.number() }),
  /**
   * `orchestrator` only: from a run's acceptance until its record ended (by its orchestrator, a
   * durable replay, or the record sweeper on its schedule), the longest of the case's runs.
   */
  recordedWithinMs: z.number().optional(),
  reasons: z.array(z.string()),
});

/** A bench:faults result as it writes it (bench/results/faults-*.json): measured locally. */
export const faultSweepSchema = z.object({
  generatedAt: z.string(),
  environment: z.string(),
  measured: z.literal("locally"),
  settings: z.object({
    runs: z.number(),
    budgetS: z.number(),
    taskMs: z.number(),
    faults: z.array(z.enum(INJECTED_FAULTS)),
    retries: z.array(z.number()),
    strategies: z.array(z.string()),
  }),
  results: z.array(faultCaseSchema),
  leftovers: z
    .object({
      workQueueMessages: z.number(),
      deadLetterMessages: z.number(),
      replyQueues: z.array(z.string()),
    })
    .optional(),
});

export type FaultCase = z.infer<typeof faultCaseSchema>;
export type FaultSweep = z.infer<typeof faultSweepSchema>;
