#!/usr/bin/env node
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { formatDuration } from "../lib/durationText.js";
import { InvalidInputError } from "../lib/errors.js";
import {
  describeLatencyProfile,
  type LatencyProfileName,
  latencyProfileLabel,
} from "../lib/latency/profiles.js";
import { notApplicableStrategies } from "../lib/ownFunctions/applicability.js";
import { buildReportDocument } from "../lib/report/buildReportDocument.js";
import type { ReportDocument } from "../lib/report/document.js";
import { type FaultSweep, faultSweepSchema } from "../lib/report/faultSweep.js";
import { renderHtml } from "../lib/report/html/renderHtml.js";
import { renderMarkdown } from "../lib/report/markdown/renderMarkdown.js";
import { type ScaleSweep, scaleSweepSchema } from "../lib/report/scaleSweep.js";
import { renderForecastTable } from "../lib/report/sections/renderForecast.js";
import { describeRounds, type RoundsRecord } from "../lib/report/stoppingRule.js";
import { renderRecommendation, renderTerminal } from "../lib/report/terminal/renderTerminal.js";
import { wrapText } from "../lib/report/text/wrapText.js";
import type { RunReport } from "../lib/runReport/types.js";
import type { StrategyName } from "../lib/strategies/names.js";
import { readLatencyProfile } from "../localEnvironment/latencyControl.js";
import { apiKeyFor } from "../localEnvironment/localApiKey.js";
import { LOCALSTACK_ENDPOINT } from "../localEnvironment/settings.js";
import {
  type LocalEnvironment,
  startLocalEnvironment,
} from "../localEnvironment/startLocalEnvironment.js";
import { fetchCommand } from "./fetchCommand.js";
import { isFetchCommand, parseFetchOptions } from "./fetchOptions.js";
import { forecastFor, withDecisionMap } from "./forecast.js";
import {
  describeInterruptedRuns,
  RunsInterruptedError,
  type UnfinishedRun,
} from "./interruptedRuns.js";
import { measureRounds } from "./measureRounds.js";
import { type CompareOptions, parseCompareOptions, USAGE } from "./options.js";
import { createProgress, describeRunProgress, type Progress } from "./progress.js";
import { runModesFor } from "./runMode.js";
import { type RunRequestBody, runStrategy, runStrategyAsync } from "./runStrategy.js";
import { stopOnSignals } from "./stopOnSignals.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");
/** Warm-up runs only pay the cold starts: their tasks need not last. */
const WARMUP_SCALE = 0.01;

const isAwsApi = (apiUrl: string) => /\.execute-api\.[a-z0-9-]+\.amazonaws\.com/.test(apiUrl);

/** Ends every report's environment line: the Node this CLI ran on (npm puts the project's first). */
const CLI_NODE = `the compare CLI on Node ${process.version}`;

function describeRemote(apiUrl: string): string {
  return isAwsApi(apiUrl)
    ? "AWS API Gateway: measured on AWS"
    : "an API given with --url, measured wherever it runs";
}

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

