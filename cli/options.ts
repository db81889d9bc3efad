import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import type { z } from "zod";
import { API_KEY_ENV } from "../adapters/runsApiClient.js";
import { InvalidInputError } from "../lib/errors.js";
import { parseOrThrow } from "../lib/fieldPath.js";
import { type FaultSweep, faultSweepSchema } from "../lib/report/faultSweep.js";
import { type ScaleSweep, scaleSweepSchema } from "../lib/report/scaleSweep.js";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import { parseStrategy } from "../lib/runRequest.js";
import { SYNCHRONOUS_RUN_BUDGET_MS } from "../lib/runs/runLimits.js";
import { STRATEGIES, type StrategyName } from "../lib/strategies/names.js";
import { MAX_SCALE } from "../lib/tasks/catalog.js";
import { validateWorkflow } from "../lib/workflow/dag.js";
import { SEED_WORKFLOW } from "../lib/workflow/defaults.js";
import { MAX_TASKS } from "../lib/workflow/schema.js";
import type { TaskKind, Workflow } from "../lib/workflow/types.js";
import { FETCH_USAGE } from "./fetchOptions.js";
import {
  FORECAST_FLAGS,
  FORECAST_USAGE,
  type ForecastOptions,
  parseForecastOptions,
} from "./forecastOptions.js";
import {
  LOCAL_STACK_FLAGS,
  LOCAL_STACK_USAGE,
  parseLocalStackOptions,
} from "./localStackOptions.js";
import {
  parseRoundsPlan,
  parseVerdictOptions,
  type RoundsPlan,
  VERDICT_FLAGS,
  VERDICT_USAGE,
  type VerdictOptions,
} from "./verdictOptions.js";

export const USAGE = `usage: compare [--runs N | --budget T] [--slo pNN<=T] [--rate R] [--wide]
               [--warmup N] [--scale N] [--strategies a,b]
               [--kind io|cpu] [--extra-logs N] [--workflow file.json]
               [--url API_URL] [--api-key KEY] [--out DIR] [--async]
               [--profile local|aws] [--latency-seed N] [--queue-scaling aws|N]
               [--forecast-only] [--parameters F] [--from-report F] [--skip-map]
               [--scale-sweep F] [--fault-sweep F]

  --runs N        exactly N measured rounds, one run of each strategy a round (--repeat is an
                  alias); without it, rounds until the verdict is decided (see --budget)
${VERDICT_USAGE}
  --warmup N      warm-up rounds before measuring, kept out of the statistics (default 1)
  --scale N       multiplies every task duration (default 1, at most ${MAX_SCALE})
  --strategies    comma-separated subset of ${STRATEGIES.join(", ")}
  --kind io|cpu   makes every task wait (io) or burn the CPU (cpu)
  --extra-logs N  adds N independent writeLog tasks (the chapter's experiment)
  --workflow F    a workflow JSON file ({ "tasks": [...] }) instead of the seed
  --state-machine-form seriesParallel|levels
                  how stepfunctions shapes the DAG (default seriesParallel)
  --url URL       an API that is already running (e.g. on AWS) instead of the local stack
  --api-key KEY   with --url: the API's key, sent as x-api-key (default: $${API_KEY_ENV});
                  \`serverless info --stage dev\` prints it after a deploy. The local stack's
                  own key (npm start, or --url of npm run serve) is found without it
  --out DIR       writes report.json, report.md and report.html there
                  (default: reports/latest.json, latest.md, latest.html)
  --scale-sweep F a bench:scale result (bench/results/scale-latest.json) shown in the HTML report
  --fault-sweep F a bench:faults result (bench/results/faults-latest.json) shown in the reports
  --async         runs every strategy asynchronously (POST answers 202, the CLI polls
                  GET /runs/{runId}); without it, a strategy whose plan cannot finish within
                  a synchronous request (${formatNumber(SYNCHRONOUS_RUN_BUDGET_MS)} ms) runs asynchronously, said in one line
${FETCH_USAGE}
${FORECAST_USAGE}
${LOCAL_STACK_USAGE}`;

