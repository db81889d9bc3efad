import { type ChildProcess, spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeAll, describe, expect, it } from "vitest";
import { runStrategy } from "../../adapters/runsApiClient.js";
import { isPortInUse, waitUntil } from "../../localEnvironment/ports.js";
import {
  DURABLE_SERVICE_PORT,
  LOCALSTACK_ENDPOINT,
  SERVERLESS_CLI_ENV,
} from "../../localEnvironment/settings.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const stateDir = join(projectRoot, ".local/localstack");
/** The bar is "about 2 s"; the slack is for a loaded CI machine. */
const EXIT_BOUND_MS = 5000;
const LOCALSTACK_PORT = Number(new URL(LOCALSTACK_ENDPOINT).port);

/**
 * The listening sockets close once the last process of LocalStack's group holding them is reaped,
 * which was seen to lag LocalStack's own exit once on a fresh clone: still open after 2 s fails.
 * The durable execution service is LocalStack's child: its port must close with LocalStack's.
 */
function untilPortCloses(): Promise<void> {
  const ports = [LOCALSTACK_PORT, DURABLE_SERVICE_PORT];
  return waitUntil(
    async () => {
      const open = await Promise.all(ports.map((port) => isPortInUse(port)));
      return open.every((isOpen) => !isOpen);
    },
    {
      timeoutMs: 2000,
      intervalMs: 100,
      message: `port ${ports.join(" or ")} still open 2 s after LocalStack's process is gone`,
    },
  );
}

/** Running: a killed process stays a zombie until init reaps it, and holds nothing then. */
function alive(pid: number): boolean {
  const stat = spawnSync("ps", ["-p", String(pid), "-o", "stat="], { encoding: "utf8" });
  return stat.status === 0 && !stat.stdout.trim().startsWith("Z");
}

function localStackPid(): number {
  return Number(readFileSync(join(stateDir, "localstack.pid"), "utf8"));
}

/** A command as a user starts it in a terminal: its own process group, which Ctrl-C signals. */
function startCommand(command: string, args: string[], env: NodeJS.ProcessEnv = {}) {
  const child = spawn(command, args, {
    cwd: projectRoot,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    env: { ...process.env, ...SERVERLESS_CLI_ENV, ...env },
  });
  let output = "";
  child.stdout?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exit = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    exit,
    output: () => output,
    /** Resolves once the output matches, or rejects when the command exits first or time runs out. */
    async waitFor(pattern: RegExp, timeoutMs: number): Promise<RegExpMatchArray> {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        const match = output.match(pattern);
        if (match) return match;
        if (child.exitCode !== null) break;
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      throw new Error(`no ${pattern} in the output:\n${output.slice(-2000)}`);
    },
    /** What a terminal's Ctrl-C does: SIGINT to every process of the group. */
    interrupt() {
      process.kill(-(child.pid as number), "SIGINT");
    },
  };
}

/** Processes of a group still running (zombies, which init reaps when it gets to them, aside). */
function groupMembers(pgid: number): string[] {
  const listing = spawnSync("ps", ["-o", "stat=,args=", "-g", String(pgid)], { encoding: "utf8" });
  return listing.stdout
    .split("\n")
    .map((line) => line.trim())
    .filter((line) => line !== "" && !line.startsWith("Z"));
}

/**
 * Milliseconds from now until every process of the command's group is gone (npm, its shell, our
 * Node process, a deploy under way), or the bound has passed (then it says so).
 */
