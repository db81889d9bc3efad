// Runtime of a process environment (LAB_LAMBDA_EXECUTOR=process): what the AWS Node.js runtime
// does inside a Lambda sandbox, without dependencies (Node >= 20). It imports the handler named by
// _HANDLER from LAMBDA_TASK_ROOT, then loops: GET the next invocation from the Runtime API at
// AWS_LAMBDA_RUNTIME_API, run the handler, POST its result or error.
// See https://docs.aws.amazon.com/lambda/latest/dg/runtimes-api.html
import http from "node:http";
import {
  formatConsoleLikeLambda,
  invokeHandler,
  loadHandlerOrInitError,
  onUncaughtError,
  requestInFlight,
  setRequestInFlight,
} from "./runtime.mjs";

const API = process.env.AWS_LAMBDA_RUNTIME_API ?? "";
const [API_HOST, API_PORT] = API.split(":");
const BASE = "/2018-06-01/runtime";
// One kept-alive connection: requests are strictly sequential (next, response, next, ...)
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });

formatConsoleLikeLambda();

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

// An error nobody awaited: report it for the invocation in flight, then exit like AWS's runtime
// (the executor starts a fresh process for the next invocation).
onUncaughtError(async (payload) => {
  const id = requestInFlight();
  if (id) {
    await post(`${BASE}/invocation/${id}/error`, JSON.stringify(payload)).catch(() => {});
  }
  process.exit(129);
});

async function main() {
  const { handler, initError } = await loadHandlerOrInitError();
  if (initError) {
    const headers = { "Lambda-Runtime-Function-Error-Type": initError.errorType };
    await post(`${BASE}/init/error`, JSON.stringify(initError), headers).catch(() => {});
    process.exit(1);
  }

  for (;;) {
    const next = await request("GET", `${BASE}/invocation/next`).catch((err) =>
      apiGone(err.code ?? err.message),
    );
    if (next.status !== 200) apiGone(`GET next answered ${next.status}`);
    const requestId = next.headers["lambda-runtime-aws-request-id"];
    const { kind, body } = await invokeHandler(handler, {
      requestId,
      payload: next.body,
      deadlineMs: Number(next.headers["lambda-runtime-deadline-ms"]),
      functionArn: next.headers["lambda-runtime-invoked-function-arn"],
      traceId: next.headers["lambda-runtime-trace-id"],
    });
    await post(`${BASE}/invocation/${requestId}/${kind}`, body).catch((err) =>
      apiGone(err.code ?? err.message),
    );
    setRequestInFlight(undefined);
  }
}

main();
