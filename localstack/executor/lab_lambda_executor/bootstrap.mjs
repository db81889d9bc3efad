// Runtime for the node-process executor: what the AWS Node.js runtime does inside a Lambda
// sandbox, without dependencies (Node >= 20). It imports the handler named by _HANDLER from
// LAMBDA_TASK_ROOT, then loops: GET the next invocation from the Runtime API at
// AWS_LAMBDA_RUNTIME_API, run the handler, POST its result or error.
// See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
import { existsSync } from "node:fs";
import http from "node:http";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { format, types } from "node:util";

const API = process.env.AWS_LAMBDA_RUNTIME_API ?? "";
const [API_HOST, API_PORT] = API.split(":");
const BASE = "/2018-06-01/runtime";
// One kept-alive connection: requests are strictly sequential (next, response, next, ...)
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

let currentRequestId; // the invocation in flight, for log lines and fatal errors

// console.* as on AWS: "<ISO time>\t<request id>\t<LEVEL>\t<message>" on stdout
const LEVELS = {
  log: "INFO",
  info: "INFO",
  warn: "WARN",
  error: "ERROR",
  debug: "DEBUG",
  trace: "TRACE",
};
for (const [method, level] of Object.entries(LEVELS)) {
  console[method] = (...args) => {
    process.stdout.write(
      `${new Date().toISOString()}\t${currentRequestId}\t${level}\t${format(...args)}\n`,
    );
  };
}

function request(method, urlPath, body, headers = {}, retried = false) {
  return new Promise((resolve, reject) => {
    const data = body === undefined ? undefined : Buffer.from(body);
    if (data) {
      Object.assign(headers, { "Content-Type": "application/json", "Content-Length": data.length });
    }
    const req = http.request(
      { host: API_HOST, port: API_PORT, method, path: urlPath, agent, headers },
      (res) => {
        const chunks = [];
        res.on("data", (chunk) => chunks.push(chunk));
        res.on("error", reject);
        res.on("end", () =>
          resolve({
            status: res.statusCode,
            headers: res.headers,
            body: Buffer.concat(chunks).toString("utf8"),
          }),
        );
      },
    );
    req.on("error", (err) => {
      // a kept-alive socket the server closed in between: retry once on a new one (Node's advice)
      if (req.reusedSocket && err.code === "ECONNRESET" && !retried) {
        resolve(request(method, urlPath, body, headers, true));
      } else reject(err);
    });
    req.end(data);
  });
}

// The Runtime API stops answering when LocalStack is gone (or dropped this process): exit rather
// than linger as an orphan.
function apiGone(reason) {
  process.stderr.write(`bootstrap: runtime API ${API} gone (${reason}): exiting\n`);
  process.exit(1);
}

// Output is only complete for the executor once it left Node's buffers: writes to a full pipe
// are queued in the process, and the executor reads the pipes when the result arrives.
async function flushOutput() {
  for (const stream of [process.stdout, process.stderr]) {
    if (stream.writableLength > 0) await new Promise((resolve) => stream.once("drain", resolve));
  }
}

async function post(urlPath, payload, headers) {
  await flushOutput();
  const res = await request("POST", urlPath, payload, headers);
  if (res.status >= 300) throw new Error(`POST ${urlPath} answered ${res.status}: ${res.body}`);
}

// The error body AWS's Node.js runtime sends: the error's own name and message, and its stack
function errorPayload(err) {
  if (types.isNativeError(err) || err instanceof Error) {
    return {
      errorType: err.name,
      errorMessage: err.message,
      trace: String(err.stack ?? "").split("\n"),
    };
  }
  return { errorType: typeof err, errorMessage: String(err), trace: [] };
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

function makeContext(id, headers) {
  const env = process.env;
  const deadline = Number(headers["lambda-runtime-deadline-ms"]);
  return {
    awsRequestId: id,
    invokedFunctionArn: headers["lambda-runtime-invoked-function-arn"],
    functionName: env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: env.AWS_LAMBDA_FUNCTION_VERSION,
    memoryLimitInMB: env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    logGroupName: env.AWS_LAMBDA_LOG_GROUP_NAME,
    logStreamName: env.AWS_LAMBDA_LOG_STREAM_NAME,
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
}

// An error nobody awaited: report it for the invocation in flight, then exit like AWS's runtime
// (the executor starts a fresh process for the next invocation).
async function fatal(err, errorType) {
  const payload = errorPayload(err);
  if (errorType) {
    payload.errorMessage = `${payload.errorType}: ${payload.errorMessage}`;
    payload.errorType = errorType;
  }
  console.error("Uncaught error", JSON.stringify(payload));
  if (currentRequestId) {
    const body = JSON.stringify(payload);
    await post(`${BASE}/invocation/${currentRequestId}/error`, body).catch(() => {});
  }
  process.exit(129);
}
process.on("uncaughtException", (err) => fatal(err));
process.on("unhandledRejection", (reason) => fatal(reason, "Runtime.UnhandledPromiseRejection"));

async function main() {
  let handler;
  try {
    handler = await loadHandler();
  } catch (err) {
    const payload = errorPayload(err);
    console.error(`${payload.errorType}: ${payload.errorMessage}`);
    const headers = { "Lambda-Runtime-Function-Error-Type": payload.errorType };
    await post(`${BASE}/init/error`, JSON.stringify(payload), headers).catch(() => {});
    process.exit(1);
  }

  for (;;) {
    const next = await request("GET", `${BASE}/invocation/next`).catch((err) =>
      apiGone(err.code ?? err.message),
    );
    if (next.status !== 200) apiGone(`GET next answered ${next.status}`);
    const id = next.headers["lambda-runtime-aws-request-id"];
    const traceId = next.headers["lambda-runtime-trace-id"];
    if (traceId) process.env._X_AMZN_TRACE_ID = traceId;
    else delete process.env._X_AMZN_TRACE_ID;
    currentRequestId = id;

    let kind;
    let body;
    try {
      const result = await callHandler(
        handler,
        JSON.parse(next.body),
        makeContext(id, next.headers),
      );
      kind = "response";
      body = JSON.stringify(result === undefined ? null : result) ?? "null";
    } catch (err) {
      const payload = errorPayload(err);
      console.error("Invoke Error", JSON.stringify(payload));
      kind = "error";
      body = JSON.stringify(payload);
    }
    await post(`${BASE}/invocation/${id}/${kind}`, body).catch((err) =>
      apiGone(err.code ?? err.message),
    );
    currentRequestId = undefined;
  }
}

main();
