import { describe, expect, it } from "vitest";
import {
  ApiError,
  ApiUnreachableError,
  fetchRun,
  POLL_INTERVAL_MS,
  pollRun,
  RunNotFoundError,
  runStrategyAsync,
  START_RETRIES,
  startRun,
  UNREACHABLE_POLLS,
} from "../../../adapters/runsApiClient.js";
import { aRunReport } from "../../helpers/factories.js";
import { anEndedRunRecord, aRunRecord, RUN_ID } from "../../helpers/runRecords.js";

const API = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev";

interface SentRequest {
  url: string;
  method: string;
  headers: Record<string, string>;
  body?: unknown;
}

/** A fake fetch: answers each request with the next of `answers`, and keeps what was sent. */
function fakeFetch(...answers: Array<() => Response>) {
  const sent: SentRequest[] = [];
  const fetch = async (url: string, init: RequestInit): Promise<Response> => {
    init.signal?.throwIfAborted();
    sent.push({
      url,
      method: init.method ?? "GET",
      headers: init.headers as Record<string, string>,
      ...(typeof init.body === "string" ? { body: JSON.parse(init.body) } : {}),
    });
    const answer = answers.shift();
    if (!answer) throw new Error(`no answer left for ${init.method} ${url}`);
    return answer();
  };
  return { fetch, sent };
}

/** What a promise rejects with; undefined if it fulfils. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (error: unknown) => error,
  );
}

const json =
  (status: number, body: unknown, headers: Record<string, string> = {}) =>
  () =>
    new Response(JSON.stringify(body), {
      status,
      headers: { "content-type": "application/json", ...headers },
    });

/** A wait that does not: records how long the poller asked to wait. */
function recordedWaits() {
  const waits: number[] = [];
  return { waits, wait: async (ms: number) => void waits.push(ms) };
}

