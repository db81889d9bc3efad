/**
 * The HTTP client of the runs API (`POST /runs/{strategy}`, `GET /runs/{runId}`) that the CLI
 * and the benches use: synchronous runs, asynchronous ones started, polled and fetched, each
 * answer parsed by the API's own schemas and every failure an ApiError that says which URL and
 * why. Longer than ~400 lines because its four calls share one `send` and one reading of
 * answers and refusals; split, each part would import the others.
 */
import { setTimeout as sleep } from "node:timers/promises";
import { z } from "zod";
import { formatFieldPath } from "../lib/fieldPath.js";
import { type RunReport, runReportSchema } from "../lib/runReport/types.js";
import {
  isEnded,
  RUN_ID_PATTERN,
  type RunRecord,
  type RunStatus,
  runRecordSchema,
  runStatusSchema,
} from "../lib/runs/record.js";
import type { StrategyName } from "../lib/strategies/names.js";
import type { Workflow } from "../lib/workflow/types.js";

/** The API could not be reached or refused the run: the message is one line for the user. */
export class ApiError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ApiError";
  }
}

/** The API could not be reached, or its answer broke off: a GET may be sent again. */
export class ApiUnreachableError extends ApiError {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ApiUnreachableError";
  }
}

/** `GET /runs/{runId}` answered 404: the API has no run of that id. */
export class RunNotFoundError extends ApiError {
  constructor(
    readonly runId: string,
    readonly url: string,
  ) {
    super(`GET ${url} answered 404: no run ${runId}`);
    this.name = "RunNotFoundError";
  }
}

/** `ECONNREFUSED`, `ENOTFOUND`, ... from fetch's cause chain, or the cause's own message. */
function networkReason(error: unknown): string {
  let current: unknown = error;
  while (current instanceof Error) {
    const code = (current as Error & { code?: unknown }).code;
    if (typeof code === "string") return code;
    if (!current.cause) return current.message;
    current = current.cause;
  }
  return String(current);
}

/** Where the CLI and the benchmarks take an API key from (cli/options.ts). */
export const API_KEY_ENV = "LAB_API_KEY";

/** A refusal's JSON body: API Gateway's `{ message }`, or ours with `field` and `problem`. */
const refusalSchema = z.object({
  message: z.string().optional(),
  field: z.string().optional(),
  problem: z.string().optional(),
});

