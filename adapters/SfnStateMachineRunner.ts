import { createHash } from "node:crypto";
import {
  CreateStateMachineCommand,
  type SFNClient,
  StartSyncExecutionCommand,
  StateMachineAlreadyExists,
} from "@aws-sdk/client-sfn";
import type { StateMachineExecution, StateMachineRunner } from "../lib/ports.js";
import { createSfnClient } from "./sfnClient.js";

export interface SfnStateMachineRunnerOptions {
  /** Names of the state machines this service creates start with it (IAM allows only those). */
  namePrefix: string;
  /** The execution role Step Functions assumes: it may invoke the task functions only. */
  roleArn: string;
}

const KNOWN_STATUSES = ["SUCCEEDED", "FAILED", "TIMED_OUT"] as const;

/**
 * Runs definitions as Express state machines with StartSyncExecution. Each distinct definition
 * becomes one state machine, named by a hash of its ASL and created on first use (or found, if an
 * earlier environment created it); every run of it after that only starts an execution with its
 * own input. Generated definitions hold a workflow's shape only (task ids and values travel in the
 * input), so all runs of workflows of one shape share one state machine, and CreateStateMachine
 * (throttled on AWS) is called once per shape and execution environment.
 *
 * StartSyncExecution answers 200 even when the execution failed: the status says how it ended.
 */
export class SfnStateMachineRunner implements StateMachineRunner {
  private readonly arns = new Map<string, Promise<string>>();

  constructor(
    private readonly options: SfnStateMachineRunnerOptions,
    private readonly client: SFNClient = createSfnClient(),
  ) {}

  async run(
    definition: object,
    input: object,
    signal: AbortSignal,
  ): Promise<StateMachineExecution> {
    const stateMachineArn = await this.stateMachineFor(JSON.stringify(definition));
    const response = await this.client.send(
      new StartSyncExecutionCommand({ stateMachineArn, input: JSON.stringify(input) }),
      { abortSignal: signal },
    );
    const status = KNOWN_STATUSES.find((known) => known === response.status) ?? "FAILED";
    const billing = response.billingDetails;
    return {
      status,
      ...(response.output ? { output: JSON.parse(response.output) } : {}),
      ...(response.error ? { error: response.error } : {}),
      ...(response.cause ? { cause: response.cause } : {}),
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

  private stateMachineFor(definition: string): Promise<string> {
    const name = `${this.options.namePrefix}${createHash("sha256").update(definition).digest("hex").slice(0, 32)}`;
    let arn = this.arns.get(name);
    if (!arn) {
      arn = this.create(name, definition);
      this.arns.set(name, arn);
      // A failed creation is not cached: the next run tries again.
      arn.catch(() => this.arns.delete(name));
    }
    return arn;
  }

  private async create(name: string, definition: string): Promise<string> {
    try {
      const created = await this.client.send(
        new CreateStateMachineCommand({
          name,
          definition,
          roleArn: this.options.roleArn,
          type: "EXPRESS",
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
