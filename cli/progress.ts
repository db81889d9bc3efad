import { SingleBar } from "cli-progress";
import { formatNumber } from "../lib/report/text/formatNumber.js";
import type { RunRecord } from "../lib/runs/record.js";

/** Reports runs as they finish: a bar on a terminal, plain lines in CI and pipes. */
export interface Progress {
  start(total: number, label: string): void;
  /** One run done: `line` is what a plain log shows for it. */
  tick(line: string): void;
  /** How the run under way is doing (an asynchronous run's tasks): beside the bar, or a line now and then. */
  note(line: string): void;
  stop(): void;
}

/** A plain log says how a run under way is doing at most this often. */
export const PLAIN_NOTE_INTERVAL_MS = 10_000;

/** One line per run on stderr: logs and CI keep every line, with no control characters. */
export function plainProgress(
  write: (line: string) => void,
  now: () => number = Date.now,
): Progress {
  let done = 0;
  let total = 0;
  let label = "";
  let lastLineAt = now();
  const writeLine = (line: string) => {
    lastLineAt = now();
    write(`  [${label} ${done}/${total}] ${line}`);
  };
  return {
    start(count, name) {
      total = count;
      label = name;
      done = 0;
      lastLineAt = now();
    },
    tick(line) {
      done += 1;
      writeLine(line);
    },
    note(line) {
      if (now() - lastLineAt >= PLAIN_NOTE_INTERVAL_MS) writeLine(line);
    },
    stop() {},
  };
}

/** cli-progress's bar on stderr, showing the last run's line beside it. */
function barProgress(): Progress {
  const bar = new SingleBar({
    format: "  {label} [{bar}] {value}/{total} {last}",
    stream: process.stderr,
    hideCursor: true,
    clearOnComplete: false,
  });
  let running = false;
  return {
    start(total, label) {
      if (running) bar.stop();
      bar.start(total, 0, { label, last: "" });
      running = true;
    },
    tick(line) {
      bar.increment(1, { last: line });
    },
    note(line) {
      if (running) bar.update({ last: line });
    },
    stop() {
      if (running) bar.stop();
      running = false;
    },
  };
}

/** A bar when stderr is a terminal and CI is not set; plain lines otherwise. */
export function createProgress(write: (line: string) => void = console.error): Progress {
  const interactive = process.stderr.isTTY === true && !process.env.CI;
  return interactive ? barProgress() : plainProgress(write);
}

const TASK_BAR_CELLS = 10;

/**
 * One line on an asynchronous run under way: its status, its tasks finished of all, a small bar
 * of them, and the time since it was sent.
 *
 * @example
 * describeRunProgress(record, 40, 35_000); // "queue running [###-------] 12/40 tasks, 35 s"
 */
export function describeRunProgress(
  record: Pick<RunRecord, "strategy" | "status" | "tasksFinished" | "report">,
  totalTasks: number,
  elapsedMs: number,
): string {
  const finished = record.report
    ? record.report.tasks.filter((task) => task.status !== "skipped").length
    : (record.tasksFinished?.length ?? 0);
  const filled =
    totalTasks > 0
      ? Math.min(Math.round((finished / totalTasks) * TASK_BAR_CELLS), TASK_BAR_CELLS)
      : 0;
  const bar = `[${"#".repeat(filled)}${"-".repeat(TASK_BAR_CELLS - filled)}]`;
  return `${record.strategy} ${record.status} ${bar} ${formatNumber(finished)}/${formatNumber(totalTasks)} tasks, ${formatNumber(elapsedMs / 1000)} s`;
}