/** The forecast alone: nothing runs, nothing starts (no local stack, no AWS account). */
function forecastOnly(options: CompareOptions): void {
  const notApplicable = notApplicableStrategies(options.workflow, options.strategies);
  const strategies = options.strategies.filter(
    (name) => !notApplicable.some((entry) => entry.strategy === name),
  );
  const forecast = forecastFor(options, strategies, { runs: [], onAws: false });
  console.log(`\n${renderForecastTable(forecast)}\n`);
  for (const { strategy, reason } of notApplicable)
    console.log(`${strategy}: not applicable: ${reason}`);
  const mapped = withDecisionMap(options, strategies, forecast);
  for (const region of mapped.decisionMap?.regions ?? []) console.log(`- ${region}`);
  const document = buildReportDocument({
    generatedAt: new Date().toISOString(),
    environment: { apiUrl: "none", description: `nothing was run: a forecast only; ${CLI_NODE}` },
    settings: {
      scale: options.scale,
      runs: 0,
      warmup: 0,
      ...(options.kind ? { kind: options.kind } : {}),
      extraLogs: options.extraLogs,
      strategies,
      tasks: options.workflow.tasks.length,
    },
    runs: [],
    ...(notApplicable.length > 0 ? { notApplicable } : {}),
    forecast: mapped,
    ...verdictInputs(options),
  });
  for (const line of renderRecommendation(document)) console.log(line);
  writeReports(options, document);
  console.log(`reports written: ${options.out.json}, ${options.out.markdown}, ${options.out.html}`);
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

/** The latest `npm run bench:scale` result, shown in the HTML report as a separate measurement. */
function latestScaleSweep(): ScaleSweep | undefined {
  const file = join(projectRoot, "bench/results/scale-latest.json");
  if (!existsSync(file)) return undefined;
  const parsed = scaleSweepSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (parsed.success) return parsed.data;
  console.error(
    `ignoring ${file}: ${parsed.error.issues[0]?.message ?? "not a bench:scale result"}`,
  );
  return undefined;
}

/** The latest `npm run bench:faults` result, parsed: a file that does not fit is said and skipped. */
function latestFaultSweep(): FaultSweep | undefined {
  const file = join(projectRoot, "bench/results/faults-latest.json");
  if (!existsSync(file)) return undefined;
  const parsed = faultSweepSchema.safeParse(JSON.parse(readFileSync(file, "utf8")));
  if (parsed.success) return parsed.data;
  console.error(
    `ignoring ${file}: ${parsed.error.issues[0]?.message ?? "not a bench:faults result"}`,
  );
  return undefined;
}

/**
 * The latency profile a local stack started by `npm run serve` is in, when --url points at it:
 * its runs are then no measurement of anything but this machine either.
 */
function servedLatencyProfile(apiUrl: string): LatencyProfileName | undefined {
  return apiUrl.startsWith(LOCALSTACK_ENDPOINT) ? readLatencyProfile(projectRoot) : undefined;
}

function writeReports(options: CompareOptions, document: ReportDocument): void {
  const files: Array<[string, string]> = [
    [options.out.json, `${JSON.stringify(document, null, 2)}\n`],
    [options.out.markdown, renderMarkdown(document)],
    [options.out.html, renderHtml(document)],
  ];
  for (const [file, text] of files) {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(resolve(file), text);
  }
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

async function compare(options: CompareOptions): Promise<void> {
  let environment: LocalEnvironment | undefined;
  const stopEnvironment = async () => {
    const running = environment;
    environment = undefined;
    await running?.stop();
  };
  let apiUrl = options.url;
  let progress: Progress | undefined;
  // Runs sent and not seen to end: a Ctrl-C stops waiting for them and says how to fetch them.
  const unfinished = new Map<string, UnfinishedRun>();
  const interrupt = new AbortController();
  stopOnSignals({
    projectRoot,
    stop: () => environment && stopEnvironment(),
    exitCode: 130,
    hasLocalStack: !options.url,
    onFirstSignal: (signal) => {
      progress?.stop();
      interrupt.abort(new RunsInterruptedError(signal));
      const lines = describeInterruptedRuns([...unfinished.values()], {
        apiUrl,
        ownLocalStack: !options.url,
      });
      for (const line of lines) console.error(line);
    },
  });
  try {
    let strategies: StrategyName[] = options.strategies;
    // A strategy that cannot run this workflow at all (inline and an own function or a task
    // fault: lib/ownFunctions/applicability.ts, the rule the API refuses it by) is reported
    // as not applicable, with the reason, rather than run to a refusal.
    const notApplicable = notApplicableStrategies(options.workflow, strategies);
    for (const { strategy, reason } of notApplicable) {
      console.error(`not applicable: ${strategy}: ${reason}`);
    }
    strategies = strategies.filter(
      (name) => !notApplicable.some((entry) => entry.strategy === name),
    );
    if (!apiUrl) {
      environment = await startLocalEnvironment(projectRoot, {
        ...options.localStack,
        ...ownFunctionsOf(options),
      });
      apiUrl = environment.apiUrl;
      for (const { strategy, reason } of environment.unavailable) {
        if (strategies.includes(strategy)) console.error(`skipping ${strategy}: ${reason}`);
      }
      const unavailable = new Set(environment.unavailable.map((entry) => entry.strategy));
      strategies = strategies.filter((name) => !unavailable.has(name));
    }
    // The routes are private: the key given, or the local stack's own.
    const apiKey = environment ? environment.apiKey : await apiKeyFor(apiUrl, options.apiKey);
    const api = apiUrl;
    const plan = options.rounds;
    const measuredPlan =
      plan.mode === "fixed"
        ? `${plan.rounds} measured run(s) each`
        : `measured rounds until the verdict is decided (${plan.settings.minRounds} to ${plan.settings.maxRounds}, within ${formatDuration(plan.settings.budgetMs)})`;
    const comparing =
      `comparing ${strategies.join(", ")} at ${api}: ${options.workflow.tasks.length} task(s), scale ${options.scale}, ${options.warmup} warm-up + ${measuredPlan}` +
      (environment ? `; ${describeLatencyProfile(environment.latencyProfile)}` : "");
    console.error(wrapText(comparing, { rest: "  " }).join("\n"));
    const modes = runModesFor({
      strategies,
      workflow: options.workflow,
      scales: [...(options.warmup > 0 ? [WARMUP_SCALE] : []), options.scale],
      forceAsync: options.async,
    });
    for (const line of modes.lines) console.error(line);
    const runIdPrefix = sessionRunIdPrefix();
    let sent = 0;
    const bar = createProgress();
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
          ? await runStrategyAsync(api, strategy, body, {
              apiKey,
              signal: interrupt.signal,
              onProgress: (record) =>
                bar.note(
                  describeRunProgress(record, options.workflow.tasks.length, Date.now() - sentAt),
                ),
            })
          : await runStrategy(api, strategy, body, { apiKey, signal: interrupt.signal });
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
    console.error(describeRounds(rounds));

    const profile = environment?.latencyProfile ?? servedLatencyProfile(apiUrl);
    const onAws = isAwsApi(apiUrl);
    const forecast = withDecisionMap(
      options,
      strategies,
      forecastFor(options, strategies, { runs: runs.filter((run) => !run.warmup), onAws }),
    );
    const scaleSweep = latestScaleSweep();
    const faultSweep = latestFaultSweep();
    const document = buildReportDocument({
      generatedAt: new Date().toISOString(),
      environment: {
        apiUrl,
        description: `${environment?.description ?? describeRemote(apiUrl)}; ${CLI_NODE}`,
        ...(profile ? { latencyProfile: latencyProfileLabel(profile) } : {}),
        platform: onAws ? "aws" : environment || profile ? "local" : "unknown",
      },
      settings: {
        scale: options.scale,
        runs: rounds.rounds,
        warmup: options.warmup,
        ...(options.kind ? { kind: options.kind } : {}),
        extraLogs: options.extraLogs,
        strategies,
        tasks: options.workflow.tasks.length,
      },
      runs,
      ...(notApplicable.length > 0 ? { notApplicable } : {}),
      ...(scaleSweep ? { scaleSweep } : {}),
      ...(faultSweep ? { faultSweep } : {}),
      forecast,
      ...verdictInputs(options),
      rounds,
    });
    // Answer first: the verdict's bullets, the table, the rest; the Gantt charts last.
    const { summary, gantts } = renderTerminal(document, { wide: options.verdict.wide });
    console.log(`\n${summary}\n`);
    for (const gantt of gantts) console.log(`${gantt}\n`);
    writeReports(options, document);
    console.log(
      `reports written: ${options.out.json}, ${options.out.markdown}, ${options.out.html}`,
    );
    if (runs.some((report) => report.status === "failed")) process.exitCode = 1;
  } finally {
    await stopEnvironment();
  }
}

try {
  const argv = process.argv.slice(2);
  if (isFetchCommand(argv)) await fetchCommand(parseFetchOptions(argv));
  else {
    const options = parseCompareOptions(argv);
    if (options.help) console.log(USAGE);
    else if (options.forecast.forecastOnly) forecastOnly(options);
    else await compare(options);
  }
} catch (error) {
  // A Ctrl-C: what was left running is said already, and the exit is under way.
  if (error instanceof RunsInterruptedError) process.exitCode = 130;
  else {
    const message =
      error instanceof InvalidInputError
        ? `${error.field}: ${error.problem}`
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(`compare: ${message.split("\n")[0]}`);
    process.exitCode = 1;
  }
}
