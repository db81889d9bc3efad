// What AWS's Node.js runtime does around a handler, shared by both kinds of local execution
// environment: bootstrap.mjs (a Node process polling the HTTP Runtime API) and threadRuntime.mjs
// (a worker thread of a per-function host, fed over its message port). No dependencies.
import { existsSync } from "node:fs";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format, types } from "node:util";

let currentRequestId; // the invocation in flight, for log lines and fatal errors

export const requestInFlight = () => currentRequestId;
export function setRequestInFlight(id) {
  currentRequestId = id;
}

// console.* as on AWS: "<ISO time>\t<request id>\t<LEVEL>\t<message>" on stdout
const LEVELS = {
  log: "INFO",
  info: "INFO",
  warn: "WARN",
  error: "ERROR",
  debug: "DEBUG",
  trace: "TRACE",
};
export function formatConsoleLikeLambda() {
  for (const [method, level] of Object.entries(LEVELS)) {
    console[method] = (...args) => {
      process.stdout.write(
        `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`,
      );
    };
  }
}

// The error body AWS's Node.js runtime sends: the error's own name and message, and its stack
export function errorPayload(err) {
  if (types.isNativeError(err) || err instanceof Error) {
    return {
      errorType: err.name,
      errorMessage: err.message,
      trace: String(err.stack ?? "").split("\n"),
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
}

/** What an uncaught error or unhandled rejection fails the invocation in flight with. */
function fatalPayload(err, errorType) {
  const payload = errorPayload(err);
  if (errorType) {
    payload.errorMessage = `${payload.errorType}: ${payload.errorMessage}`;
    payload.errorType = errorType;
  }
  console.error("Uncaught error", JSON.stringify(payload));
  return payload;
}

/**
 * Calls `fatal(payload)` for an error nobody awaited (an uncaught exception or an unhandled
 * rejection): AWS's runtime fails the invocation in flight with it, then exits.
 */
export function onUncaughtError(fatal) {
  process.on("uncaughtException", (err) => fatal(fatalPayload(err)));
  process.on("unhandledRejection", (reason) =>
    fatal(fatalPayload(reason, "Runtime.UnhandledPromiseRejection")),
  );
}

/** The handler, or the init error to report (and logged, as AWS's runtime logs it). */
export async function loadHandlerOrInitError() {
  try {
    return { handler: await loadHandler() };
  } catch (err) {
    const payload = errorPayload(err);
    console.error(`${payload.errorType}: ${payload.errorMessage}`);
    return { initError: payload };
  }
}

function runtimeError(name, message, cause) {
  const err = new Error(message, { cause });
  err.name = name;
  return err;
}

// _HANDLER is "<path/to/module>.<export>[.<nested>...]", relative to LAMBDA_TASK_ROOT
async function loadHandler() {
  const spec = process.env._HANDLER ?? "";
  const taskRoot = process.env.LAMBDA_TASK_ROOT ?? process.cwd();
  const dot = spec.indexOf(".", spec.lastIndexOf("/") + 1);
  if (dot <= 0) {
    const message = `Bad handler ${spec}: expected <module>.<export>`;
    throw runtimeError("Runtime.MalformedHandlerName", message);
  }
  const moduleName = spec.slice(0, dot);
  const exportPath = spec.slice(dot + 1).split(".");
  const base = path.resolve(taskRoot, moduleName);
  const file = [".mjs", ".js", ".cjs"]
    .map((ext) => base + ext)
    .find((candidate) => existsSync(candidate));
  if (!file) {
    throw runtimeError("Runtime.ImportModuleError", `Error: Cannot find module '${moduleName}'`);
  }

  let mod;
  try {
    mod = await import(pathToFileURL(file).href);
  } catch (err) {
    if (err instanceof SyntaxError) {
      throw runtimeError("Runtime.UserCodeSyntaxError", `${err.name}: ${err.message}`, err);
    }
    if (err?.code === "ERR_MODULE_NOT_FOUND") {
      throw runtimeError("Runtime.ImportModuleError", `Error: ${err.message}`, err);
    }
    throw err; // the module's own top-level code threw: keep its error, as AWS does
  }
  const lookup = (root) => exportPath.reduce((value, key) => value?.[key], root);
  const handler = lookup(mod) ?? lookup(mod.default); // mod.default: a CommonJS module.exports
  if (handler === undefined) {
    throw runtimeError(
      "Runtime.HandlerNotFound",
      `${moduleName}.${exportPath.join(".")} is undefined or not exported`,
    );
  }
  if (typeof handler !== "function") {
    throw runtimeError(
      "Runtime.HandlerNotFound",
      `${moduleName}.${exportPath.join(".")} is not a function`,
    );
  }
  return handler;
}

// async handlers, and the older callback style (handler(event, context, callback))
function callHandler(handler, event, context) {
  return new Promise((resolve, reject) => {
    const callback = (err, result) => (err != null ? reject(err) : resolve(result));
    const returned = handler(event, context, callback);
    if (typeof returned?.then === "function") returned.then(resolve, reject);
    else if (handler.length < 3) resolve(returned);
  });
}

function makeContext(invocation) {
  const env = process.env;
  return {
    awsRequestId: invocation.requestId,
    invokedFunctionArn: invocation.functionArn,
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, invocation.deadlineMs - Date.now()),
  };
}

/**
 * Runs one invocation ({ requestId, payload (JSON text), deadlineMs, functionArn, traceId })
 * and returns what the runtime posts back: { kind: "response" | "error", body (JSON text) }.
 */
export async function invokeHandler(handler, invocation) {
  if (invocation.traceId) process.env._X_AMZN_TRACE_ID = invocation.traceId;
  else delete process.env._X_AMZN_TRACE_ID;
  currentRequestId = invocation.requestId;
  try {
    const result = await callHandler(
      handler,
      JSON.parse(invocation.payload),
      makeContext(invocation),
    );
    return {
      kind: "response",
      body: JSON.stringify(result === undefined ? null : result) ?? "null",
    };
  } catch (err) {
    const payload = errorPayload(err);
    console.error("Invoke Error", JSON.stringify(payload));
    return { kind: "error", body: JSON.stringify(payload) };
  }
}
