import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../cli/session.js";

const TICKS_PER_SECOND = 100; // USER_HZ on Linux
const PAGE_BYTES = 4096;

/** The pid of the LocalStack localstack/start.sh started (host mode). */
export function localStackPid(): number {
  return Number(readFileSync(join(projectRoot, ".local/localstack/localstack.pid"), "utf8"));
}

export interface TreeUsage {
  /** CPU time (ms) of LocalStack and everything it started, reaped children included. */
  cpuMs: number;
  rssBytes: number;
  /** Of which LocalStack's own process: its gateway, services and the executor's Python side. */
  localStackCpuMs: number;
  /**
   * Of which each Node process it started, by what it runs: a thread host by its function's name
   * (threadHost.mjs <function>), a process environment as "environments (one process each)".
   */
  nodeCpuMs: Record<string, number>;
}

interface ProcessStat {
  parent: number;
  ticks: number;
  pages: number;
}

function componentOf(pid: string): string {
  try {
    const argv = readFileSync(`/proc/${pid}/cmdline`, "utf8").split("\0");
    const host = argv.findIndex((arg) => arg.endsWith("threadHost.mjs"));
    if (host >= 0) return argv[host + 1] ?? "thread host";
    if (argv.some((arg) => arg.endsWith("bootstrap.mjs"))) return "environments (one process each)";
    return argv[0]?.split("/").pop() ?? "?";
  } catch {
    return "?";
  }
}

/**
 * CPU and resident memory of LocalStack and every process it started, read from /proc (Linux).
 * Each environment's or host's process is a session of its own, so the tree is found by parent.
 */
export function treeUsage(rootPid: number): TreeUsage {
  const processes = new Map<number, ProcessStat>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      // fields after "(comm)": parent [1], utime [11], stime [12], cutime [13] and cstime [14]
      // (children already reaped), rss pages [21]
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      processes.set(Number(entry), {
        parent: Number(fields[1]),
        ticks: [11, 12, 13, 14].reduce((sum, index) => sum + Number(fields[index]), 0),
        pages: Number(fields[21]),
      });
    } catch {
      // the process ended while we read
    }
  }
  const inTree = (pid: number): boolean => {
    for (let current = pid, hops = 0; current > 1 && hops < 64; hops += 1) {
      if (current === rootPid) return true;
      current = processes.get(current)?.parent ?? 0;
    }
    return false;
  };
  const toMs = (ticks: number) => (ticks * 1000) / TICKS_PER_SECOND;
  const usage: TreeUsage = { cpuMs: 0, rssBytes: 0, localStackCpuMs: 0, nodeCpuMs: {} };
  for (const [pid, stat] of processes) {
    if (!inTree(pid)) continue;
    usage.cpuMs += toMs(stat.ticks);
    usage.rssBytes += stat.pages * PAGE_BYTES;
    if (pid === rootPid) continue;
    const component = componentOf(String(pid));
    usage.nodeCpuMs[component] = (usage.nodeCpuMs[component] ?? 0) + toMs(stat.ticks);
  }
  usage.localStackCpuMs = toMs(processes.get(rootPid)?.ticks ?? 0);
  return usage;
}

/** What `after` used beyond `before`, component by component (ms). */
export function usageBetween(before: TreeUsage, after: TreeUsage) {
  const components = new Set([...Object.keys(before.nodeCpuMs), ...Object.keys(after.nodeCpuMs)]);
  return {
    cpuMs: after.cpuMs - before.cpuMs,
    localStackCpuMs: after.localStackCpuMs - before.localStackCpuMs,
    nodeCpuMs: Object.fromEntries(
      [...components].map((name) => [
        name,
        (after.nodeCpuMs[name] ?? 0) - (before.nodeCpuMs[name] ?? 0),
      ]),
    ),
  };
}
