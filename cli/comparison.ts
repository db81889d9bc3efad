/**
 * The compare command's work, apart from its entry (cli/compare.ts): a comparison measured
 * through the runs API, or a forecast alone. Nothing runs on import; every effect (the session,
 * the runs API, the console, the report files) comes in through `CompareIo`, so tests can drive
 * it whole.
 */

import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import type { RunRequestBody, runStrategy, runStrategyAsync } from "../adapters/runsApiClient.js";
import { formatDuration } from "../lib/durationText.js";
import {
  describeLatencyProfile,
  type LatencyProfileName,
  latencyProfileLabel,
} from "../lib/latency/profiles.js";
import { notApplicableStrategies } from "../lib/ownFunctions/applicability.js";
import { buildReportDocument } from "../lib/report/buildReportDocument.js";
import type { ReportDocument } from "../lib/report/document.js";
import { renderForecastTable } from "../lib/report/sections/renderForecast.js";
import { describeRounds, type RoundsRecord } from "../lib/report/stoppingRule.js";
import { renderRecommendation, renderTerminal } from "../lib/report/terminal/renderTerminal.js";
import { wrapText } from "../lib/report/text/wrapText.js";
import type { RunReport } from "../lib/runReport/types.js";
import type { StrategyName } from "../lib/strategies/names.js";
import { readLatencyProfile } from "../localEnvironment/latencyControl.js";
import { LOCALSTACK_ENDPOINT } from "../localEnvironment/settings.js";
import { forecastFor, withDecisionMap } from "./forecast.js";
import {
  describeInterruptedRuns,
  RunsInterruptedError,
  type UnfinishedRun,
} from "./interruptedRuns.js";
import { measureRounds } from "./measureRounds.js";
import type { CompareOptions } from "./options.js";
import { describeRunProgress, type Progress } from "./progress.js";
import { runModesFor } from "./runMode.js";
import { projectRoot, type Session, type SessionOptions } from "./session.js";

/** Warm-up runs only pay the cold starts: their tasks need not last. */
const WARMUP_SCALE = 0.01;

/** Everything compare touches outside itself. */
export interface CompareIo {
  openSession(options: SessionOptions): Promise<Session>;
  runStrategy: typeof runStrategy;
  runStrategyAsync: typeof runStrategyAsync;
  /** A line of the answer (stdout). */
  print(line: string): void;
  /** A line about the work under way (stderr). */
  say(line: string): void;
  createProgress(): Progress;
  writeReports(out: CompareOptions["out"], document: ReportDocument): void;
  /** The Node the CLI runs on, for the report's environment line. */
  nodeVersion: string;
}

const isAwsApi = (apiUrl: string) => /\.execute-api\.[a-z0-9-]+\.amazonaws\.com/.test(apiUrl);

function describeRemote(apiUrl: string): string {
  return isAwsApi(apiUrl)
    ? "AWS API Gateway: measured on AWS"
    : "an API given with --url, measured wherever it runs";
}

/** Ends every report's environment line: the Node this CLI ran on (npm puts the project's first). */
const cliNode = (io: CompareIo) => `the compare CLI on Node ${io.nodeVersion}`;

/**
 * This session's prefix of run ids, `compare-<UTC time>-<4 hex>`: each run is
 * `<prefix>-<strategy>-<n>`, chosen here so that a run left going can be fetched by its id.
 */
function sessionRunIdPrefix(now = new Date()): string {
  const time = now.toISOString().replace(/[-:]/g, "").replace(/\.\d+/, "");
  const salt = Math.floor(Math.random() * 0x10000)
    .toString(16)
    .padStart(4, "0");
  return `compare-${time}-${salt}`;
}

/** What the verdict weighs the strategies by: the latency target, the rate, the balanced weight. */
function verdictInputs(options: CompareOptions) {
  const { target, costWeight } = options.verdict;
  const { ratePerSecond } = options.forecast;
  return {
    ...(target ? { target } : { costWeight }),
    ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
  };
}

/** The benchmark results given (--scale-sweep, --fault-sweep), as the document takes them. */
function sweepsOf(options: CompareOptions) {
  const { scale, faults } = options.sweeps;
  return { ...(scale ? { scaleSweep: scale } : {}), ...(faults ? { faultSweep: faults } : {}) };
}

/** The workflow's settings as every report states them. */
function settingsOf(
  options: CompareOptions,
  strategies: StrategyName[],
  rounds: { runs: number; warmup: number },
) {
  return {
    scale: options.scale,
    ...rounds,
    ...(options.kind ? { kind: options.kind } : {}),
    extraLogs: options.extraLogs,
    strategies,
    tasks: options.workflow.tasks.length,
  };
}