export interface CompareOptions {
  /** Exactly N rounds (--runs), or until the stopping rule decides within --budget. */
  rounds: RoundsPlan;
  /** The latency target, the balanced pick's weight, the table's width. */
  verdict: VerdictOptions;
  warmup: number;
  scale: number;
  strategies: StrategyName[];
  kind?: TaskKind;
  extraLogs: number;
  stateMachineForm?: "seriesParallel" | "levels";
  workflow: Workflow;
  /** The --workflow file, when one was given: a serverless.yml beside it is its functions' service. */
  workflowFile?: string;
  url?: string;
  /** Sent as `x-api-key` to the API at `url` (the local stack finds its own key). */
  apiKey?: string;
  /** How the local stack is started (not with --url). */
  localStack: ReturnType<typeof parseLocalStackOptions>;
  /** The forecast on AWS (or a calibrated platform) beside the runs, or instead of them. */
  forecast: ForecastOptions;
  /** Files to write: report.json, report.md, report.html. */
  out: { json: string; markdown: string; html: string };
  /** Every run asynchronous (--async); otherwise only those whose plan outlasts a synchronous request. */
  async: boolean;
  /** Benchmark results shown beside the runs, each a separate measurement (--scale-sweep, --fault-sweep). */
  sweeps: { scale?: ScaleSweep; faults?: FaultSweep };
  help: boolean;
}

function wholeNumber(flag: string, raw: string, { min = 0, max = Infinity } = {}): number {
  const value = Number(raw);
  if (!(raw.trim() !== "" && Number.isInteger(value) && value >= min && value <= max)) {
    const range = max < Infinity ? `${min} to ${max}` : `${min} or more`;
    throw new InvalidInputError(`--${flag}`, `expected a whole number, ${range}; got '${raw}'`);
  }
  return value;
}

function readJsonFile(flag: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InvalidInputError(flag, `cannot read ${file} as JSON (${(error as Error).message})`);
  }
}

/** A benchmark's result file, parsed by its schema: one that does not fit names its first problem. */
function readResultFile<Schema extends z.core.$ZodType>(
  flag: string,
  file: string,
  schema: Schema,
): z.output<Schema> {
  return parseOrThrow(schema, readJsonFile(flag, file), flag);
}

/** Every built-in task made `kind` (an own function's work is its own), plus `extraLogs` independent writeLog tasks with unused ids. */
function shapeWorkflow(
  workflow: Workflow,
  kind: TaskKind | undefined,
  extraLogs: number,
): Workflow {
  const ids = new Set(workflow.tasks.map((task) => task.id));
  const extra: Workflow["tasks"] = [];
  for (let suffix = 2; extra.length < extraLogs; suffix += 1) {
    const id = `writeLog${suffix}`;
    if (!ids.has(id)) extra.push({ id, fn: "writeLog", deps: [] });
  }
  const tasks = [...workflow.tasks, ...extra].map((task) =>
    kind && task.function === undefined ? { ...task, kind } : task,
  );
  return validateWorkflow({ tasks }, "workflow");
}

/**
 * Parses the compare command's flags; a bad value is an InvalidInputError naming the flag. The API
 * key comes from --api-key, else from the LAB_API_KEY variable of `env`.
 *
 * @example
 * parseCompareOptions(["--runs", "5", "--kind", "cpu", "--out", "out/"]);
 */
