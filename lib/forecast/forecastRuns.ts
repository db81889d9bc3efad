import { collectUsage } from "../cost/collectUsage.js";
import { lambdaBilling } from "../cost/lambdaBilling.js";
import { priceRun } from "../cost/priceRun.js";
import type { RunReport } from "../runReport/types.js";
import { SYNCHRONOUS_RUN_BUDGET_MS } from "../runs/runLimits.js";
import type { StrategyName } from "../strategies/names.js";
import type { LambdaBilling } from "../tasks/types.js";
import type { RunPlan } from "../workflow/plan.js";
import { LambdaService, type SimulatedFunction } from "./lambdaService.js";
import type { ModelResult, StrategyModel } from "./model.js";
import type { PlatformParameters } from "./parameters.js";
import { type DrawMode, Simulation } from "./simulation.js";
import { type OwnFunctionFacts, TEMPLATE_FUNCTION } from "./taskBodies.js";
import { SimulatedWorkQueue } from "./workQueue.js";

/** The compare CLI's warm-up runs are the same workflow at a hundredth of its durations. */
export const WARMUP_SCALE = 0.01;
/** The template's MaximumConcurrency on the work queue's event source mapping. */
export const WORK_QUEUE_MAXIMUM_CONCURRENCY = 100;

export interface ForecastSettings {
  parameters: PlatformParameters;
  seed: number;
  mode?: DrawMode;
  /** Default: the synchronous request's budget, as the orchestrators run today. */
  budgetMs?: number;
  ownFunctions?: ReadonlyMap<string, OwnFunctionFacts>;
  /** Warm-up runs before the measured ones, as compare makes them (default 1). */
  warmup?: number;
  stateMachineType?: "express" | "standard";
}

/** A simulated run: its report, priced as a measured one is, and what the platform did. */
export interface ForecastRun {
  report: RunReport;
  /** Environments started during the run (cold starts) and invokes refused (429). */
  coldStarts: number;
  throttles: number;
}

const orchestratorOf = (strategy: StrategyName): SimulatedFunction => ({
  name: strategy,
  role: "orchestrator",
  ...TEMPLATE_FUNCTION,
});
const WORKER: SimulatedFunction = { name: "worker", role: "worker", ...TEMPLATE_FUNCTION };

/** A platform and the shared parts every run of a simulation uses. */
export class SimulatedPlatform {
  readonly simulation: Simulation;
  readonly lambda: LambdaService;
  readonly workQueue: SimulatedWorkQueue;

  constructor(readonly settings: ForecastSettings) {
    this.simulation = new Simulation(settings.seed, settings.mode ?? "random");
    this.lambda = new LambdaService(this.simulation, settings.parameters);
    this.workQueue = new SimulatedWorkQueue(this.lambda, WORKER, WORK_QUEUE_MAXIMUM_CONCURRENCY);
  }

