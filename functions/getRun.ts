import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { InvalidInputError } from "../lib/errors.js";
import { quoteInput } from "../lib/fieldPath.js";
import { RUN_ID_PATTERN } from "../lib/runs/record.js";
import { STRATEGIES } from "../lib/strategies/names.js";
import { jsonResponse, problemResponses } from "./http/problemResponses.js";
import { runRecordStore } from "./runServices.js";

/**
 * `GET /runs/{runId}`: the run's record (accepted, running with the tasks finished so far,
 * succeeded or failed with its report), 404 for an id no run has.
 */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(
  async (event: APIGatewayProxyEvent) => {
    const runId = event.pathParameters?.id ?? "";
    if (!RUN_ID_PATTERN.test(runId)) {
      throw new InvalidInputError(
        "runId",
        `${quoteInput(runId)} is not a run id: 1-128 letters, digits, '-' or '_'`,
      );
    }
    // A strategy's name is never a run id (POST refuses it as one).
    const isStrategy = STRATEGIES.some((name) => name === runId);
    const record = isStrategy ? undefined : await (await runRecordStore()).read(runId);
    if (!record) {
      return jsonResponse(404, {
        error: "NotFound",
        field: "runId",
        problem: `no run has the id ${runId}`,
        message: `runId: no run has the id ${runId} (records are kept for the retention the template sets)`,
      });
    }
    return jsonResponse(200, record);
  },
).use(problemResponses());