export function parseCompareOptions(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): CompareOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    allowPositionals: false,
    options: {
      runs: { type: "string" },
      repeat: { type: "string" },
      warmup: { type: "string", default: "1" },
      scale: { type: "string", default: "1" },
      strategies: { type: "string", default: STRATEGIES.join(",") },
      kind: { type: "string" },
      "extra-logs": { type: "string", default: "0" },
      "state-machine-form": { type: "string" },
      workflow: { type: "string" },
      url: { type: "string" },
      "api-key": { type: "string" },
      out: { type: "string" },
      async: { type: "boolean", default: false },
      "scale-sweep": { type: "string" },
      "fault-sweep": { type: "string" },
      help: { type: "boolean", default: false },
      ...FORECAST_FLAGS,
      ...LOCAL_STACK_FLAGS,
      ...VERDICT_FLAGS,
    },
  });
  const localStack = parseLocalStackOptions(values);
  if (values.url && localStack.latencyProfile !== "local") {
    throw new InvalidInputError(
      "--profile",
      "applies to the local stack only: an API given with --url is measured as it is",
    );
  }
  if (values["api-key"] !== undefined && !values.url) {
    throw new InvalidInputError(
      "--api-key",
      "applies to an API given with --url: the local stack sends its own key",
    );
  }
  const apiKey = values.url ? (values["api-key"] ?? env[API_KEY_ENV]) : undefined;
  const scale = Number(values.scale);
  if (!(Number.isFinite(scale) && scale > 0 && scale <= MAX_SCALE)) {
    throw new InvalidInputError(
      "--scale",
      `expected a number above 0 up to ${MAX_SCALE}, got '${values.scale}'`,
    );
  }
  if (values.kind !== undefined && values.kind !== "io" && values.kind !== "cpu") {
    throw new InvalidInputError("--kind", `expected io or cpu, got '${values.kind}'`);
  }
  const form = values["state-machine-form"];
  if (form !== undefined && form !== "seriesParallel" && form !== "levels") {
    throw new InvalidInputError(
      "--state-machine-form",
      `expected seriesParallel or levels, got '${form}'`,
    );
  }
  const extraLogs = wholeNumber("extra-logs", values["extra-logs"], { max: MAX_TASKS });
  const forecast = parseForecastOptions(values);
  if (forecast.forecastOnly && values.url) {
    throw new InvalidInputError("--forecast-only", "runs nothing: it takes no --url");
  }
  const base = values.workflow
    ? validateWorkflow(readJsonFile("--workflow", values.workflow), "workflow")
    : forecast.fromReport
      ? validateWorkflow(forecast.fromReport.workflow, "--from-report")
      : SEED_WORKFLOW;
  const [dir, name] = values.out ? [values.out, "report"] : ["reports", "latest"];
  const runs = values.runs ?? values.repeat;
  const out = {
    json: join(dir, `${name}.json`),
    markdown: join(dir, `${name}.md`),
    html: join(dir, `${name}.html`),
  };
  return {
    rounds: parseRoundsPlan(
      values,
      runs === undefined ? undefined : wholeNumber("runs", runs, { min: 1 }),
    ),
    verdict: parseVerdictOptions(values),
    warmup: wholeNumber("warmup", values.warmup),
    scale,
    strategies: values.strategies.split(",").map((name) => parseStrategy(name.trim())),
    ...(values.kind ? { kind: values.kind } : {}),
    extraLogs,
    ...(form ? { stateMachineForm: form } : {}),
    workflow: shapeWorkflow(base, values.kind, extraLogs),
    ...(values.workflow ? { workflowFile: values.workflow } : {}),
    ...(values.url ? { url: values.url.replace(/\/$/, "") } : {}),
    ...(apiKey ? { apiKey } : {}),
    localStack,
    forecast,
    out,
    async: values.async,
    sweeps: {
      ...(values["scale-sweep"]
        ? {
            scale: readResultFile("--scale-sweep", values["scale-sweep"], scaleSweepSchema),
          }
        : {}),
      ...(values["fault-sweep"]
        ? {
            faults: readResultFile("--fault-sweep", values["fault-sweep"], faultSweepSchema),
          }
        : {}),
    },
    help: values.help,
  };
}