  /**
   * Starts one run of `plan` under `model` now: the orchestrator's invocation (warm or cold, as
   * the platform has it), then the model from its handler on; `done` gets the priced report.
   */
  startRun(
    plan: RunPlan,
    strategy: StrategyName,
    model: StrategyModel,
    done: (run: ForecastRun) => void,
  ): void {
    const { lambda, simulation, settings } = this;
    const orchestrator = orchestratorOf(strategy);
    const coldBefore = lambda.coldStarts;
    const throttlesBefore = lambda.throttles;
    let result: ModelResult | undefined;
    let endInvocation: (() => void) | undefined;
    let invocationEnded = false;
    let orchestratorBilling: LambdaBilling | undefined;
    let orchestratorCold = false;
    let settled = false;
    const settle = () => {
      if (settled || !result || !orchestratorBilling) return;
      settled = true;
      const report = result.report;
      // A durable orchestrator's later replays are their own invocations: the last one is the
      // orchestrator as it measured itself, the earlier ones are on the report's replays.
      const last = report.durable?.replays.at(-1);
      const billing =
        last && !result.orchestratorWaits
          ? lambdaBilling({ ...orchestrator, handlerMs: last.endedAt - last.startedAt, initMs: 0 })
          : orchestratorBilling;
      const usage = collectUsage(report, billing, result.sqsRequests);
      done({
        report: {
          ...report,
          orchestrator: { ...billing, coldStart: orchestratorCold },
          usage,
          cost: priceRun(usage),
        },
        coldStarts: lambda.coldStarts - coldBefore,
        throttles: lambda.throttles - throttlesBefore,
      });
    };
    const invoke = () =>
      lambda.runHandler(
        orchestrator,
        (handler, finish) => {
          endInvocation = () => {
            if (invocationEnded) return;
            invocationEnded = true;
            finish();
          };
          model(
            plan,
            {
              simulation,
              lambda,
              orchestrator: handler,
              budgetMs: settings.budgetMs ?? SYNCHRONOUS_RUN_BUDGET_MS,
              ownFunctions: settings.ownFunctions ?? new Map(),
              workQueue: this.workQueue,
              functions: { worker: WORKER, orchestrator },
              endOrchestratorInvocation: () => endInvocation?.(),
              stateMachineType: settings.stateMachineType ?? "express",
            },
            (modelResult) => {
              result = modelResult;
              if (modelResult.orchestratorWaits) endInvocation?.();
              settle();
            },
          );
        },
        (record) => {
          if (record.throttled) {
            // API Gateway answers 502/429 when the orchestrator is refused: tried again shortly.
            simulation.after(100, invoke);
            return;
          }
          orchestratorBilling = record.billing;
          orchestratorCold = record.coldStart;
          settle();
        },
      );
    invoke();
  }
}

/**
 * `runs` forecast runs of `plan` under `model`, one after the other on one simulated platform,
 * after the warm-up runs compare makes (kept out of the result): what `npx compare --runs N`
 * would measure there.
 */
export function forecastRuns(
  plan: RunPlan,
  strategy: StrategyName,
  model: StrategyModel,
  settings: ForecastSettings,
  runs: number,
): ForecastRun[] {
  const platform = new SimulatedPlatform(settings);
  const warmupPlan: RunPlan = {
    ...plan,
    tasks: plan.tasks.map((task) => ({
      ...task,
      durationMs: Math.round(task.durationMs * WARMUP_SCALE),
    })),
  };
  const results: ForecastRun[] = [];
  const warmups = settings.warmup ?? 1;
  const next = (index: number) => {
    if (index >= warmups + runs) return;
    const measured = index >= warmups;
    platform.startRun(measured ? plan : warmupPlan, strategy, model, (run) => {
      if (measured) results.push(run);
      // Back to back, as compare runs them.
      platform.simulation.after(0, () => next(index + 1));
    });
  };
  next(0);
  platform.simulation.run();
  return results;
}

/**
 * Runs arriving at `ratePerSecond` (Poisson), `runs` of them after `warmupRuns` left out, all on
 * one simulated platform: they share its environments (warm ones, cold starts) and its
 * concurrency.
 */
export function forecastArrivals(
  plan: RunPlan,
  strategy: StrategyName,
  model: StrategyModel,
  settings: ForecastSettings,
  options: { ratePerSecond: number; runs: number; warmupRuns?: number },
): ForecastRun[] {
  const platform = new SimulatedPlatform(settings);
  const results: ForecastRun[] = [];
  // The first arrivals grow the pools of environments from nothing: left out, so the figures are
  // the steady state's.
  const warmupRuns = options.warmupRuns ?? 0;
  let at = 0;
  for (let index = 0; index < warmupRuns + options.runs; index += 1) {
    const runPlan = { ...plan, runId: `${plan.runId}-${index}` };
    const measured = index >= warmupRuns;
    platform.simulation.schedule(at, () =>
      platform.startRun(runPlan, strategy, model, (run) => {
        if (measured) results.push(run);
      }),
    );
    at += (-Math.log(platform.simulation.uniform()) / options.ratePerSecond) * 1000;
  }
  platform.simulation.run();
  return results;
}
