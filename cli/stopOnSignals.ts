import { killLocalStackOwnedBy } from "../localEnvironment/localStack.js";

/** stop() takes ~1 s (LocalStack gets half a second's grace, then SIGKILL); this bounds the rest. */
const STOP_LIMIT_MS = 4000;
/**
 * One Ctrl-C can arrive more than once: the terminal signals the whole process group, and `npm
 * run` and tsx relay it to their child as well. Signals this close together are one Ctrl-C.
 */
const SAME_CTRL_C_MS = 500;
const PARENT_CHECK_MS = 250;

export interface SignalOptions {
  projectRoot: string;
  /** What stops the command's local stack; undefined while it is still starting. */
  stop: () => Promise<void> | undefined;
  exitCode: number;
  log?: (line: string) => void;
  /**
   * False for a command that started no local stack (an API given with --url): the first signal
   * then says nothing of stopping one. Default true.
   */
  hasLocalStack?: boolean;
  /** Called once, on the first signal, before the stop: e.g. to stop waiting for runs and say which. */
  onFirstSignal?: (signal: NodeJS.Signals) => void;
}

/**
 * The first Ctrl-C (or SIGTERM, or the parent process going away) stops what this command started
 * and exits; a second one, or a stop that takes longer than a few seconds, kills this process's
 * LocalStack at once and exits.
 * A Ctrl-C while the local stack is still starting kills what start.sh has started so far.
 */
export function stopOnSignals({
  projectRoot,
  stop,
  exitCode,
  log = console.error,
  hasLocalStack = true,
  onFirstSignal,
}: SignalOptions): void {
  let firstSignalAt: number | undefined;
  const forceExit = () => {
    killLocalStackOwnedBy(projectRoot);
    process.exit(exitCode);
  };
  const onSignal = (signal: NodeJS.Signals) => {
    if (firstSignalAt !== undefined) {
      if (Date.now() - firstSignalAt < SAME_CTRL_C_MS) return;
      log(`${signal} again: killing the local stack`);
      forceExit();
    }
    firstSignalAt = Date.now();
    if (hasLocalStack) {
      log(
        signal === "SIGHUP"
          ? "the command that started this one is gone: stopping the local stack ..."
          : `${signal}: stopping the local stack (${signal === "SIGINT" ? "Ctrl-C" : signal} again to force) ...`,
      );
    }
    try {
      onFirstSignal?.(signal);
    } catch (error) {
      log(`on ${signal}: ${String(error)}`);
    }
    setTimeout(forceExit, STOP_LIMIT_MS).unref();
    const stopped = stop();
    if (!stopped) forceExit();
    void stopped
      ?.catch((error: unknown) => log(`stopping failed: ${String(error)}`))
      .finally(() => process.exit(exitCode));
  };
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  // `npm run` wraps the command in `sh -c`: a SIGTERM to npm ends npm and the shell and never
  // reaches us. A parent gone is a stop too (never a forced one: a Ctrl-C ends the shell as well).
  const parent = process.ppid;
  setInterval(() => {
    if (process.ppid !== parent && firstSignalAt === undefined) onSignal("SIGHUP");
  }, PARENT_CHECK_MS).unref();
}
