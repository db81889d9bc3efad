// The host of a function's thread environments (LAB_LAMBDA_EXECUTOR=thread): one Node process per
// function version, each execution environment a worker thread (threadRuntime.mjs) with its own
// module state, environment variables and a V8 heap limit of the function's memory size. The
// executor (thread_host.py) talks to it in JSON lines: commands on stdin, events on stdout.
//   stdin:  {op: "start", env, vars, memoryMb} | {op: "invoke", env, requestId, payload,
//           deadlineMs, functionArn, traceId} | {op: "stop", env}
//   stdout: {ev: "ready" | "initError" | "log" | "result" | "undelivered" | "exit", env, ...}
// Invocations go to the thread by message: no Runtime API server, no HTTP, no socket per
// environment. The host exits when its stdin closes (the executor released it or died).
import { availableParallelism } from "node:os";
import readline from "node:readline";
import { Worker } from "node:worker_threads";

const RUNTIME = new URL("./threadRuntime.mjs", import.meta.url);
const environments = new Map(); // env key -> { worker, dying, exitCode, outOfMemory }

// Environments start a few at a time (a core each), the rest waiting their turn, oldest first.
// Started all at once, a cold burst's starts share the cores: on a 2-core machine 100 of them all
// finished late together, past LocalStack's startup timeout, and none served (a cold burst of 100
// durable runs, 2026-12-06). One after another, the first serve soon and the last start in time.
// AWS starts environments on other hosts; here they share this machine. LAB_THREAD_STARTS sets it.
const STARTS_AT_ONCE = Number(process.env.LAB_THREAD_STARTS) || availableParallelism();
const waitingToStart = []; // start commands not begun yet
let starting = 0;

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function start(command) {
  waitingToStart.push(command);
  startWaiting();
}

function startWaiting() {
  while (starting < STARTS_AT_ONCE && waitingToStart.length > 0) {
    starting += 1;
    launch(waitingToStart.shift());
  }
}

function launch({ env: key, vars, memoryMb }) {
  let startEnded = false;
  const endStart = () => {
    if (startEnded) return;
    startEnded = true;
    starting -= 1;
    startWaiting();
  };
  const worker = new Worker(RUNTIME, {
    env: vars,
    name: key,
    // the thread's stdout/stderr are ours to read: the host's stdout is the protocol
    stdout: true,
    stderr: true,
    resourceLimits: { maxOldGenerationSizeMb: memoryMb },
  });
  const environment = { worker, dying: false, exitCode: undefined, outOfMemory: false };
  environments.set(key, environment);
  const forward = (chunk) => emit({ ev: "log", env: key, text: chunk.toString("utf8") });
  worker.stdout.on("data", forward);
  worker.stderr.on("data", forward);
  const end = (exitCode) => {
    environment.dying = true;
    environment.exitCode ??= exitCode;
    worker.terminate();
  };
  worker.on("message", (message) => {
    if (environment.dying && message.type !== "log") return;
    switch (message.type) {
      case "log":
        return emit({ ev: "log", env: key, text: message.text });
      case "ready":
        endStart();
        return emit({ ev: "ready", env: key });
      case "initError":
        endStart();
        emit({ ev: "initError", env: key, body: message.body });
        return end(1);
      case "result": {
        const { requestId, kind, body, memoryMb: used } = message;
        return emit({ ev: "result", env: key, requestId, kind, body, memoryMb: used });
      }
      case "fatal": // as AWS's runtime: the error answers the invocation, then the runtime exits
        if (message.requestId) {
          emit({
            ev: "result",
            env: key,
            requestId: message.requestId,
            kind: "error",
            body: message.body,
          });
        }
        return end(129);
    }
  });
  worker.on("error", (error) => {
    // ERR_WORKER_OUT_OF_MEMORY: the heap limit (the function's memory size) was reached
    if (error?.code === "ERR_WORKER_OUT_OF_MEMORY") environment.outOfMemory = true;
    else emit({ ev: "log", env: key, text: `${error?.stack ?? error}\n` });
  });
  worker.on("exit", (code) => {
    endStart();
    environments.delete(key);
    emit({
      ev: "exit",
      env: key,
      code: environment.exitCode ?? code,
      outOfMemory: environment.outOfMemory,
    });
  });
}

function invoke({ env: key, requestId, payload, deadlineMs, functionArn, traceId }) {
  const environment = environments.get(key);
  if (!environment || environment.dying) return emit({ ev: "undelivered", env: key, requestId });
  environment.worker.postMessage({ requestId, payload, deadlineMs, functionArn, traceId });
}

function stop({ env: key }) {
  const waiting = waitingToStart.findIndex((command) => command.env === key);
  if (waiting >= 0) {
    // Stopped before its turn (LocalStack's startup timeout): it never began.
    waitingToStart.splice(waiting, 1);
    return emit({ ev: "exit", env: key, code: 0 });
  }
  const environment = environments.get(key);
  if (!environment) return;
  environment.dying = true;
  environment.worker.terminate();
}

const COMMANDS = { start, invoke, stop };
const lines = readline.createInterface({
  input: process.stdin,
  crlfDelay: Number.POSITIVE_INFINITY,
});
lines.on("line", (line) => {
  const command = JSON.parse(line);
  COMMANDS[command.op]?.(command);
});
lines.on("close", () => process.exit(0));
