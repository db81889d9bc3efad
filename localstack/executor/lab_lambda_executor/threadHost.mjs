// The host of a function's thread environments (LAB_LAMBDA_EXECUTOR=thread): one Node process per
// function version, each execution environment a worker thread (threadRuntime.mjs) with its own
// module state, environment variables and a V8 heap limit of the function's memory size. The
// executor (thread_host.py) talks to it in JSON lines: commands on stdin, events on stdout.
//   stdin:  {op: "start", env, vars, memoryMb} | {op: "invoke", env, requestId, payload,
//           deadlineMs, functionArn, traceId} | {op: "stop", env}
//   stdout: {ev: "ready" | "initError" | "log" | "result" | "undelivered" | "exit", env, ...}
// Invocations go to the thread by message: no Runtime API server, no HTTP, no socket per
// environment. The host exits when its stdin closes (the executor released it or died).
import readline from "node:readline";
import { Worker } from "node:worker_threads";

const RUNTIME = new URL("./threadRuntime.mjs", import.meta.url);
const environments = new Map(); // env key -> { worker, dying, exitCode, outOfMemory }

function emit(event) {
  process.stdout.write(`${JSON.stringify(event)}\n`);
}

function start({ env: key, vars, memoryMb }) {
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
        return emit({ ev: "ready", env: key });
      case "initError":
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
