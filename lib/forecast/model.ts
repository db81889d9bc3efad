import type { RunReport, RunUsage } from "../runReport/types.js";
import type { RunPlan } from "../workflow/plan.js";
import type { Handler, LambdaService, SimulatedFunction } from "./lambdaService.js";
import type { Simulation } from "./simulation.js";
import type { OwnFunctionFacts } from "./taskBodies.js";
import type { SimulatedWorkQueue } from "./workQueue.js";

/** What a strategy's model runs on: the simulated platform, and the orchestrator it runs in. */
export interface ModelContext {
  simulation: Simulation;
  lambda: LambdaService;
  /** The orchestrator's invocation this run started in (for durable: its first replay). */
  orchestrator: Handler;
  /** The run gives up after this long, as the real orchestrator does. */
  budgetMs: number;
  ownFunctions: ReadonlyMap<string, OwnFunctionFacts>;
  /** The queue strategy's work queue and its event source mapping, shared by every run. */
  workQueue: SimulatedWorkQueue;
  /**
   * Durable only: the orchestrator's first invocation ends when its first replay suspends (its
   * later replays are invocations of their own).
   */
  endOrchestratorInvocation: () => void;
  /** Which Step Functions workflow type runs the state machine (Express unless said). */
  stateMachineType: "express" | "standard";
  /** The functions a strategy calls besides the tasks': the worker, and the orchestrator itself. */
  functions: { worker: SimulatedFunction; orchestrator: SimulatedFunction };
}

/** What a model hands back: the run's report, and what it used beyond its Lambda invocations. */
export interface ModelResult {
  /** As the real strategy builds it (lib/runReport/buildRunReport.ts), with its own parts. */
  report: RunReport;
  sqsRequests: RunUsage["sqsRequests"];
  /**
   * False when the orchestrator's invocation ended before the run did (durable: later replays
   * are their own invocations, in `report.durable.replays`).
   */
  orchestratorWaits: boolean;
}

/**
 * A strategy's model: runs `plan` on the simulated platform as the strategy's real code would,
 * from the orchestrator's handler on, and calls `done` once with the run's report. Each strategy
 * brings its own (its registry entry, lib/strategies/registry.ts).
 */
export type StrategyModel = (
  plan: RunPlan,
  context: ModelContext,
  done: (result: ModelResult) => void,
) => void;