describe("Function: startRun", () => {
  it("posts the body with mode async and the run id, and answers the id and the Location of a 202", async () => {
    // As API Gateway may give it: the stage's path, not the client's base URL.
    const location = `/dev/runs/${RUN_ID}`;
    const api = fakeFetch(json(202, { runId: RUN_ID, status: "accepted" }, { Location: location }));

    const accepted = await startRun(
      API,
      "queue",
      { scale: 10, runId: RUN_ID },
      { apiKey: "k", fetch: api.fetch },
    );

    expect(accepted).toEqual({ runId: RUN_ID, status: "accepted", location });
    expect(api.sent).toEqual([
      {
        url: `${API}/runs/queue`,
        method: "POST",
        headers: expect.objectContaining({ "x-api-key": "k" }),
        body: { scale: 10, runId: RUN_ID, mode: "async" },
      },
    ]);
  });

  it("prefers the location the body gives to the header's", async () => {
    const api = fakeFetch(
      json(
        202,
        { runId: RUN_ID, status: "accepted", location: "https://body/runs/x" },
        { Location: "https://header/runs/x" },
      ),
    );

    const { location } = await startRun(API, "queue", { runId: RUN_ID }, { fetch: api.fetch });

    expect(location).toBe("https://body/runs/x");
  });

  it("turns a 409 (the run id taken by another request) into one line naming the URL and the problem", async () => {
    const api = fakeFetch(
      json(409, { field: "runId", problem: `${RUN_ID} is already a different run` }),
    );

    const error = await rejectionOf(
      startRun(API, "queue", { runId: RUN_ID }, { fetch: api.fetch }),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(
      `POST ${API}/runs/queue answered 409: runId: ${RUN_ID} is already a different run`,
    );
  });

  it("sends a run's id again after a saturated stack's 502 and 429, waiting as it is told, and answers the run", async () => {
    const api = fakeFetch(
      json(502, { message: "Internal server error" }),
      json(429, { message: "Too Many Requests" }, { "Retry-After": "3" }),
      json(202, { runId: RUN_ID, status: "accepted" }),
    );
    const { waits, wait } = recordedWaits();

    const accepted = await startRun(API, "queue", { runId: RUN_ID }, { fetch: api.fetch, wait });

    expect(accepted.status).toBe("accepted");
    expect(api.sent.map((request) => request.body)).toEqual(
      Array(3).fill({ runId: RUN_ID, mode: "async" }),
    );
    expect(waits).toEqual([START_RETRIES[0], 3000]);
  });

  it("answers a run that had already ended when its id was sent again: its report's status", async () => {
    const api = fakeFetch(
      json(503, { message: "Service Unavailable" }),
      json(200, aRunReport({ runId: RUN_ID, strategy: "queue" })),
    );

    const accepted = await startRun(
      API,
      "queue",
      { runId: RUN_ID },
      { fetch: api.fetch, wait: recordedWaits().wait },
    );

    expect(accepted).toMatchObject({ runId: RUN_ID, status: "succeeded" });
  });

  it("gives up after its retries, and never retries a run without its own id", async () => {
    const refusals = Array.from({ length: START_RETRIES.length + 1 }, () =>
      json(502, { message: "Internal server error" }),
    );
    const withId = fakeFetch(...refusals);
    const withoutId = fakeFetch(json(502, { message: "Internal server error" }));
    const { wait } = recordedWaits();

    const errors = [
      await rejectionOf(startRun(API, "queue", { runId: RUN_ID }, { fetch: withId.fetch, wait })),
      await rejectionOf(startRun(API, "queue", {}, { fetch: withoutId.fetch, wait })),
    ];

    expect(withId.sent).toHaveLength(START_RETRIES.length + 1);
    expect(withoutId.sent).toHaveLength(1);
    for (const error of errors) expect((error as ApiError).message).toMatch(/answered 502/);
  });

  it("refuses an answer about another run than the id it sent", async () => {
    const api = fakeFetch(json(202, { runId: "someone-else", status: "accepted" }));

    const error = await rejectionOf(
      startRun(API, "queue", { runId: RUN_ID }, { fetch: api.fetch }),
    );

    expect((error as ApiError).message).toMatch(/with run someone-else, not the runId/);
  });
});

describe("Function: fetchRun", () => {
  it("gets the record with the API key and parses it", async () => {
    const api = fakeFetch(json(200, aRunRecord()));

    const record = await fetchRun(API, RUN_ID, { apiKey: "k", fetch: api.fetch });

    expect(record).toEqual(aRunRecord());
    expect(api.sent[0]).toMatchObject({
      url: `${API}/runs/${RUN_ID}`,
      method: "GET",
      headers: { "x-api-key": "k" },
    });
  });

  it("says there is no such run, in one line naming the URL, for a 404", async () => {
    const api = fakeFetch(json(404, { field: "runId", problem: "no such run" }));

    const error = await rejectionOf(fetchRun(API, RUN_ID, { fetch: api.fetch }));

    expect(error).toBeInstanceOf(RunNotFoundError);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(
      `GET ${API}/runs/${RUN_ID} answered 404: no run ${RUN_ID}`,
    );
  });

  it("names the first wrong field of a record that does not fit", async () => {
    const api = fakeFetch(json(200, { ...aRunRecord(), status: "paused" }));

    const error = await rejectionOf(fetchRun(API, RUN_ID, { fetch: api.fetch }));

    expect((error as ApiError).message).toMatch(
      new RegExp(
        `^GET ${API}/runs/${RUN_ID} answered 200 with a body that is not a run record: record\\.status: `,
      ),
    );
  });
});

/** An answer that never comes: the network fails as undici's fetch does. */
const unreachable = () => () => {
  throw new TypeError("fetch failed", {
    cause: Object.assign(new Error("reset"), { code: "ECONNRESET" }),
  });
};

describe("Function: fetchRun, when the network fails", () => {
  it("says which URL it could not reach and why, as an ApiError", async () => {
    const api = fakeFetch(unreachable());

    const error = await rejectionOf(fetchRun(API, RUN_ID, { fetch: api.fetch }));

    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as Error).message).toBe(`cannot reach ${API}/runs/${RUN_ID} (ECONNRESET)`);
  });
});

