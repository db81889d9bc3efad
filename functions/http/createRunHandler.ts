import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { collectUsage } from "../../lib/cost/collectUsage.js";
import { priceRun } from "../../lib/cost/priceRun.js";
import { UsageMeter } from "../../lib/cost/UsageMeter.js";
import type { RunReport, StrategyName } from "../../lib/report/types.js";
import { parseRunRequest } from "../../lib/runRequest.js";
import type { RunContext } from "../../lib/strategies/types.js";
import { systemClock } from "../../lib/systemClock.js";
import { planRun, type RunPlan } from "../../lib/workflow/plan.js";
import { startInvocation } from "../lambdaInvocation.js";
import { jsonResponse, problemResponses } from "./problemResponses.js";

/** Kept back from the Lambda's remaining time so a late run still answers with its report. */
const RESPONSE_MARGIN_MS = 1500;

export type RunStrategy = (plan: RunPlan, context: RunContext) => Promise<RunReport>;

/**
 * Builds the `POST /runs/{strategy}` handler for one strategy: parse, plan, run, and answer with
 * the run report, priced: the orchestrator's own invocation (it is billed for every ms it waits),
 * the tasks' invocations and the transport's requests.
 */
export function createRunHandler(strategy: StrategyName, run: RunStrategy) {
  const handleRun = async (
    event: APIGatewayProxyEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult> => {
    const invocation = startInvocation(context);
    const request = parseRunRequest(event.body);
    const plan = planRun({ ...request, strategy, runId: randomUUID() });
    const budgetMs = Math.max(context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS, 0);
    const meter = new UsageMeter();
    const report = await run(plan, { clock: systemClock, budgetMs, meter });
    const orchestrator = invocation.billing();
    const usage = collectUsage(report, orchestrator, meter.sqsRequests());
    return jsonResponse(200, {
      ...report,
      coldStarts: report.coldStarts + (invocation.coldStart ? 1 : 0),
      orchestrator: { ...orchestrator, coldStart: invocation.coldStart },
      usage,
      cost: priceRun(usage),
    } satisfies RunReport);
  };
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handleRun).use(problemResponses());
}
