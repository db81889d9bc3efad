import { describe, expect, it } from "vitest";
import { STRATEGIES } from "../../lib/strategies/names.js";
import { describeBadInput, expectRefusal, send } from "../helpers/badInputOverHttp.js";

/**
 * Bad requests around the body: empty bodies on every route, Content-Types that are not JSON,
 * bodies over our limit and the platform's, unknown strategies, routes and methods. Each gets a
 * 4xx JSON answer, ours or API Gateway's (said which below), and leaves no trace
 * (describeBadInput). Malformed bodies: badInput.test.ts.
 */

const MB = 1024 * 1024;
const VALID_BODY = JSON.stringify({
  workflow: { tasks: [{ id: "w", fn: "writeLog", durationMs: 20 }] },
});

describeBadInput("Bad input over HTTP: routes, headers, sizes", () => {
  it.each([...STRATEGIES, "threads"])(
    "an empty body to /runs/%s gets a 400 naming it",
    async (strategy) => {
      const withType = await send("POST", `/runs/${strategy}`, { body: "" });
      const bare = await send("POST", `/runs/${strategy}`, { headers: {} });

      // The unknown strategy's route names the strategy first: there is nothing to run.
      const field = strategy === "threads" ? "strategy" : "body";
      for (const answer of [withType, bare]) expectRefusal(answer, 400, "InvalidInput", field);
    },
  );

  describe("the Content-Type", () => {
    it.each([
      ["text/plain", { "Content-Type": "text/plain" }],
      ["form-urlencoded", { "Content-Type": "application/x-www-form-urlencoded" }],
      ["multipart", { "Content-Type": "multipart/form-data; boundary=x" }],
      ["none", {}],
    ])("a JSON body sent as %s gets a 415 naming the header", async (_case, headers) => {
      // A Uint8Array body: fetch adds no Content-Type of its own (a string would be text/plain).
      const body = new TextEncoder().encode(VALID_BODY);

      const answer = await send("POST", "/runs/fanout", { body, headers });

      expectRefusal(answer, 415, "UnsupportedMediaType", "headers.Content-Type");
    });

    it("application/json with a charset is JSON", async () => {
      const answer = await send("POST", "/runs/inline", {
        body: VALID_BODY,
        headers: { "Content-Type": "application/json; charset=utf-8" },
      });

      expect(answer).toMatchObject({ status: 200, body: { status: "succeeded" } });
    });
  });

  describe("the size", () => {
    // AWS answers what is over its limits itself, before any function runs: API Gateway refuses
    // a REST request over 10 MB (413, its REQUEST_TOO_LARGE response), and a Lambda proxy event
    // over Lambda's 6 MB invoke payload with 413 {"message":"Request Too Long"} (reported in
    // koki-develop/lgtm-generator#10). Only a body under both reaches our handler, whose own
    // limit is 1 MiB (MAX_RUN_REQUEST_BYTES). LocalStack 4.14 enforces neither platform limit
    // (its API Gateway never raises RequestTooLargeError; Lambda's 6 MB check is in the init of
    // its Docker runtime, which the node-process executor replaces): here every one of these
    // reaches our handler, which answers its own 413.
    it.each([
      ["2 MB: over our limit, under the platform's", 2 * MB],
      ["7 MB: over Lambda's invoke payload (AWS: API Gateway's 413 Request Too Long)", 7 * MB],
      ["10 MB + 1 byte: over API Gateway's (AWS: API Gateway's 413)", 10 * MB + 1],
    ])("%s gets a 413 naming the body", async (_case, bytes) => {
      const body = `{"workflow":{"tasks":[]},"pad":"${"x".repeat(bytes - 34)}"}`;
      expect(Buffer.byteLength(body)).toBe(bytes);

      const answer = await send("POST", "/runs/sequential", { body });

      expectRefusal(answer, 413, "RequestTooLarge", "body");
      expect(answer.body.problem).toBe(
        `is ${bytes.toLocaleString("en-US")} bytes, over the limit of 1,048,576 bytes`,
      );
    });
  });

  describe("the route", () => {
    it.each([
      ["threads", "threads"],
      ["FANOUT", "FANOUT"],
      ["__proto__", "__proto__"],
      ["constructor", "constructor"],
      ["of 2,000 characters", "s".repeat(2000)],
    ])(
      "the unknown strategy %s gets our 400 naming the strategy, quoted in part",
      async (_case, strategy) => {
        const answer = await send("POST", `/runs/${strategy}`, { body: "{}" });

        expectRefusal(answer, 400, "InvalidInput", "strategy");
        expect(answer.bytes).toBeLessThan(1000);
      },
    );

    // GET /runs/{id} is a run's record: an id no run has is a 404 naming runId. A strategy's name
    // is no run id: on AWS its literal resource has no GET (API Gateway's 403); LocalStack falls
    // through to /runs/{id}, which answers 404 naming runId.
    it.each([...STRATEGIES, "threads"])(
      "GET /runs/%s answers that no run has the id",
      async (id) => {
        const answer = await send("GET", `/runs/${id}`, {});

        expect(answer.status).toBe(404);
        expect(answer.body).toMatchObject({ error: "NotFound", field: "runId" });
      },
    );

    // REST APIs answer a path or method without a resource with 403 "Missing Authentication
    // Token" (not 404/405), on AWS and in LocalStack alike: no function runs.
    it.each([
      ...STRATEGIES.map((strategy) => ["PUT", `/runs/${strategy}`]),
      ["DELETE", "/runs/fanout"],
      ["POST", "/runs"],
      ["POST", "/runs/fanout/extra"],
      ["POST", "/nothing-here"],
      ["POST", "/"],
    ])("%s %s gets API Gateway's own 403", async (method, path) => {
      const answer = await send(method, path, method === "GET" ? {} : { body: "{}" });

      expect(answer).toMatchObject({
        status: 403,
        body: { message: "Missing Authentication Token" },
      });
    });
  });
});
