import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { InvalidInputError } from "../lib/errors.js";
import { compareRuns } from "../lib/report/compareRuns.js";
import { renderGantt } from "../lib/report/renderGantt.js";
import { renderTable } from "../lib/report/renderTable.js";
import { type RunReport, STRATEGIES, type StrategyName } from "../lib/report/types.js";
import { parseStrategy } from "../lib/runRequest.js";
import { MAX_SCALE } from "../lib/tasks/catalog.js";
import { validateWorkflow } from "../lib/workflow/dag.js";
import { SEED_WORKFLOW } from "../lib/workflow/defaults.js";
import type { Workflow } from "../lib/workflow/types.js";
import { type LocalEnvironment, startLocalEnvironment } from "../local/startLocalEnvironment.js";
import { runStrategy } from "./runStrategy.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "..");

const USAGE = `usage: npm start -- [--scale N] [--repeat N] [--warmup N] [--strategies a,b]
                     [--workflow file.json] [--url API_URL] [--out file.json]`;

interface CompareOptions {
  scale: number;
  repeat: number;
  warmup: number;
  strategies: StrategyName[];
  workflow: Workflow;
  url?: string;
  out: string;
}

function positiveNumber(
  flag: string,
  raw: string,
  { integer = false, max = Infinity } = {},
): number {
  const value = Number(raw);
  const valid =
    Number.isFinite(value) && value > 0 && value <= max && (!integer || Number.isInteger(value));
  if (!valid) {
    throw new InvalidInputError(
      `--${flag}`,
      `expected a positive ${integer ? "integer" : "number"}${max < Infinity ? ` up to ${max}` : ""}, got '${raw}'`,
    );
  }
  return value;
}

function parseOptions(argv: string[]): CompareOptions {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      scale: { type: "string", default: "1" },
      repeat: { type: "string", default: "1" },
      warmup: { type: "string", default: "1" },
      strategies: { type: "string", default: STRATEGIES.join(",") },
      workflow: { type: "string" },
      url: { type: "string" },
      out: { type: "string", default: "reports/latest.json" },
      help: { type: "boolean", default: false },
    },
  });
  if (values.help) {
    console.log(USAGE);
    process.exit(0);
  }
  let workflow = SEED_WORKFLOW;
  if (values.workflow) {
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(values.workflow, "utf8"));
    } catch (error) {
      throw new InvalidInputError(
        "--workflow",
        `cannot read ${values.workflow} as JSON (${(error as Error).message})`,
      );
    }
    workflow = validateWorkflow(raw, "workflow");
  }
  return {
    scale: positiveNumber("scale", values.scale, { max: MAX_SCALE }),
    repeat: positiveNumber("repeat", values.repeat, { integer: true }),
    warmup: values.warmup === "0" ? 0 : positiveNumber("warmup", values.warmup, { integer: true }),
    strategies: values.strategies.split(",").map((name) => parseStrategy(name.trim())),
    workflow,
    ...(values.url ? { url: values.url.replace(/\/$/, "") } : {}),
    out: values.out,
  };
}

async function compare(options: CompareOptions): Promise<void> {
  let environment: LocalEnvironment | undefined;
  const stopEnvironment = async () => {
    const running = environment;
    environment = undefined;
    await running?.stop();
  };
  process.once("SIGINT", () => {
    void stopEnvironment().finally(() => process.exit(130));
  });
  try {
    let apiUrl = options.url;
    let strategies = options.strategies;
    if (!apiUrl) {
      environment = await startLocalEnvironment(projectRoot, { requireQueue: false });
      apiUrl = environment.apiUrl;
      if (environment.queueUnavailable) strategies = strategies.filter((name) => name !== "queue");
    }
    const body = { workflow: options.workflow, scale: options.scale };
    console.error(
      `comparing ${strategies.join(", ")} at ${apiUrl} (scale ${options.scale}, ${options.warmup} warm-up + ${options.repeat} measured run(s) each)`,
    );
    // Warm-up runs pay the cold starts (at a tiny scale) so the measured runs compare orchestration.
    for (let round = 0; round < options.warmup; round += 1) {
      for (const strategy of strategies) {
        await runStrategy(apiUrl, strategy, { workflow: options.workflow, scale: 0.01 });
      }
    }
    const reports: RunReport[] = [];
    for (let round = 0; round < options.repeat; round += 1) {
      for (const strategy of strategies) {
        const report = await runStrategy(apiUrl, strategy, body);
        console.error(
          `  ${strategy.padEnd(10)} ${report.status.padEnd(9)} wall ${report.wallMs} ms`,
        );
        reports.push(report);
      }
    }
    const comparison = compareRuns(reports);
    console.log(`\n${renderTable(comparison)}\n`);
    for (const strategy of strategies) {
      const last = reports.filter((report) => report.strategy === strategy).at(-1);
      if (last) console.log(`${renderGantt(last)}\n`);
    }
    const outFile = resolve(options.out);
    mkdirSync(dirname(outFile), { recursive: true });
    writeFileSync(
      outFile,
      `${JSON.stringify({ generatedAt: new Date().toISOString(), apiUrl, options, comparison, runs: reports }, null, 2)}\n`,
    );
    console.log(`report written to ${options.out}`);
    if (reports.some((report) => report.status === "failed")) process.exitCode = 1;
  } finally {
    await stopEnvironment();
  }
}

try {
  await compare(parseOptions(process.argv.slice(2)));
} catch (error) {
  console.error(
    `compare: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
  );
  process.exitCode = 1;
}
