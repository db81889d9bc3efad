import { CloudFormationClient, DescribeStackResourceCommand } from "@aws-sdk/client-cloudformation";
import { ApiError, fetchRun } from "../adapters/runsApiClient.js";
import { renderGantt } from "../lib/report/terminal/renderGantt.js";
import { formatUsd } from "../lib/report/text/formatNumber.js";
import { isEnded, type RunRecord } from "../lib/runs/record.js";
import { workflowSchema } from "../lib/workflow/schema.js";
import { apiKeyFor } from "../localEnvironment/localApiKey.js";
import { localClientOptions } from "../localEnvironment/localClients.js";
import {
  LOCAL_STACK_NAME,
  LOCAL_STAGE,
  LOCALSTACK_ENDPOINT,
} from "../localEnvironment/settings.js";
import type { FetchOptions } from "./fetchOptions.js";
import { fetchCommandsFor } from "./interruptedRuns.js";

/**
 * The API URL of the service deployed in the running local stack (`npm run serve`), or an
 * ApiError saying in one line that LocalStack is not running or holds no deployed service.
 */
export async function localApiUrl(): Promise<string> {
  try {
    await fetch(`${LOCALSTACK_ENDPOINT}/_localstack/health`, { signal: AbortSignal.timeout(2000) });
  } catch {
    throw new ApiError(
      `the local stack is not running (nothing answers at ${LOCALSTACK_ENDPOINT}): --fetch asks the API the run was sent to; start it with \`npm run serve\`, or pass --url`,
    );
  }
  const cloudFormation = new CloudFormationClient(localClientOptions());
  try {
    const { StackResourceDetail: api } = await cloudFormation.send(
      new DescribeStackResourceCommand({
        StackName: LOCAL_STACK_NAME,
        LogicalResourceId: "ApiGatewayRestApi",
      }),
    );
    if (!api?.PhysicalResourceId) throw new Error(`${LOCAL_STACK_NAME} has no REST API`);
    // As deployService builds it (localEnvironment/deployService.ts).
    return `${LOCALSTACK_ENDPOINT}/restapis/${api.PhysicalResourceId}/${LOCAL_STAGE}/_user_request_`;
  } catch (error) {
    throw new ApiError(
      `the local stack runs, but no service is deployed in it (${(error as Error).message.split("\n")[0]}): start it with \`npm run serve\`, or pass --url`,
      { cause: error },
    );
  } finally {
    cloudFormation.destroy();
  }
}

/** The number of tasks a recorded request holds, when its workflow reads as one. */
function taskCountOf(record: RunRecord): number | undefined {
  const workflow = workflowSchema.safeParse(record.request.workflow);
  return workflow.success ? workflow.data.tasks.length : undefined;
}

/**
 * What `compare --fetch` prints of a run's record: an ended run's Gantt, as a comparison prints a
 * run, with its cost; a run that ended without a report, why; a run under way, how far it has got.
 *
 * @example
 * describeRecord(await fetchRun(apiUrl, runId), apiUrl).forEach((line) => console.log(line));
 */
export function describeRecord(record: RunRecord, apiUrl: string): string[] {
  const name = `${record.strategy} run ${record.runId}`;
  const [, curl] = fetchCommandsFor(record.runId, apiUrl);
  if (!isEnded(record)) {
    const total = taskCountOf(record);
    const finished = record.tasksFinished?.length ?? 0;
    return [
      `${name} ${record.status}: ${finished}${total === undefined ? "" : `/${total}`} tasks finished (accepted ${new Date(record.acceptedAt).toISOString()}, deadline ${new Date(record.deadlineAt).toISOString()})`,
      `fetch it again: npx compare --fetch ${record.runId} --url ${apiUrl}`,
    ];
  }
  const json = `its record as JSON: ${curl}`;
  if (!record.report) {
    const why = record.error ? `${record.error.type}: ${record.error.message}` : "no error given";
    return [`${name} ${record.status} without a report: ${why}`, json];
  }
  const { cost } = record.report;
  return [
    `${name} ${record.status} (${record.mode})` +
      (cost ? `, ${formatUsd(cost.totalUsd)} a run (modelled at list prices)` : ""),
    renderGantt(record.report),
    json,
  ];
}

/**
 * `compare --fetch <runId>`: prints the run's record as describeRecord says, writes nothing; the
 * exit code is 1 for a failed run (an unknown id is an ApiError, one line, exit 1 too).
 */
export async function fetchCommand(options: FetchOptions): Promise<void> {
  const apiUrl = options.url ?? (await localApiUrl());
  const apiKey = await apiKeyFor(apiUrl, options.apiKey);
  const record = await fetchRun(apiUrl, options.runId, apiKey ? { apiKey } : {});
  for (const line of describeRecord(record, apiUrl)) console.log(line);
  if (record.status === "failed") process.exitCode = 1;
}