function reportsWritten(options: CompareOptions): string {
  return `reports written: ${options.out.json}, ${options.out.markdown}, ${options.out.html}`;
}

/**
 * The latency profile a local stack started by `npm run serve` is in, when --url points at it:
 * its runs are then no measurement of anything but this machine either.
 */
function servedLatencyProfile(apiUrl: string): LatencyProfileName | undefined {
  return apiUrl.startsWith(LOCALSTACK_ENDPOINT) ? readLatencyProfile(projectRoot) : undefined;
}

/**
 * The own functions a local deploy must allow, and the service beside the workflow file that holds
 * them (a serverless.yml there is deployed first): a user's workflow then runs on one command.
 */
function ownFunctionsOf(options: CompareOptions): {
  invokableFunctions: string[];
  ownService?: string;
} {
  const invokableFunctions = [
    ...new Set(options.workflow.tasks.flatMap((task) => (task.function ? [task.function] : []))),
  ];
  if (invokableFunctions.length === 0 || !options.workflowFile) return { invokableFunctions };
  const folder = dirname(resolve(options.workflowFile));
  return existsSync(join(folder, "serverless.yml"))
    ? { invokableFunctions, ownService: folder }
    : { invokableFunctions };
}

/** The forecast alone: nothing runs, nothing starts (no local stack, no AWS account). */
export function forecastOnly(options: CompareOptions, io: CompareIo): void {
  const notApplicable = notApplicableStrategies(options.workflow, options.strategies);
  const strategies = options.strategies.filter(
    (name) => !notApplicable.some((entry) => entry.strategy === name),
  );
  const forecast = forecastFor(options, strategies, { runs: [], onAws: false });
  io.print(`\n${renderForecastTable(forecast)}\n`);
  for (const { strategy, reason } of notApplicable)
    io.print(`${strategy}: not applicable: ${reason}`);
  const mapped = withDecisionMap(options, strategies, forecast);
  for (const region of mapped.decisionMap?.regions ?? []) io.print(`- ${region}`);
  const document = buildReportDocument({
    generatedAt: new Date().toISOString(),
    environment: {
      apiUrl: "none",
      description: `nothing was run: a forecast only; ${cliNode(io)}`,
    },
    settings: settingsOf(options, strategies, { runs: 0, warmup: 0 }),
    runs: [],
    ...(notApplicable.length > 0 ? { notApplicable } : {}),
    ...sweepsOf(options),
    forecast: mapped,
    ...verdictInputs(options),
  });
  for (const line of renderRecommendation(document)) io.print(line);
  io.writeReports(options.out, document);
  io.print(reportsWritten(options));
}

/**
 * Measures the strategies on the local stack (started here) or the API at --url: warm-up rounds,
 * then exactly --runs rounds or rounds until the verdict is decided; prints the verdict, writes
 * the reports. Resolves with the exit code: 1 when a run failed.
 */
