import { createHash } from "node:crypto";
import { setTimeout as sleepFor } from "node:timers/promises";
import {
  CreateStateMachineCommand,
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  GetExecutionHistoryCommand,
  type SFNClient,
  StartExecutionCommand,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
  StopExecutionCommand,
} from "@aws-sdk/client-sfn";
import type {
  StateMachineExecution,
  StateMachineRunner,
  StateMachineRunOptions,
} from "../lib/ports.js";
import type { StateMachineType } from "../lib/runReport/types.js";
import { createSfnClient } from "./sfnClient.js";

export interface SfnStateMachineRunnerOptions {
  /** Names of the state machines this service creates start with it (IAM allows only those). */
  namePrefix: string;
  /** The execution role Step Functions assumes: it may invoke the task functions only. */
  roleArn: string;
  /** Waits between polls of a Standard execution; rejects when `signal` aborts (tests: no wait). */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const KNOWN_STATUSES = ["SUCCEEDED", "FAILED", "TIMED_OUT"] as const;

/** State machine names: at most 80 characters (CreateStateMachine). */
const MAX_NAME_LENGTH = 80;
const HASH_CHARS = 32;
/** Marks a Standard machine's name, so it differs from the Express one of the same definition. */
const STANDARD_MARKER = "std-";

/** DescribeExecution of a running Standard execution: first after 250 ms, doubling up to 2 s. */
export const STANDARD_POLL = { firstMs: 250, maxMs: 2000 } as const;

/**
 * Events that start one attempt of a Task state: Lambda by ARN (what generated machines use), a
 * service integration, an activity. More attempts than Task states entered are retries.
 */
const ATTEMPT_EVENTS: ReadonlySet<string> = new Set([
  "LambdaFunctionScheduled",
  "TaskScheduled",
  "ActivityScheduled",
]);

/**
 * The state transitions a Standard execution is billed for, from its history's event types.
 * AWS's pricing page: "Step Functions counts a state transition each time a step of your workflow
 * is executed ... including retries", and "each retry will be charged as an additional state
 * transition". A step executed is a `*StateEntered` event (Task, Pass, Parallel, Fail, Succeed...,
 * inside Parallel branches too); a retry enters no state again but schedules its Task again, so
 * attempts beyond one per Task state entered are added. (A Task state that fails before it
 * schedules anything would hide one retry from this count: none of the generated machines' can.)
 */
export function billedTransitions(eventTypes: Iterable<string>): number {
  let entered = 0;
  let tasksEntered = 0;
  let attempts = 0;
  for (const type of eventTypes) {
    if (type.endsWith("StateEntered")) {
      entered += 1;
      if (type === "TaskStateEntered") tasksEntered += 1;
    } else if (ATTEMPT_EVENTS.has(type)) {
      attempts += 1;
    }
  }
  return entered + Math.max(attempts - tasksEntered, 0);
}

/**
 * Runs definitions as Express state machines with StartSyncExecution, or as Standard ones with
 * StartExecution and DescribeExecution. Each distinct definition becomes one state machine of each
 * type asked for, named by a hash of its ASL (Standard's name marked `std-`) and created on first
 * use (or found, if an earlier environment created it); every run of it after that only starts an
 * execution with its own input. Generated definitions hold a workflow's shape only (task ids and
 * values travel in the input), so all runs of workflows of one shape share one state machine, and
 * CreateStateMachine (throttled on AWS) is called once per shape, type and execution environment.
 *
 * StartSyncExecution answers 200 even when the execution failed: the status says how it ended.
 * A Standard execution is asynchronous: it is polled until it is no longer RUNNING, stopped when
 * the run gives up on it, and its transitions (what Standard bills) are counted from its history.
 */
export class SfnStateMachineRunner implements StateMachineRunner {
  private readonly arns = new Map<string, Promise<string>>();
  private readonly sleep: (ms: number, signal: AbortSignal) => Promise<void>;

  constructor(
    private readonly options: SfnStateMachineRunnerOptions,
    private readonly client: SFNClient = createSfnClient(),
  ) {
    const longest = options.namePrefix.length + STANDARD_MARKER.length + HASH_CHARS;
    if (longest > MAX_NAME_LENGTH) {
      throw new Error(
        `state machine name prefix '${options.namePrefix}' is too long: names would reach ${longest} characters, over Step Functions' ${MAX_NAME_LENGTH}`,
      );
    }
    this.sleep = options.sleep ?? ((ms, signal) => sleepFor(ms, undefined, { signal }));
  }

  async run(
    definition: object,
    input: object,
    signal: AbortSignal,
    options: StateMachineRunOptions = { type: "express" },
  ): Promise<StateMachineExecution> {
    const stateMachineArn = await this.stateMachineFor(JSON.stringify(definition), options.type);
    return options.type === "standard"
      ? this.runStandard(stateMachineArn, input, signal)
      : this.runExpress(stateMachineArn, input, signal);
  }

