import { readFileSync } from "node:fs";
import { z } from "zod";
import { InvalidInputError } from "../lib/errors.js";
import { formatFieldPath } from "../lib/fieldPath.js";
import { AWS_PARAMETERS } from "../lib/forecast/awsParameters.js";
import { parseRate } from "../lib/forecast/forecastSummary.js";
import { type PlatformParameters, platformParametersSchema } from "../lib/forecast/parameters.js";
import { type RunReport, runReportSchema } from "../lib/runReport/types.js";
import type { Workflow } from "../lib/workflow/types.js";
import { parsedFlag } from "./parsedFlag.js";

export const FORECAST_FLAGS = {
  "forecast-only": { type: "boolean", default: false },
  parameters: { type: "string" },
  rate: { type: "string" },
  "from-report": { type: "string" },
  "skip-map": { type: "boolean", default: false },
} as const;

export const FORECAST_USAGE = `  --forecast-only forecasts without running anything (no local stack, no AWS account)
  --parameters F  the parameter set the forecast reads (default: the aws set; npm run
                  bench:calibrate writes one for this machine, --url for your account)
  --rate R        runs per unit, e.g. 50/s or 1e6/day: latency and cost a month at that rate,
                  forecast, and each strategy's measured cost a month in the recommendation
  --from-report F a report.json whose workflow and measured own functions the forecast reuses
  --skip-map      leaves the decision map (about half a minute) out of the reports`;

/** What a report.json gives the forecast: its runs (schema-parsed). */
const reportFileSchema = z.object({
  environment: z.object({ apiUrl: z.string(), platform: z.string().optional() }).optional(),
  runs: z.array(runReportSchema),
});

export interface ForecastOptions {
  forecastOnly: boolean;
  parameters: PlatformParameters;
  ratePerSecond?: number;
  skipMap: boolean;
  /** From --from-report: its measured runs (own functions' durations) and its workflow. */
  fromReport?: { runs: RunReport[]; workflow: Workflow; measuredOnAws: boolean };
}

function readJson(flag: string, file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new InvalidInputError(flag, `cannot read ${file} as JSON (${(error as Error).message})`);
  }
}

function parsed<T>(flag: string, schema: z.ZodType<T>, raw: unknown, root: string): T {
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  throw new InvalidInputError(
    flag,
    `${formatFieldPath(root, issue?.path ?? [])}: ${issue?.message}`,
  );
}

/** The workflow a report's runs ran: each task as the report lists it. */
function workflowOf(runs: readonly RunReport[]): Workflow {
  const first = runs[0];
  if (!first) throw new InvalidInputError("--from-report", "holds no runs");
  return {
    tasks: first.tasks.map((task) => ({
      id: task.id,
      deps: task.deps,
      kind: task.kind,
      ...(task.function !== undefined
        ? { function: task.function }
        : { fn: task.fn ?? "writeLog", durationMs: task.durationMs / first.scale }),
      ...(task.bytesOut !== undefined && task.function === undefined
        ? { outputBytes: task.bytesOut }
        : {}),
    })),
  };
}

/** Parses the forecast's flags; a bad value is an InvalidInputError naming the flag. */
export function parseForecastOptions(values: {
  "forecast-only"?: boolean;
  parameters?: string;
  rate?: string;
  "from-report"?: string;
  "skip-map"?: boolean;
}): ForecastOptions {
  const parameters = values.parameters
    ? parsed(
        "--parameters",
        platformParametersSchema,
        readJson("--parameters", values.parameters),
        "parameters",
      )
    : AWS_PARAMETERS;
  const ratePerSecond =
    values.rate === undefined ? undefined : parsedFlag("--rate", values.rate, parseRate);
  const fromReportFile = values["from-report"];
  const report = fromReportFile
    ? parsed("--from-report", reportFileSchema, readJson("--from-report", fromReportFile), "report")
    : undefined;
  const runs = report?.runs.filter((run) => !run.warmup) ?? [];
  return {
    forecastOnly: values["forecast-only"] ?? false,
    parameters,
    ...(ratePerSecond === undefined ? {} : { ratePerSecond }),
    skipMap: values["skip-map"] ?? false,
    ...(report
      ? {
          fromReport: {
            runs,
            workflow: workflowOf(runs),
            measuredOnAws:
              report.environment?.platform === "aws" ||
              /\.execute-api\.[a-z0-9-]+\.amazonaws\.com/.test(report.environment?.apiUrl ?? ""),
          },
        }
      : {}),
  };
}