async function msUntilGone(command: {
  child: ChildProcess;
  exit: Promise<unknown>;
}): Promise<number> {
  const started = Date.now();
  await command.exit;
  while (groupMembers(command.child.pid as number).length > 0) {
    if (Date.now() - started > EXIT_BOUND_MS * 2) {
      throw new Error(`still running: ${groupMembers(command.child.pid as number).join("; ")}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return Date.now() - started;
}

let running: ChildProcess[] = [];

describe("Stopping the local stack", () => {
  beforeAll(async () => {
    if (await isPortInUse(LOCALSTACK_PORT)) {
      throw new Error("port 4566 is taken: these tests start and stop LocalStack themselves");
    }
  });

  afterEach(() => {
    for (const child of running) {
      try {
        process.kill(-(child.pid as number), "SIGKILL");
      } catch {
        // Already gone.
      }
    }
    running = [];
    if (existsSync(join(stateDir, "localstack.pid")) && alive(localStackPid())) {
      process.kill(-localStackPid(), "SIGKILL");
    }
  });

  it("one Ctrl-C on `npm run serve` with queue runs under way: LocalStack and the command are gone within seconds", async () => {
    const serve = startCommand("npm", ["run", "serve"]);
    running.push(serve.child);
    const [, apiUrl = ""] = await serve.waitFor(/local stack ready: POST (\S+)\/runs\//, 300_000);
    const [, apiKey = ""] = await serve.waitFor(/API key \(x-api-key\): (\S+)/, 10_000);
    const pid = localStackPid();
    await runStrategy(apiUrl, "queue", { scale: 0.01 }, { apiKey });
    // Load: runs whose workers and long polls are under way when the Ctrl-C comes.
    const underWay = Array.from({ length: 10 }, () =>
      runStrategy(apiUrl, "queue", { scale: 0.5 }, { apiKey }).catch(() => undefined),
    );
    await new Promise((resolve) => setTimeout(resolve, 1500));

    serve.interrupt();
    const exitMs = await msUntilGone(serve);
    console.info(`one Ctrl-C with 10 queue runs under way: everything gone in ${exitMs} ms`);
    await Promise.all(underWay);

    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    expect(serve.output()).not.toMatch(/again: killing/);
    expect(alive(pid)).toBe(false);
    await expect(untilPortCloses()).resolves.toBeUndefined();
  });

  it("SIGTERM to the command while the service deploys (a process manager, `kill`) stops LocalStack and the deploy too", async () => {
    const serve = startCommand("npm", ["run", "serve"]);
    running.push(serve.child);
    await serve.waitFor(/deploying the service into LocalStack/, 180_000);
    const pid = localStackPid();

    // To npm alone, not its group: it never reaches serve.ts (npm signals its `sh -c`, which dies);
    // serve.ts notices its parent is gone. The deploy gets no signal at all.
    serve.child.kill("SIGTERM");
    const exitMs = await msUntilGone(serve);
    console.info(`SIGTERM to npm during the deploy: everything gone in ${exitMs} ms`);

    expect(exitMs).toBeLessThan(EXIT_BOUND_MS);
    expect(alive(pid)).toBe(false);
    await expect(untilPortCloses()).resolves.toBeUndefined();
  });

  it("a LocalStack whose owner died (killed with its whole group) is stopped by the next start", async () => {
    // The owner: a process that starts LocalStack and is then killed without a chance to stop it.
    const owner = startCommand("sleep", ["600"]);
    running.push(owner.child);
    const first = startCommand("bash", ["localstack/start.sh"], {
      LAB_LOCALSTACK_OWNER: String(owner.child.pid),
    });
    expect(await first.exit).toBe(0);
    const orphan = localStackPid();
    process.kill(-(owner.child.pid as number), "SIGKILL");
    await owner.exit;

    const second = startCommand("bash", ["localstack/start.sh"], {
      LAB_LOCALSTACK_OWNER: String(process.pid),
    });
    expect(await second.exit).toBe(0);

    expect(second.output()).toMatch(/outlived it \(an orphan\): stopping it/);
    expect(second.output()).not.toMatch(/\(reused\)/);
    expect(alive(orphan)).toBe(false);
    expect(localStackPid()).not.toBe(orphan);
    const stop = startCommand("bash", ["localstack/stop.sh"]);
    expect(await stop.exit).toBe(0);
  });
});