  private async runExpress(
    stateMachineArn: string,
    input: object,
    signal: AbortSignal,
  ): Promise<StateMachineExecution> {
    const response = await this.client.send(
      new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
      { abortSignal: signal },
    );
    const billing = response.billingDetails;
    return {
      ...executionOutcome("express", response),
      ...(billing?.billedDurationInMilliseconds !== undefined &&
      billing.billedMemoryUsedInMB !== undefined
        ? {
            billing: {
              billedDurationMs: Number(billing.billedDurationInMilliseconds),
              billedMemoryMb: Number(billing.billedMemoryUsedInMB),
            },
          }
        : {}),
    };
  }

  /**
   * StartExecution (not aborted: once asked, the execution may have started, and only its ARN
   * lets it be stopped), then DescribeExecution until it ends. When `signal` aborts, the execution
   * is stopped and the abort rethrown.
   */
  private async runStandard(
    stateMachineArn: string,
    input: object,
    signal: AbortSignal,
  ): Promise<StateMachineExecution> {
    const started = await this.client.send(
      new StartExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
    );
    const executionArn = started.executionArn;
    if (!executionArn) throw new Error(`StartExecution returned no ARN for ${stateMachineArn}`);
    try {
      signal.throwIfAborted();
      const ended = await this.untilEnded(executionArn, signal);
      const transitions = await this.transitionsOf(executionArn, signal);
      return { ...standardOutcome(ended), transitions };
    } catch (error) {
      if (signal.aborted) {
        // Best effort: the run has given up either way, and the abort is what it must hear.
        await this.client
          .send(
            new StopExecutionCommand({
              executionArn,
              error: "Timeout",
              cause: "the run gave up on this execution",
            }),
          )
          .catch(() => {});
      }
      throw error;
    }
  }

  private async untilEnded(
    executionArn: string,
    signal: AbortSignal,
  ): Promise<DescribeExecutionCommandOutput> {
    for (let waitMs: number = STANDARD_POLL.firstMs; ; ) {
      await this.sleep(waitMs, signal);
      const described = await this.client.send(new DescribeExecutionCommand({ executionArn }), {
        abortSignal: signal,
      });
      if (described.status !== "RUNNING") return described;
      waitMs = Math.min(waitMs * 2, STANDARD_POLL.maxMs);
    }
  }

  /** Pages through the execution's history (without its payloads) and counts what was billed. */
  private async transitionsOf(executionArn: string, signal: AbortSignal): Promise<number> {
    const types: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.client.send(
        new GetExecutionHistoryCommand({
          executionArn,
          maxResults: 1000,
          includeExecutionData: false,
          ...(nextToken ? { nextToken } : {}),
        }),
        { abortSignal: signal },
      );
      for (const event of page.events ?? []) if (event.type) types.push(event.type);
      nextToken = page.nextToken;
    } while (nextToken);
    return billedTransitions(types);
  }

  private stateMachineFor(definition: string, type: StateMachineType): Promise<string> {
    const hash = createHash("sha256").update(definition).digest("hex").slice(0, HASH_CHARS);
    const name = `${this.options.namePrefix}${type === "standard" ? STANDARD_MARKER : ""}${hash}`;
    let arn = this.arns.get(name);
    if (!arn) {
      arn = this.create(name, definition, type);
      this.arns.set(name, arn);
      // A failed creation is not cached: the next run tries again.
      arn.catch(() => this.arns.delete(name));
    }
    return arn;
  }

  private async create(name: string, definition: string, type: StateMachineType): Promise<string> {
    try {
      const created = await this.client.send(
        new CreateStateMachineCommand({
          name,
          definition,
          roleArn: this.options.roleArn,
          type: type === "standard" ? "STANDARD" : "EXPRESS",
        }),
      );
      if (!created.stateMachineArn)
        throw new Error(`CreateStateMachine returned no ARN for ${name}`);
      return created.stateMachineArn;
    } catch (error) {
      // Created by another execution environment with the same definition (the name is its hash).
      if (error instanceof StateMachineAlreadyExists) return this.arnOf(name);
      throw error;
    }
  }

  /** arn:aws:states:<region>:<account>:stateMachine:<name>, from the role's account. */
  private async arnOf(name: string): Promise<string> {
    const region = await this.client.config.region();
    const account = this.options.roleArn.split(":")[4];
    return `arn:aws:states:${region}:${account}:stateMachine:${name}`;
  }
}

/** A Standard execution's end as DescribeExecution reports it; ABORTED (stopped) is a failure. */
function standardOutcome(described: DescribeExecutionCommandOutput): StateMachineExecution {
  const error =
    described.error ?? (described.status === "ABORTED" ? "ExecutionAborted" : undefined);
  return executionOutcome("standard", { ...described, error });
}

/** How an execution ended, as either API answers it: an unknown status is a failure. */
function executionOutcome(
  type: StateMachineType,
  answer: { status?: string; output?: string; error?: string; cause?: string },
): StateMachineExecution {
  const status = KNOWN_STATUSES.find((known) => known === answer.status) ?? "FAILED";
  return {
    type,
    status,
    ...(answer.output ? { output: JSON.parse(answer.output) } : {}),
    ...(answer.error ? { error: answer.error } : {}),
    ...(answer.cause ? { cause: answer.cause } : {}),
  };
}
