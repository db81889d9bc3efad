// Runtime of a thread environment (LAB_LAMBDA_EXECUTOR=thread): one worker thread of the
// function's host (threadHost.mjs), with its own module graph, globals and process.env. It loads
// the handler, says "ready" (or "initError"), then runs each invocation the host posts and posts
// its result back. Everything it writes travels on the same port, before the result, so the
// executor has an invocation's whole output when the result arrives.

import v8 from "node:v8";
import { parentPort } from "node:worker_threads";
import {
  formatConsoleLikeLambda,
  invokeHandler,
  loadHandlerOrInitError,
  onUncaughtError,
  requestInFlight,
  setRequestInFlight,
} from "./runtime.mjs";

for (const stream of [process.stdout, process.stderr]) {
  stream.write = (chunk, encoding, callback) => {
    const text = typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8");
    parentPort.postMessage({ type: "log", text });
    const done = typeof encoding === "function" ? encoding : callback;
    if (done) queueMicrotask(() => done(null));
    return true;
  };
}
formatConsoleLikeLambda();

// "Max Memory Used": on AWS the sandbox's resident memory; here the environment's own V8 heap and
// the memory its objects hold outside it (buffers), at their highest when an invocation ended.
let peakBytes = 0;
function maxMemoryUsedMb() {
  const heap = v8.getHeapStatistics();
  peakBytes = Math.max(peakBytes, heap.total_heap_size + heap.external_memory);
  return Math.ceil(peakBytes / (1024 * 1024));
}

// An error nobody awaited: fail the invocation in flight with it, then the host ends this thread
// like AWS's runtime ends its process (the next invocation gets a fresh environment).
let dying = false;
onUncaughtError((payload) => {
  if (dying) return;
  dying = true;
  parentPort.postMessage({
    type: "fatal",
    requestId: requestInFlight(),
    body: JSON.stringify(payload),
  });
});

const { handler, initError } = await loadHandlerOrInitError();
if (initError) parentPort.postMessage({ type: "initError", body: JSON.stringify(initError) });
if (handler) {
  parentPort.on("message", async (invocation) => {
    const { kind, body } = await invokeHandler(handler, invocation);
    setRequestInFlight(undefined);
    if (dying) return;
    const memoryMb = maxMemoryUsedMb();
    parentPort.postMessage({
      type: "result",
      requestId: invocation.requestId,
      kind,
      body,
      memoryMb,
    });
  });
  parentPort.postMessage({ type: "ready" });
}