export async function compare(options: CompareOptions, io: CompareIo): Promise<number> {
  // A strategy that cannot run this workflow at all (inline and an own function or a task
  // fault: lib/ownFunctions/applicability.ts, the rule the API refuses it by) is reported as not
  // applicable, with the reason, rather than run to a refusal.
  const notApplicable = notApplicableStrategies(options.workflow, options.strategies);
  for (const { strategy, reason } of notApplicable) {
    io.say(`not applicable: ${strategy}: ${reason}`);
  }
  let apiUrl = options.url;
  let progress: Progress | undefined;
  // Runs sent and not seen to end: a Ctrl-C stops waiting for them and says how to fetch them.
  const unfinished = new Map<string, UnfinishedRun>();
  const interrupt = new AbortController();
  const session = await io.openSession({
    ...(options.url ? { url: options.url } : {}),
    ...(options.apiKey ? { apiKey: options.apiKey } : {}),
    localStack: { ...options.localStack, ...ownFunctionsOf(options) },
    strategies: options.strategies.filter(
      (name) => !notApplicable.some((entry) => entry.strategy === name),
    ),
    log: io.say,
    // The "comparing ..." line below says it.
    announceProfile: false,
    onFirstSignal: (signal) => {
      progress?.stop();
      interrupt.abort(new RunsInterruptedError(signal));
      const lines = describeInterruptedRuns([...unfinished.values()], {
        apiUrl,
        ownLocalStack: !options.url,
      });
      for (const line of lines) io.say(line);
    },
  });
  try {
    const { strategies, environment, apiKey } = session;
    const api = session.apiUrl;
    apiUrl = api;
    const plan = options.rounds;
    const measuredPlan =
      plan.mode === "fixed"
        ? `${plan.rounds} measured run(s) each`
        : `measured rounds until the verdict is decided (${plan.settings.minRounds} to ${plan.settings.maxRounds}, within ${formatDuration(plan.settings.budgetMs)})`;
    const comparing =
      `comparing ${strategies.join(", ")} at ${api}: ${options.workflow.tasks.length} task(s), scale ${options.scale}, ${options.warmup} warm-up + ${measuredPlan}` +
      (environment ? `; ${describeLatencyProfile(environment.latencyProfile)}` : "");
    io.say(wrapText(comparing, { rest: "  " }).join("\n"));
    const modes = runModesFor({
      strategies,
      workflow: options.workflow,
      scales: [...(options.warmup > 0 ? [WARMUP_SCALE] : []), options.scale],
      forceAsync: options.async,
    });
    for (const line of modes.lines) io.say(line);
    const runIdPrefix = sessionRunIdPrefix();
    let sent = 0;
    const bar = io.createProgress();
    progress = bar;
    const runs: RunReport[] = [];
    const runOnce = async (strategy: StrategyName, scale: number): Promise<RunReport> => {
      sent += 1;
      const runId = `${runIdPrefix}-${strategy}-${sent}`;
      const body: RunRequestBody = {
        workflow: options.workflow,
        scale,
        ...(options.stateMachineForm ? { stateMachineForm: options.stateMachineForm } : {}),
        runId,
      };
      const sentAt = Date.now();
      unfinished.set(runId, { runId, strategy });
      const report =
        modes.modeOf(strategy, scale) === "async"
          ? await io.runStrategyAsync(api, strategy, body, {
              ...(apiKey ? { apiKey } : {}),
              signal: interrupt.signal,
              onProgress: (record) =>
                bar.note(
                  describeRunProgress(record, options.workflow.tasks.length, Date.now() - sentAt),
                ),
            })
          : await io.runStrategy(api, strategy, body, {
              ...(apiKey ? { apiKey } : {}),
              signal: interrupt.signal,
            });
      unfinished.delete(runId);
      return report;
    };
    const runRound = async (scale: number, warmup: boolean) => {
      for (const strategy of strategies) {
        const report = await runOnce(strategy, scale);
        runs.push(warmup ? { ...report, warmup: true } : report);
        bar.tick(`${strategy} ${report.status} ${report.wallMs} ms`);
      }
    };
    let rounds: RoundsRecord;
    try {
      if (options.warmup > 0) {
        bar.start(options.warmup * strategies.length, "warm-up");
        for (let round = 0; round < options.warmup; round += 1) await runRound(WARMUP_SCALE, true);
      }
      if (plan.mode === "fixed") bar.start(plan.rounds * strategies.length, "runs");
      rounds = await measureRounds(plan, {
        runRound: async (round) => {
          // Until decided, a bar a round: how many rounds there will be is the runs' to say.
          if (plan.mode === "untilDecided") bar.start(strategies.length, `round ${round}`);
          await runRound(options.scale, false);
        },
        measuredRuns: () => runs.filter((run) => !run.warmup),
      });
    } finally {
      bar.stop();
    }
    io.say(describeRounds(rounds));

    const profile = environment?.latencyProfile ?? servedLatencyProfile(api);
    const onAws = isAwsApi(api);
    const forecast = withDecisionMap(
      options,
      strategies,
      forecastFor(options, strategies, { runs: runs.filter((run) => !run.warmup), onAws }),
    );
    const document = buildReportDocument({
      generatedAt: new Date().toISOString(),
      environment: {
        apiUrl: api,
        description: `${environment?.description ?? describeRemote(api)}; ${cliNode(io)}`,
        ...(profile ? { latencyProfile: latencyProfileLabel(profile) } : {}),
        platform: onAws ? "aws" : environment || profile ? "local" : "unknown",
      },
      settings: settingsOf(options, strategies, { runs: rounds.rounds, warmup: options.warmup }),
      runs,
      ...(notApplicable.length > 0 ? { notApplicable } : {}),
      ...sweepsOf(options),
      forecast,
      ...verdictInputs(options),
      rounds,
    });
    // Answer first: the verdict's bullets, the table, the rest; the Gantt charts last.
    const { summary, gantts } = renderTerminal(document, { wide: options.verdict.wide });
    io.print(`\n${summary}\n`);
    for (const gantt of gantts) io.print(`${gantt}\n`);
    io.writeReports(options.out, document);
    io.print(reportsWritten(options));
    return runs.some((report) => report.status === "failed") ? 1 : 0;
  } finally {
    await session.stop();
  }
}