describe("Function: pollRun", () => {
  it("rides out GETs that fail to reach the API, and polls on: the run goes on without it", async () => {
    const api = fakeFetch(
      json(200, aRunRecord()),
      unreachable(),
      unreachable(),
      json(200, anEndedRunRecord()),
    );
    const { waits, wait } = recordedWaits();

    const record = await pollRun(API, RUN_ID, {
      fetch: api.fetch,
      wait,
      now: () => aRunRecord().acceptedAt,
    });

    expect(record).toEqual(anEndedRunRecord());
    expect(waits).toEqual([1000, 1500, 2250]);
  });

  it(`gives up after ${UNREACHABLE_POLLS} GETs in a row that fail to reach it`, async () => {
    const api = fakeFetch(
      json(200, aRunRecord()),
      ...Array.from({ length: UNREACHABLE_POLLS }, () => unreachable()),
      json(200, anEndedRunRecord()),
    );
    const { wait } = recordedWaits();

    const error = await rejectionOf(
      pollRun(API, RUN_ID, { fetch: api.fetch, wait, now: () => aRunRecord().acceptedAt }),
    );

    expect(error).toBeInstanceOf(ApiUnreachableError);
    expect(api.sent).toHaveLength(1 + UNREACHABLE_POLLS);
  });

  it("polls until the run has ended, showing each record, waiting 1 s at first and growing to 5 s", async () => {
    const running = (finished: string[]) => json(200, aRunRecord({ tasksFinished: finished }));
    const api = fakeFetch(
      json(200, aRunRecord({ status: "accepted", tasksFinished: [] })),
      ...Array.from({ length: 6 }, () => running(["queryData"])),
      json(200, anEndedRunRecord()),
    );
    const seen: string[] = [];
    const { waits, wait } = recordedWaits();

    const record = await pollRun(API, RUN_ID, {
      fetch: api.fetch,
      wait,
      now: () => aRunRecord().acceptedAt,
      onProgress: (each) => seen.push(each.status),
    });

    expect(record).toEqual(anEndedRunRecord());
    expect(seen).toEqual(["accepted", ...Array(6).fill("running"), "succeeded"]);
    expect(waits).toEqual([1000, 1500, 2250, 3375, 5000, 5000, 5000]);
    expect(Math.max(...waits)).toBe(POLL_INTERVAL_MS.max);
  });

  it("stops polling when its signal aborts, rejecting with the signal's reason", async () => {
    const api = fakeFetch(
      json(200, aRunRecord()),
      json(200, aRunRecord()),
      json(200, anEndedRunRecord()),
    );
    const interrupt = new AbortController();
    const reason = new Error("Ctrl-C");
    let polls = 0;

    const startedAt = Date.now();

    // The real wait: it ends at the abort, not a second later.
    const error = await rejectionOf(
      pollRun(API, RUN_ID, {
        fetch: api.fetch,
        signal: interrupt.signal,
        now: () => aRunRecord().acceptedAt,
        onProgress: () => {
          polls += 1;
          interrupt.abort(reason);
        },
      }),
    );

    expect(error).toBe(reason);
    expect(polls).toBe(1);
    expect(api.sent).toHaveLength(1);
    expect(Date.now() - startedAt).toBeLessThan(POLL_INTERVAL_MS.first / 2);
  });

  it("gives up on a run still going a minute past its deadline", async () => {
    const record = aRunRecord();
    const api = fakeFetch(json(200, record));

    const error = await rejectionOf(
      pollRun(API, RUN_ID, { fetch: api.fetch, now: () => record.deadlineAt + 61_000 }),
    );

    expect((error as ApiError).message).toMatch(
      /still answers running a minute past the run's deadline/,
    );
  });
});

describe("Function: runStrategyAsync", () => {
  it("starts the run, polls its record and answers the report it ended with", async () => {
    const ended = anEndedRunRecord();
    const api = fakeFetch(
      json(202, { runId: RUN_ID, status: "accepted", location: `${API}/runs/${RUN_ID}` }),
      json(200, aRunRecord()),
      json(200, ended),
    );

    const report = await runStrategyAsync(
      API,
      "queue",
      { runId: RUN_ID },
      { fetch: api.fetch, wait: async () => undefined, now: () => ended.acceptedAt },
    );

    expect(report).toEqual(ended.report);
    expect(api.sent.map((request) => `${request.method} ${request.url}`)).toEqual([
      `POST ${API}/runs/queue`,
      `GET ${API}/runs/${RUN_ID}`,
      `GET ${API}/runs/${RUN_ID}`,
    ]);
  });

  it("says why a run ended without a report", async () => {
    const { report: _none, ...failed } = anEndedRunRecord({
      status: "failed",
      error: { type: "Timeout", message: "run exceeded its deadline" },
    });
    const api = fakeFetch(json(202, { runId: RUN_ID, status: "accepted" }), json(200, failed));

    const error = await rejectionOf(
      runStrategyAsync(API, "queue", { runId: RUN_ID }, { fetch: api.fetch }),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toBe(
      `run ${RUN_ID} (queue) failed without a report: Timeout: run exceeded its deadline (GET ${API}/runs/${RUN_ID})`,
    );
  });
});
