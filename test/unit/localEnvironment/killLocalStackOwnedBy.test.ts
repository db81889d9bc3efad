import { type ChildProcess, spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { killLocalStackOwnedBy } from "../../../localEnvironment/localStack.js";

/** A stand-in for LocalStack: a process group of its own, as start.sh's setsid makes it. */
function startProcessGroup(): ChildProcess {
  return spawn("sleep", ["30"], { detached: true, stdio: "ignore" });
}

function exited(child: ChildProcess, withinMs: number): Promise<boolean> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve(true);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), withinMs);
    child.once("exit", () => {
      clearTimeout(timer);
      resolve(true);
    });
  });
}

describe("Function: killLocalStackOwnedBy", () => {
  let projectRoot: string;
  let localStack: ChildProcess;

  beforeEach(() => {
    projectRoot = mkdtempSync(join(tmpdir(), "lab-owner-"));
    mkdirSync(join(projectRoot, ".local/localstack"), { recursive: true });
    localStack = startProcessGroup();
    writeFileSync(join(projectRoot, ".local/localstack/localstack.pid"), `${localStack.pid}\n`);
  });

  afterEach(() => {
    if (localStack.exitCode === null && localStack.signalCode === null) localStack.kill("SIGKILL");
    rmSync(projectRoot, { recursive: true, force: true });
  });

  it("kills the process group start.sh started for this process", async () => {
    writeFileSync(
      join(projectRoot, ".local/localstack/owner"),
      `${process.pid} Wed Nov 25 07:00:00 2026\n`,
    );

    expect(killLocalStackOwnedBy(projectRoot)).toBe(true);
    expect(await exited(localStack, 2000)).toBe(true);
  });

  it("leaves alone one started for another process, or for nobody (npm run local:start)", async () => {
    writeFileSync(join(projectRoot, ".local/localstack/owner"), "1 Wed Nov 25 07:00:00 2026\n");
    expect(killLocalStackOwnedBy(projectRoot)).toBe(false);

    rmSync(join(projectRoot, ".local/localstack/owner"));
    expect(killLocalStackOwnedBy(projectRoot)).toBe(false);

    expect(await exited(localStack, 200)).toBe(false);
  });
});
