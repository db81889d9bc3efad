import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { collectUsage } from "../../lib/cost/collectUsage.js";
import { durableBreakEvenMs } from "../../lib/cost/durableBreakEven.js";
import { priceRun } from "../../lib/cost/priceRun.js";
import { UsageMeter } from "../../lib/cost/UsageMeter.js";
import { invokesFunctions } from "../../lib/functions/applicability.js";
import { resolveOwnFunctions } from "../../lib/functions/ownFunctions.js";
import type { DurableReport, LambdaBilling, RunReport } from "../../lib/report/types.js";
import { parseRunRequest } from "../../lib/runRequest.js";
import type { RegisteredStrategy } from "../../lib/strategies/registry.js";
import type { Transports } from "../../lib/strategies/types.js";
import { systemClock } from "../../lib/systemClock.js";
import { planRun } from "../../lib/workflow/plan.js";
import { invokableFunctions } from "../config.js";
import { startInvocation } from "../lambdaInvocation.js";
import { jsonRequestBody } from "./jsonRequestBody.js";
import { jsonResponse, problemResponses } from "./problemResponses.js";

/** Kept back from the Lambda's remaining time so a late run still answers with its report. */
const RESPONSE_MARGIN_MS = 1500;

/**
 * Builds the `POST /runs/{strategy}` handler: parse, plan, run the strategy over the given
 * transports, and answer with the run report, priced: the orchestrator's own invocation (it is
 * billed for every ms it waits), the tasks' invocations and the transport's requests.
 */
export function createRunHandler(
  strategyOf: () => RegisteredStrategy,
  transports: Transports,
  options: {
    /** A durable execution replays this handler: its run id must be the same in every replay. */
    runId?: () => string;
  } = {},
) {
  const handleRun = async (
    event: APIGatewayProxyEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult> => {
    const invocation = startInvocation(context);
    const strategy = strategyOf();
    const request = parseRunRequest(event.body);
    // Every own function checked (strategy, allow list, existence) before any task starts.
    const plan = await resolveOwnFunctions(
      planRun({ ...request, strategy: strategy.name, runId: options.runId?.() ?? randomUUID() }),
      {
        invokesFunctions: invokesFunctions(strategy),
        allowed: invokableFunctions(),
        directory: () => transports.functionDirectory(),
      },
    );
    const budgetMs = Math.max(context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS, 0);
    const meter = new UsageMeter();
    const report = await strategy.run(plan, { clock: systemClock, budgetMs, meter }, transports);
    const orchestrator = invocation.billing();
    const usage = collectUsage(report, orchestrator, meter.sqsRequests());
    const closeDurableReport = (durable: DurableReport, last: LambdaBilling): DurableReport => ({
      ...durable,
      // The replay that answers is billed to this point, past the run's own end.
      replays: durable.replays.map((replay, index, all) =>
        index === all.length - 1 ? { ...replay, billedMs: last.billedMs } : replay,
      ),
      breakEvenCriticalPathMs: durableBreakEvenMs(usage, last) ?? 0,
    });
    return jsonResponse(200, {
      ...report,
      ...(report.durable ? { durable: closeDurableReport(report.durable, orchestrator) } : {}),
      coldStarts: report.coldStarts + (invocation.coldStart ? 1 : 0),
      orchestrator: { ...orchestrator, coldStart: invocation.coldStart },
      usage,
      cost: priceRun(usage),
    } satisfies RunReport);
  };
  return middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handleRun)
    .use(problemResponses())
    .use(jsonRequestBody());
}
