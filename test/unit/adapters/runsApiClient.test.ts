import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { ApiError, runStrategy } from "../../../adapters/runsApiClient.js";
import { aRunReport } from "../../helpers/factories.js";

/** A stand-in for API Gateway on loopback: answers every request with `answer`, keeps headers. */
let server: Server;
let apiUrl: string;
let seen: IncomingHttpHeaders[];
let answer: { status: number; body: string };

beforeEach(async () => {
  seen = [];
  answer = { status: 200, body: JSON.stringify(aRunReport()) };
  server = createServer((request, response) => {
    seen.push(request.headers);
    request.resume();
    request.on("end", () => {
      response.writeHead(answer.status, { "content-type": "application/json" });
      response.end(answer.body);
    });
  });
  await new Promise<void>((listening) => server.listen(0, "127.0.0.1", listening));
  apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/dev`;
});

afterEach(async () => {
  await new Promise((closed) => server.close(closed));
});

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

describe("Function: runStrategy, API keys", () => {
  it("sends the API key as x-api-key", async () => {
    await runStrategy(apiUrl, "fanout", { scale: 0.1 }, { apiKey: "k".repeat(40) });

    expect(seen).toEqual([expect.objectContaining({ "x-api-key": "k".repeat(40) })]);
  });

  it("sends no x-api-key header without a key", async () => {
    await runStrategy(apiUrl, "fanout", {});

    expect(seen[0]).not.toHaveProperty("x-api-key");
  });

  it("turns API Gateway's 403 for a missing key into one line naming --api-key and LAB_API_KEY", async () => {
    answer = { status: 403, body: JSON.stringify({ message: "Forbidden" }) };

    const error = await rejectionOf(runStrategy(apiUrl, "queue", {}));

    expect(error).toBeInstanceOf(ApiError);
    const { message } = error as ApiError;
    expect(message).not.toContain("\n");
    expect(message).toMatch(/^POST http:\/\/127\.0\.0\.1:\d+\/dev\/runs\/queue answered 403/);
    expect(message).toMatch(/needs an API key: pass --api-key or set LAB_API_KEY$/);
  });

  it("says the key given was refused when API Gateway answers 403 to it", async () => {
    answer = { status: 403, body: JSON.stringify({ message: "Forbidden" }) };

    const error = await rejectionOf(runStrategy(apiUrl, "queue", {}, { apiKey: "stale-key" }));

    expect((error as ApiError).message).toMatch(
      /403: Forbidden: the API key given \(--api-key or LAB_API_KEY\) is not one of this API's$/,
    );
  });

  it("leaves API Gateway's 403 for an unknown route as it is", async () => {
    answer = { status: 403, body: JSON.stringify({ message: "Missing Authentication Token" }) };

    const error = await rejectionOf(runStrategy(apiUrl, "fanout", {}, { apiKey: "k" }));

    expect((error as ApiError).message).toMatch(/answered 403: Missing Authentication Token$/);
  });

  it("parses the report it receives: one that does not fit is an error naming the field", async () => {
    const report = aRunReport();
    answer = {
      status: 200,
      body: JSON.stringify({ ...report, tasks: [{ ...report.tasks[0], status: "lost" }] }),
    };

    const error = await runStrategy(apiUrl, "fanout", {}).catch((failure: unknown) => failure);

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/not a run report: report\.tasks\[0\]\.status: /);
  });
});
