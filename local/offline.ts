import { type ChildProcess, spawn } from "node:child_process";
import { createWriteStream, mkdirSync } from "node:fs";
import { join } from "node:path";
import { isPortInUse, waitUntil } from "./ports.js";
import {
  HTTP_PORT,
  LAMBDA_PORT,
  LOCAL_AWS_ENV,
  LOCAL_STAGE,
  SERVERLESS_CLI_ENV,
} from "./settings.js";

const START_TIMEOUT_MS = 120_000;
const STOP_GRACE_MS = 5_000;

export interface OfflineServer {
  apiUrl: string;
  logFile: string;
  stop(): Promise<void>;
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once("exit", () => resolve()));
}

/** Signals the whole process group: killing only npx/serverless would leave the workers up. */
function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  try {
    if (child.pid) process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

/**
 * Starts serverless-offline (stage `local`) in its own process group and waits until its HTTP
 * routes answer. Fails fast, in one line, when a port is taken or the server dies while starting.
 */
export async function assertOfflinePortsFree(): Promise<void> {
  for (const port of [HTTP_PORT, LAMBDA_PORT]) {
    if (await isPortInUse(port)) {
      throw new Error(`port ${port} is already in use: stop whatever listens there and try again`);
    }
  }
}

export async function startOffline(projectRoot: string): Promise<OfflineServer> {
  await assertOfflinePortsFree();
  const logDir = join(projectRoot, ".local");
  mkdirSync(logDir, { recursive: true });
  const logFile = join(logDir, "offline.log");
  const log = createWriteStream(logFile);
  const child = spawn(
    process.execPath,
    [
      join(projectRoot, "node_modules/serverless/bin/serverless.js"),
      "offline",
      "start",
      "--stage",
      LOCAL_STAGE,
    ],
    {
      cwd: projectRoot,
      detached: true,
      stdio: ["ignore", "pipe", "pipe"],
      env: { ...process.env, ...SERVERLESS_CLI_ENV, ...LOCAL_AWS_ENV },
    },
  );
  child.stdout?.pipe(log);
  child.stderr?.pipe(log);
  // serverless-offline announces readiness on stderr or stdout depending on its log settings.
  let ready = false;
  let recentOutput = "";
  const watchForReady = (chunk: Buffer) => {
    recentOutput = (recentOutput + chunk.toString()).slice(-200);
    if (recentOutput.includes("Server ready")) ready = true;
  };
  child.stdout?.on("data", watchForReady);
  child.stderr?.on("data", watchForReady);
  const stop = async () => {
    signalGroup(child, "SIGTERM");
    const timer = setTimeout(() => signalGroup(child, "SIGKILL"), STOP_GRACE_MS);
    await exited(child);
    clearTimeout(timer);
    await waitUntil(
      async () => !(await isPortInUse(HTTP_PORT)) && !(await isPortInUse(LAMBDA_PORT)),
      {
        timeoutMs: STOP_GRACE_MS,
        message: `serverless-offline still holds port ${HTTP_PORT} or ${LAMBDA_PORT} after stopping`,
      },
    );
    log.end();
  };
  try {
    await waitUntil(
      async () => {
        if (child.exitCode !== null) {
          throw new Error(`serverless-offline exited with code ${child.exitCode}; see ${logFile}`);
        }
        return ready;
      },
      {
        timeoutMs: START_TIMEOUT_MS,
        message: `serverless-offline did not become ready in ${START_TIMEOUT_MS / 1000} s; see ${logFile}`,
      },
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return { apiUrl: `http://127.0.0.1:${HTTP_PORT}/${LOCAL_STAGE}`, logFile, stop };
}
