import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import type { RunReport, StrategyName } from "../../lib/report/types.js";
import { parseRunRequest } from "../../lib/runRequest.js";
import type { RunContext } from "../../lib/strategies/types.js";
import { systemClock } from "../../lib/systemClock.js";
import { planRun, type RunPlan } from "../../lib/workflow/plan.js";
import { jsonResponse, problemResponses } from "./problemResponses.js";

/** Kept back from the Lambda's remaining time so a late run still answers with its report. */
const RESPONSE_MARGIN_MS = 1500;

export type RunStrategy = (plan: RunPlan, context: RunContext) => Promise<RunReport>;

/** Builds the `POST /runs/{strategy}` handler for one strategy: parse, plan, run, answer. */
export function createRunHandler(strategy: StrategyName, run: RunStrategy) {
  const handleRun = async (
    event: APIGatewayProxyEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult> => {
    const request = parseRunRequest(event.body);
    const plan = planRun({ ...request, strategy, runId: randomUUID() });
    const budgetMs = Math.max(context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS, 0);
    const report = await run(plan, { clock: systemClock, budgetMs });
    return jsonResponse(200, report);
  };
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handleRun).use(problemResponses());
}
