/**
 * What every probe of bench:calibrate shares: the target it runs on, its runs (one warm-up, then
 * `runs` measured), and figures whose source says where and when they were measured.
 */

import { runStrategy } from "../../adapters/runsApiClient.js";
import type { Session } from "../../cli/session.js";
import type { Figure } from "../../lib/forecast/figure.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { summarize } from "../../lib/stats/stats.js";
import type { StrategyName } from "../../lib/strategies/names.js";
import type { Workflow } from "../../lib/workflow/types.js";
import { LOCALSTACK_ENDPOINT } from "../../localEnvironment/settings.js";
import { round } from "./fit.js";

export interface Probe {
  target: Session;
  /** The local stack (started by the bench, or served and given with --url), not AWS. */
  local: boolean;
  /** Measured runs per shape. */
  runs: number;
  /** Where and when, for every figure's source. */
  measuredOn: string;
  date: string;
  run(strategy: StrategyName, workflow: Workflow): Promise<RunReport>;
  /** `count` measured runs after one warm-up, in order; the succeeded ones. */
  measured(strategy: StrategyName, workflow: Workflow, count?: number): Promise<RunReport[]>;
  /**
   * The same for several workflows run in turn (a warm-up of each, then `count` rounds of one run
   * of each), so the stack's drift falls on all of them alike: the succeeded runs of each.
   */
  measuredInTurn(
    strategy: StrategyName,
    workflows: readonly Workflow[],
    count?: number,
  ): Promise<RunReport[][]>;
  /** A figure from a sample: its median and nearest-rank p95. */
  figureOf(samples: number[], what: string, floorMs?: number): Figure;
  log(line: string): void;
}

/** `by`: the command that calibrates, for every figure's source (bench:calibrate, bench:forecast). */
export function probeOn(
  target: Session,
  runs: number,
  log: (line: string) => void,
  by = "npm run bench:calibrate",
): Probe {
  const local = target.environment !== undefined || target.apiUrl.startsWith(LOCALSTACK_ENDPOINT);
  const date = new Date().toISOString().slice(0, 10);
  const measuredOn = local
    ? `measured on this machine by ${by}, ${date}`
    : `measured on ${target.apiUrl} by ${by} --url, ${date}`;
  const run = async (strategy: StrategyName, workflow: Workflow) => {
    const report = await runStrategy(
      target.apiUrl,
      strategy,
      { workflow },
      { apiKey: target.apiKey },
    );
    if (report.status !== "succeeded") {
      log(`  ${strategy}: ${report.error?.type}: ${report.error?.message}`);
    }
    return report;
  };
  const measuredInTurn: Probe["measuredInTurn"] = async (strategy, workflows, count = runs) => {
    for (const workflow of workflows) await run(strategy, workflow);
    const reports = workflows.map((): RunReport[] => []);
    for (let index = 0; index < count; index += 1) {
      for (const [at, workflow] of workflows.entries()) {
        reports[at]?.push(await run(strategy, workflow));
      }
    }
    return reports.map((each) => each.filter((report) => report.status === "succeeded"));
  };
  return {
    target,
    local,
    runs,
    measuredOn,
    date,
    run,
    log,
    async measured(strategy, workflow, count = runs) {
      const [reports = []] = await measuredInTurn(strategy, [workflow], count);
      return reports;
    },
    measuredInTurn,
    figureOf(samples, what, floorMs = 0.1) {
      const positive = samples.filter(Number.isFinite);
      if (positive.length === 0) throw new Error(`calibration: no samples of ${what}`);
      const summary = summarize(positive);
      const p50Ms = round(Math.max(summary.median, floorMs));
      return {
        p50Ms,
        p95Ms: round(Math.max(summary.p95, p50Ms)),
        source: `${measuredOn}: ${what}, ${positive.length} samples`,
      };
    },
  };
}
