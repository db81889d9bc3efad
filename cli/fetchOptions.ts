import { parseArgs } from "node:util";
import { API_KEY_ENV } from "../adapters/runsApiClient.js";
import { InvalidInputError } from "../lib/errors.js";
import { quoteInput } from "../lib/fieldPath.js";
import { RUN_ID_PATTERN } from "../lib/runs/record.js";

export const FETCH_USAGE = `  --fetch RUN_ID  runs nothing: prints that run's report, or how far it has got (its
                  record at GET {api}/runs/{runId}); takes only --url and --api-key, and
                  without --url asks the local stack that \`npm run serve\` keeps running`;

export interface FetchOptions {
  runId: string;
  /** The API the run was sent to; without it, the running local stack's. */
  url?: string;
  apiKey?: string;
}

/** Whether the command line asks for `--fetch` rather than a comparison. */
export function isFetchCommand(argv: readonly string[]): boolean {
  return argv.some((arg) => arg === "--fetch" || arg.startsWith("--fetch="));
}

/**
 * Parses `compare --fetch <runId> [--url URL] [--api-key KEY]`; anything else, or an id that is
 * not one, is an InvalidInputError naming the flag. The key: --api-key, else LAB_API_KEY (with
 * --url only, as for a comparison).
 *
 * @example
 * parseFetchOptions(["--fetch", "compare-20261205T101112Z-queue-3", "--url", apiUrl]);
 */
export function parseFetchOptions(
  argv: string[],
  env: Record<string, string | undefined> = process.env,
): FetchOptions {
  let values: { fetch?: string; url?: string; "api-key"?: string };
  try {
    ({ values } = parseArgs({
      args: argv,
      strict: true,
      allowPositionals: false,
      options: {
        fetch: { type: "string" },
        url: { type: "string" },
        "api-key": { type: "string" },
      },
    }));
  } catch (error) {
    throw new InvalidInputError(
      "--fetch",
      `takes only --url and --api-key (${(error as Error).message.split("\n")[0]})`,
    );
  }
  const runId = values.fetch ?? "";
  if (!RUN_ID_PATTERN.test(runId)) {
    throw new InvalidInputError(
      "--fetch",
      `expected a run id (1-128 letters, digits, '-' or '_'), got ${quoteInput(runId)}`,
    );
  }
  if (values["api-key"] !== undefined && !values.url) {
    throw new InvalidInputError(
      "--api-key",
      "applies to an API given with --url: the local stack sends its own key",
    );
  }
  const apiKey = values.url ? (values["api-key"] ?? env[API_KEY_ENV]) : undefined;
  return {
    runId,
    ...(values.url ? { url: values.url.replace(/\/$/, "") } : {}),
    ...(apiKey ? { apiKey } : {}),
  };
}
