import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../cli/session.js";

/**
 * A run that timed out leaves work behind in LocalStack (a Step Functions execution or invokes go
 * on after the orchestrator gave up), which would slow the next point down: wait until
 * LocalStack's CPU time stops growing (Linux: /proc), at most two minutes.
 */
export async function untilLocalStackIsIdle(): Promise<void> {
  const pidFile = join(projectRoot, ".local/localstack/localstack.pid");
  const cpuTicks = () => {
    try {
      const pid = readFileSync(pidFile, "utf8").trim();
      const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.split(" ") ?? [];
      return Number(fields[11]) + Number(fields[12]); // utime + stime, in clock ticks
    } catch {
      return undefined;
    }
  };
  const deadline = Date.now() + 120_000;
  let before = cpuTicks();
  while (before !== undefined && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 2000));
    const now = cpuTicks();
    if (now === undefined || now - before < 2 * 100 * 0.15) return; // under 15 % of a core
    before = now;
  }
}
