import { spawn, spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { z } from "zod";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import {
  type PlatformPiece,
  STRATEGY_DESCRIPTIONS,
  type StrategyName,
} from "../lib/strategies/names.js";
import { LOCALSTACK_ENDPOINT } from "./settings.js";

/**
 * What `serverless deploy` itself needs: CloudFormation and what it creates the stack with
 * (`events` for the reply-queue sweeper's schedule, an AWS::Events::Rule).
 */
const DEPLOY_SERVICES = [
  "cloudformation",
  "s3",
  "iam",
  "sts",
  "logs",
  "apigateway",
  "lambda",
  "ecr",
  "events",
];
/**
 * The deploy's services plus every platform piece some registered strategy needs: pieces are
 * named as LocalStack names their services.
 */
export function servicesToStart(): string[] {
  const needed: string[] = STRATEGY_DESCRIPTIONS.flatMap((strategy) =>
    strategy.needs.filter((piece) => piece !== DURABLE_PIECE),
  );
  return [...new Set([...DEPLOY_SERVICES, ...needed])];
}

/** Not a LocalStack service: AWS's local durable execution service, which start.sh runs beside it. */
const DURABLE_PIECE: PlatformPiece = "durableExecutions";

/** start.sh records the durable execution service it runs: "dex-local-runner <version> ... on <host:port>". */
function recordedDurableService(
  projectRoot: string,
): { description: string; healthUrl: string } | undefined {
  try {
    const description = readFileSync(
      join(projectRoot, ".local/localstack/durable-service"),
      "utf8",
    ).trim();
    const address = description.split(" on ").pop() ?? "";
    return { description, healthUrl: `http://${address}/health` };
  } catch {
    return undefined;
  }
}

/** What the durable execution service answers (its health check), or why it does not. */
async function durableServiceStatus(projectRoot: string): Promise<string> {
  const service = recordedDurableService(projectRoot);
  if (!service) return "not started by localstack/start.sh";
  try {
    const response = await fetch(service.healthUrl, { signal: AbortSignal.timeout(2000) });
    const body: unknown = await response.json();
    const healthy = z.object({ status: z.literal("healthy") }).safeParse(body).success;
    return healthy ? "running" : `answering ${JSON.stringify(body)}`;
  } catch (error) {
    return `not answering ${service.healthUrl} (${(error as Error).message})`;
  }
}

export interface LocalStackHandle {
  /** False when a LocalStack was already running: then stopping leaves it alone. */
  startedByUs: boolean;
  /** What runs the Lambdas and what that does not model, for every report. */
  description: string;
  /** Strategies whose platform pieces this LocalStack does not serve, and why. */
  unavailable: Array<{ strategy: StrategyName; reason: string }>;
  /** Concurrent Lambda invocations LocalStack allows before throttling, when start.sh set it. */
  lambdaConcurrency?: number;
  /** Stops it (SIGTERM, then SIGKILL after half a second) when this process started it. */
  stop(): Promise<void>;
}

/** LocalStack's health answer: each service's state ("running", "available", "disabled", ...). */
const healthSchema = z.object({ services: z.record(z.string(), z.string()).optional() });

/** Asks LocalStack's health endpoint which services run ("available" loads on first use). */
async function unavailableStrategies(
  projectRoot: string,
): Promise<LocalStackHandle["unavailable"]> {
  const response = await fetch(`${LOCALSTACK_ENDPOINT}/_localstack/health`);
  const { services = {} } = healthSchema.parse(await response.json());
  services[DURABLE_PIECE] = await durableServiceStatus(projectRoot);
  return STRATEGY_DESCRIPTIONS.flatMap((strategy) => {
    const missing = strategy.needs.filter(
      (service) => !["running", "available"].includes(services[service] ?? "missing"),
    );
    return missing.length === 0
      ? []
      : [
          {
            strategy: strategy.name,
            reason: missing
              .map((service) => `${service} is ${services[service] ?? "missing"}`)
              .join(", "),
          },
        ];
  });
}

/** start.sh records how it started LocalStack; one it reused is taken to be host mode. */
function recordedMode(projectRoot: string): "docker" | "host" {
  try {
    const mode = readFileSync(join(projectRoot, ".local/localstack/mode"), "utf8").trim();
    return mode === "docker" ? "docker" : "host";
  } catch {
    return "host";
  }
}

/** start.sh records the Lambda concurrency it gave LocalStack (bounded by this machine). */
function recordedConcurrency(projectRoot: string): number | undefined {
  try {
    const text = readFileSync(join(projectRoot, ".local/localstack/lambda-concurrency"), "utf8");
    const concurrency = Number(text.trim());
    return Number.isInteger(concurrency) && concurrency > 0 ? concurrency : undefined;
  } catch {
    return undefined;
  }
}

/** start.sh records how the executor runs environments: "<thread|process> <node version>". */
function recordedExecutor(projectRoot: string): { kind: string; node: string } {
  try {
    const [kind = "thread", node = "?"] = readFileSync(
      join(projectRoot, ".local/localstack/lambda-executor"),
      "utf8",
    )
      .trim()
      .split(" ");
    return { kind, node };
  } catch {
    return { kind: "process", node: "(the host's)" };
  }
}

function describeRuntime(mode: "docker" | "host", projectRoot: string): string {
  const concurrency = recordedConcurrency(projectRoot);
  const executor = recordedExecutor(projectRoot);
  const durableService = recordedDurableService(projectRoot);
  const durable = durableService
    ? `durable executions run by AWS's local durable execution service, ${durableService.description}`
    : "no durable execution service";
  const limit = concurrency
    ? `Lambda concurrency ${formatNumber(concurrency)} (set for this machine by localstack/start.sh or LAB_LAMBDA_CONCURRENCY; AWS's default is 1,000), throttled beyond; `
    : "";
  return mode === "docker"
    ? "LocalStack 4.14.0 in Docker, Lambdas in its Docker executor; measured locally, not on AWS"
    : executor.kind === "thread"
      ? `LocalStack 4.14.0 in host mode, each Lambda execution environment a worker thread of one local Node ${executor.node} process per function ` +
        `(our node-thread executor; the template says nodejs22.x arm64): ${limit}no arm64 emulation, ` +
        `memory size enforced as the environment's heap limit, IAM not enforced; Step Functions is LocalStack's interpreter; ${durable}; measured locally, not on AWS`
      : `LocalStack 4.14.0 in host mode, each Lambda execution environment a local Node ${executor.node} process ` +
        `(our node-process executor; the template says nodejs22.x arm64): ${limit}no arm64 emulation, ` +
        `no memory limit, IAM not enforced; Step Functions is LocalStack's interpreter; ${durable}; measured locally, not on AWS`;
}

function runScript(projectRoot: string, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(projectRoot, "localstack", script)], {
      cwd: projectRoot,
      env: {
        ...process.env,
        LOCALSTACK_SERVICES: servicesToStart().join(","),
        // This process stops what start.sh starts; if it dies first, the next start stops it.
        LAB_LOCALSTACK_OWNER: String(process.pid),
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`localstack/${script} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

/**
 * Kills at once, synchronously, the LocalStack that start.sh started for `owner` (this process by
 * default): LocalStack and its Lambda environments, one process group (host mode). For a second
 * Ctrl-C, or a Ctrl-C while it is still starting; a LocalStack another process owns, or one in
 * Docker, is left alone (the next start stops an orphan). True when there was one to kill.
 */
export function killLocalStackOwnedBy(projectRoot: string, owner = process.pid): boolean {
  const state = join(projectRoot, ".local/localstack");
  try {
    const [ownerPid] = readFileSync(join(state, "owner"), "utf8").trim().split(" ");
    if (Number(ownerPid) !== owner) return false;
    const pid = Number(readFileSync(join(state, "localstack.pid"), "utf8"));
    if (!(Number.isInteger(pid) && pid > 1)) return false;
    process.kill(-pid, "SIGKILL");
    waitUntilExited(pid, KILL_SETTLE_MS);
    return true;
  } catch {
    return false; // Not started for this process, already gone, or not in host mode.
  }
}

/**
 * A SIGKILLed LocalStack (a Python process with dozens of threads) takes a moment to be torn
 * down; a command that exits at once would leave it running for that moment, past its own exit,
 * which a process manager (or the lifecycle test) sees as a LocalStack outliving its command.
 */
const KILL_SETTLE_MS = 2000;

/** Blocks (this runs on the way out of the process) until `pid` runs no more, or `limitMs`. */
function waitUntilExited(pid: number, limitMs: number): void {
  const tick = new Int32Array(new SharedArrayBuffer(4));
  const deadline = Date.now() + limitMs;
  while (isRunning(pid) && Date.now() < deadline) Atomics.wait(tick, 0, 0, 20);
}

/** A zombie waits only for its parent (init) to reap it: it runs no more and holds no port. */
function isRunning(pid: number): boolean {
  const stat = spawnSync("ps", ["-p", String(pid), "-o", "stat="], { encoding: "utf8" });
  return stat.status === 0 && !stat.stdout.trim().startsWith("Z");
}

/**
 * Starts LocalStack 4.14.0 the way this machine allows (Docker compose, or host mode from a
 * Python venv) through localstack/start.sh, which reuses one that is already running.
 */
export async function startLocalStack(projectRoot: string): Promise<LocalStackHandle> {
  const output = await runScript(projectRoot, "start.sh");
  const startedByUs = !output.includes("(reused)");
  const lambdaConcurrency = recordedConcurrency(projectRoot);
  return {
    startedByUs,
    ...(lambdaConcurrency ? { lambdaConcurrency } : {}),
    unavailable: await unavailableStrategies(projectRoot),
    description: describeRuntime(recordedMode(projectRoot), projectRoot),
    stop: async () => {
      if (startedByUs) await runScript(projectRoot, "stop.sh");
    },
  };
}
