import { SingleBar } from "cli-progress";

/** Reports runs as they finish: a bar on a terminal, plain lines in CI and pipes. */
export interface Progress {
  start(total: number, label: string): void;
  /** One run done: `line` is what a plain log shows for it. */
  tick(line: string): void;
  stop(): void;
}

/** One line per run on stderr: logs and CI keep every line, with no control characters. */
function plainProgress(write: (line: string) => void): Progress {
  let done = 0;
  let total = 0;
  let label = "";
  return {
    start(count, name) {
      total = count;
      label = name;
      done = 0;
    },
    tick(line) {
      done += 1;
      write(`  [${label} ${done}/${total}] ${line}`);
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
