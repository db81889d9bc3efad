import { z } from "zod";
import { formatFieldPath } from "../lib/fieldPath.js";
import { type RunReport, runReportSchema, type StrategyName } from "../lib/report/types.js";
import type { Workflow } from "../lib/workflow/types.js";

/** The API could not be reached or refused the run: the message is one line for the user. */
export class ApiError extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = "ApiError";
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

/**
 * API Gateway's answer to a private method called without a valid key: 403 `{"message":
 * "Forbidden"}` (an unknown route is a 403 too, but "Missing Authentication Token").
 */
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
}

/**
 * POST /runs/{strategy}: the report, or an ApiError saying which URL failed and why — the
 * network reason (ECONNREFUSED), a missing or refused API key, or the field and problem of a 4xx.
 * Every call the CLI and the benchmarks make to the API goes through here.
 *
 * @example
 * await runStrategy(apiUrl, strategy, { scale: 0.1 }, { apiKey: process.env.LAB_API_KEY });
 */
export async function runStrategy(
  apiUrl: string,
  strategy: StrategyName,
  body: { workflow?: Workflow; scale?: number; stateMachineForm?: "seriesParallel" | "levels" },
  { apiKey }: RunStrategyOptions = {},
): Promise<RunReport> {
  const url = `${apiUrl}/runs/${strategy}`;
  let response: Response;
  try {
    response = await fetch(url, {
      method: "POST",
      headers: { "Content-Type": "application/json", ...(apiKey ? { "x-api-key": apiKey } : {}) },
      body: JSON.stringify(body),
    });
  } catch (error) {
    throw new ApiError(`cannot reach ${url} (${networkReason(error)})`, { cause: error });
  }
  const text = await response.text();
  if (isApiKeyRefusal(response.status, text)) {
    throw new ApiError(
      apiKey
        ? `POST ${url} answered 403: Forbidden: the API key given (--api-key or ${API_KEY_ENV}) is not one of this API's`
        : `POST ${url} answered 403: Forbidden: the API needs an API key: pass --api-key or set ${API_KEY_ENV}`,
    );
  }
  if (!response.ok) {
    throw new ApiError(`POST ${url} answered ${describeRefusal(response.status, text)}`);
  }
  let answer: unknown;
  try {
    answer = JSON.parse(text);
  } catch (error) {
    throw new ApiError(`POST ${url} answered ${response.status} with a body that is not JSON`, {
      cause: error,
    });
  }
  // The answer is parsed, not trusted: a report that does not fit names its first wrong field.
  const report = runReportSchema.safeParse(answer);
  if (!report.success) {
    const issue = report.error.issues[0];
    throw new ApiError(
      `POST ${url} answered ${response.status} with a body that is not a run report: ${formatFieldPath("report", issue?.path ?? [])}: ${issue?.message}`,
    );
  }
  return report.data;
}