function refusalOf(text: string): z.infer<typeof refusalSchema> | undefined {
  try {
    const parsed = refusalSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}

/**
 * API Gateway's answer to a private method called without a valid key: 403 `{"message":
 * "Forbidden"}` (an unknown route is a 403 too, but "Missing Authentication Token").
 */
function isApiKeyRefusal(status: number, text: string): boolean {
  return status === 403 && refusalOf(text)?.message === "Forbidden";
}

/** A 4xx body names `field` and `problem`: show those rather than raw JSON. */
function describeRefusal(status: number, text: string): string {
  const body = refusalOf(text);
  if (body?.field !== undefined && body.problem !== undefined) {
    return `${status}: ${body.field}: ${body.problem}`;
  }
  if (body?.message !== undefined) return `${status}: ${body.message}`;
  return text.trim() === "" ? `${status} with an empty body` : `${status}: ${text.slice(0, 300)}`;
}

export interface RunStrategyOptions {
  /** Sent as `x-api-key`: the routes are private (serverless.yml), API Gateway wants a key. */
  apiKey?: string;
  /** Abandons the request: the call then rejects with the signal's reason. */
  signal?: AbortSignal;
  /** What sends the request: the global fetch, or a fake one in tests. */
  fetch?: (url: string, init: RequestInit) => Promise<Response>;
}

/** What `POST /runs/{strategy}` takes: `{}` runs the seed; `runId` is the client's own id. */
export interface RunRequestBody {
  workflow?: Workflow;
  scale?: number;
  stateMachineForm?: "seriesParallel" | "levels";
  /** The run's id (RUN_ID_PATTERN): posting it again is the same run, so it can be fetched. */
  runId?: string;
}

interface Answer {
  method: "GET" | "POST";
  url: string;
  status: number;
  text: string;
  headers: Headers;
}

/**
 * One request to the runs API: the answer, whatever its status, or an ApiError for a network
 * failure (ECONNREFUSED) or a refused API key. An abort rejects with the signal's reason.
 */
async function send(
  method: Answer["method"],
  url: string,
  body: unknown,
  { apiKey, signal, fetch: request = fetch }: RunStrategyOptions,
): Promise<Answer> {
  // An abort is the caller's own: its reason, not a network failure.
  const abandoned = () => {
    if (signal?.aborted) throw signal.reason;
  };
  let response: Response;
  try {
    response = await request(url, {
      method,
      headers: {
        ...(body === undefined ? {} : { "Content-Type": "application/json" }),
        ...(apiKey ? { "x-api-key": apiKey } : {}),
      },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      ...(signal ? { signal } : {}),
    });
  } catch (error) {
    abandoned();
    throw new ApiUnreachableError(`cannot reach ${url} (${networkReason(error)})`, {
      cause: error,
    });
  }
  let text: string;
  try {
    text = await response.text();
  } catch (error) {
    abandoned();
    throw new ApiUnreachableError(
      `${method} ${url}: the answer broke off (${networkReason(error)})`,
      { cause: error },
    );
  }
  if (isApiKeyRefusal(response.status, text)) {
    throw new ApiError(
      apiKey
        ? `${method} ${url} answered 403: Forbidden: the API key given (--api-key or ${API_KEY_ENV}) is not one of this API's`
        : `${method} ${url} answered 403: Forbidden: the API needs an API key: pass --api-key or set ${API_KEY_ENV}`,
    );
  }
  return { method, url, status: response.status, text, headers: response.headers };
}

/** A status outside 2xx is an ApiError with the refusal's field and problem. */
function ensureOk(answer: Answer): void {
  if (answer.status < 200 || answer.status > 299) {
    throw new ApiError(
      `${answer.method} ${answer.url} answered ${describeRefusal(answer.status, answer.text)}`,
    );
  }
}

/** The answer's JSON, parsed, not trusted: one that does not fit names its first wrong field. */
function parseAnswer<Schema extends z.ZodType>(
  answer: Answer,
  schema: Schema,
  what: { name: string; root: string },
): z.infer<Schema> {
  const said = `${answer.method} ${answer.url} answered ${answer.status}`;
  let json: unknown;
  try {
    json = JSON.parse(answer.text);
  } catch (error) {
    throw new ApiError(`${said} with a body that is not JSON`, { cause: error });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ApiError(
      `${said} with a body that is not ${what.name}: ${formatFieldPath(what.root, issue?.path ?? [])}: ${issue?.message}`,
    );
  }
  return parsed.data;
}

/**
 * POST /runs/{strategy}: the report, or an ApiError saying which URL failed and why — the
 * network reason (ECONNREFUSED), a missing or refused API key, or the field and problem of a 4xx.
 * Every synchronous run the CLI and the benchmarks make goes through here.
 *
 * @example
 * await runStrategy(apiUrl, strategy, { scale: 0.1 }, { apiKey: process.env.LAB_API_KEY });
 */
export async function runStrategy(
  apiUrl: string,
  strategy: StrategyName,
  body: RunRequestBody,
  options: RunStrategyOptions = {},
): Promise<RunReport> {
  const answer = await send("POST", `${apiUrl}/runs/${strategy}`, body, options);
  ensureOk(answer);
  return parseAnswer(answer, runReportSchema, { name: "a run report", root: "report" });
}

/** What an asynchronous run's POST answers (202); a run already known answers its record. */
const acceptedRunSchema = z.object({
  runId: z.string().regex(RUN_ID_PATTERN),
  status: runStatusSchema,
  location: z.string().optional(),
});

/** Answers of a stack that could not take the run just then: throttled, or no orchestrator answer. */
const RETRYABLE_STATUSES = new Set([429, 500, 502, 503, 504]);
/** The waits before each retry of a refused start (a Retry-After header overrides one). */
export const START_RETRIES = [1000, 2000, 4000, 8000] as const;

export interface StartRunOptions extends RunStrategyOptions {
  /** Waits `ms` or rejects once `signal` aborts; tests pass one that does not wait. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
}

export interface AcceptedRun {
  runId: string;
  status: RunStatus;
  /** The record's URL, as the API gave it (body or `Location` header). */
  location: string;
}

/**
 * POST /runs/{strategy} in asynchronous mode: the run's id and where its record is, as soon as
 * the API has accepted it (202). Errors as runStrategy's.
 *
 * @example
 * const { runId } = await startRun(apiUrl, STRATEGY.queue, { scale: 10, runId: "my-run-1" }, { apiKey });
 */
export async function startRun(
  apiUrl: string,
  strategy: StrategyName,
  body: RunRequestBody,
  { wait = (ms, signal) => sleep(ms, undefined, { signal }), ...options }: StartRunOptions = {},
): Promise<AcceptedRun> {
  const post = () =>
    send("POST", `${apiUrl}/runs/${strategy}`, { ...body, mode: "async" }, options);
  let answer = await post();
  // With the run's own id a POST is safe to send again: the API answers the run that id already
  // names, never a second one. A saturated stack's refusals are then retried, not lost.
  for (
    let retry = 0;
    body.runId !== undefined &&
    RETRYABLE_STATUSES.has(answer.status) &&
    retry < START_RETRIES.length;
    retry += 1
  ) {
    const retryAfterS = Number(answer.headers.get("retry-after"));
    const delayMs = retryAfterS > 0 ? retryAfterS * 1000 : (START_RETRIES[retry] ?? 0);
    try {
      await wait(delayMs, options.signal);
    } catch (error) {
      if (options.signal?.aborted) throw options.signal.reason;
      throw error;
    }
    answer = await post();
  }
  ensureOk(answer);
  if (answer.status === 200) {
    // A run that had already ended when its id was posted again: its report.
    const report = parseAnswer(answer, runReportSchema, { name: "a run report", root: "report" });
    return {
      runId: report.runId,
      status: report.status,
      location: answer.headers.get("location") ?? `${apiUrl}/runs/${report.runId}`,
    };
  }
  const accepted = parseAnswer(answer, acceptedRunSchema, {
    name: "an accepted run",
    root: "body",
  });
  if (body.runId !== undefined && accepted.runId !== body.runId) {
    throw new ApiError(
      `POST ${answer.url} answered ${answer.status} with run ${accepted.runId}, not the runId ${body.runId} it was sent`,
    );
  }
  return {
    runId: accepted.runId,
    status: accepted.status,
    location:
      accepted.location ?? answer.headers.get("location") ?? `${apiUrl}/runs/${accepted.runId}`,
  };
}

/**
 * GET /runs/{runId}: the run's record, parsed; a RunNotFoundError (an ApiError) for an id the API
 * does not know, other failures as runStrategy's.
 *
 * @example
 * const record = await fetchRun(apiUrl, "compare-20261205T101112Z-queue-1", { apiKey });
 */
export async function fetchRun(
  apiUrl: string,
  runId: string,
  options: RunStrategyOptions = {},
): Promise<RunRecord> {
  const url = `${apiUrl}/runs/${encodeURIComponent(runId)}`;
  const answer = await send("GET", url, undefined, options);
  if (answer.status === 404) throw new RunNotFoundError(runId, url);
  ensureOk(answer);
  return parseAnswer(answer, runRecordSchema, { name: "a run record", root: "record" });
}

/** How long the poller waits between two GETs: a second at first, growing by half, at most 5 s. */
export const POLL_INTERVAL_MS = { first: 1000, max: 5000, growth: 1.5 } as const;
/**
 * GETs in a row that may fail to reach the API before the poller gives up: the run goes on
 * server-side, and a local stack under a 1,000-task run drops a connection now and then.
 */
export const UNREACHABLE_POLLS = 5;
/** A run still going this long past its deadline has been lost by the API: stop waiting for it. */
const PAST_DEADLINE_MS = 60_000;

export interface PollOptions extends RunStrategyOptions {
  /** Every record fetched, the last (ended) one included. */
  onProgress?: (record: RunRecord) => void;
  /** Waits `ms` or rejects once `signal` aborts; tests pass one that does not wait. */
  wait?: (ms: number, signal?: AbortSignal) => Promise<unknown>;
  now?: () => number;
}

/**
 * Fetches a run's record until it has ended (succeeded or failed) and answers that record;
 * `onProgress` sees each one. The signal stops the polling (the run itself goes on): the promise
 * then rejects with the signal's reason.
 *
 * @example
 * const record = await pollRun(apiUrl, runId, { apiKey, signal, onProgress: (r) => draw(r) });
 */
export async function pollRun(
  apiUrl: string,
  runId: string,
  {
    onProgress,
    wait = (ms, signal) => sleep(ms, undefined, { signal }),
    now = Date.now,
    ...options
  }: PollOptions = {},
): Promise<RunRecord> {
  const { signal } = options;
  let interval: number = POLL_INTERVAL_MS.first;
  let unreachable = 0;
  const pause = async () => {
    try {
      await wait(interval, signal);
    } catch (error) {
      if (signal?.aborted) throw signal.reason;
      throw error;
    }
    interval = Math.min(interval * POLL_INTERVAL_MS.growth, POLL_INTERVAL_MS.max);
  };
  for (;;) {
    signal?.throwIfAborted();
    let record: RunRecord;
    try {
      record = await fetchRun(apiUrl, runId, options);
      unreachable = 0;
    } catch (error) {
      if (!(error instanceof ApiUnreachableError) || ++unreachable >= UNREACHABLE_POLLS)
        throw error;
      await pause();
      continue;
    }
    onProgress?.(record);
    if (isEnded(record)) return record;
    if (now() > record.deadlineAt + PAST_DEADLINE_MS) {
      throw new ApiError(
        `GET ${apiUrl}/runs/${runId} still answers ${record.status} a minute past the run's deadline (${new Date(record.deadlineAt).toISOString()}): the API has lost it`,
      );
    }
    await pause();
  }
}

/**
 * The report of an ended record; an ApiError naming why for a run that ended without one.
 */
export function reportOf(record: RunRecord, apiUrl: string): RunReport {
  if (record.report) return record.report;
  const why = record.error ? `${record.error.type}: ${record.error.message}` : "no error given";
  throw new ApiError(
    `run ${record.runId} (${record.strategy}) ${record.status} without a report: ${why} (GET ${apiUrl}/runs/${record.runId})`,
  );
}

/**
 * An asynchronous run from start to report: startRun, then pollRun until it ends. For runs that
 * cannot finish within a synchronous request (API Gateway's 29 s).
 *
 * @example
 * const report = await runStrategyAsync(apiUrl, STRATEGY.queue, { scale: 10, runId }, { apiKey, signal });
 */
export async function runStrategyAsync(
  apiUrl: string,
  strategy: StrategyName,
  body: RunRequestBody,
  options: PollOptions = {},
): Promise<RunReport> {
  const { runId } = await startRun(apiUrl, strategy, body, options);
  return reportOf(await pollRun(apiUrl, runId, options), apiUrl);
}
