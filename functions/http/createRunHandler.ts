import { randomUUID } from "node:crypto";
import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from "aws-lambda";
import { collectUsage } from "../../lib/cost/collectUsage.js";
import { priceRun } from "../../lib/cost/priceRun.js";
import { UsageMeter } from "../../lib/cost/UsageMeter.js";
import { describeError } from "../../lib/errors.js";
import { assertApplicable } from "../../lib/ownFunctions/applicability.js";
import { resolveOwnFunctions } from "../../lib/ownFunctions/ownFunctions.js";
import type { RunRecordStore, RunStarter } from "../../lib/ports.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { parseRunRequest, type RunRequest, requestedMode } from "../../lib/runRequest.js";
import { acceptRun } from "../../lib/runs/acceptRun.js";
import { asyncRunIdOf } from "../../lib/runs/asyncRunEvent.js";
import { isEnded, type RunCarrier, type RunMode, type RunRecord } from "../../lib/runs/record.js";
import { RunRecordWriter } from "../../lib/runs/recordWriter.js";
import { assertPlanFits, type RunLimit, runLimit } from "../../lib/runs/runLimits.js";
import type { RegisteredStrategy } from "../../lib/strategies/registry.js";
import type { Transports } from "../../lib/strategies/types.js";
import { systemClock } from "../../lib/systemClock.js";
import { LAMBDA_ENVIRONMENT } from "../../lib/tasks/runTask.js";
import { validateWorkflow } from "../../lib/workflow/dag.js";
import { planRun, type RunPlan } from "../../lib/workflow/plan.js";
import { invokableFunctions } from "../config.js";
import { startInvocation } from "../lambdaInvocation.js";
import { jsonRequestBody } from "./jsonRequestBody.js";
import { jsonResponse, problemResponses } from "./problemResponses.js";

/** Kept back from the Lambda's remaining time so a late run still answers with its report. */
const RESPONSE_MARGIN_MS = 1500;
/** After the first task's planned time, by when it has surely completed (stepfunctions' crash). */
const FIRST_TASK_MARGIN_MS = 500;

/** Where runs are recorded and how an accepted one is started in the background. */
export interface RunServices {
  records(): Promise<RunRecordStore>;
  /** Starts a run by invoking the function whose invocation `context` is, asynchronously. */
  starter(context: Context): Promise<RunStarter>;
  /** The longest a task may last under this orchestrator's strategy, when a transport bounds it. */
  longestTask?: () => RunLimit | undefined;
  /**
   * What bounds an asynchronous run, where the orchestrator's platform sets it rather than
   * Lambda's 15 minutes (a durable execution's own timeout).
   */
  asyncRunLimit?: () => RunLimit | undefined;
  /** Ends this execution environment at once (the injected orchestrator crash). */
  exitEnvironment?: () => never;
}

export interface RunHandlerOptions {
  /** A durable execution replays this handler: its run id must be the same in every replay. */
  runId?: () => string;
  /**
   * Runs `body` once per execution: a durable execution replays the handler, and what the first
   * replay decided (the run accepted, started, claimed) must be answered from its checkpoint,
   * not decided again. Elsewhere each invocation runs once: `body()`.
   */
  once?: <T>(name: string, body: () => Promise<T>) => Promise<T>;
  /**
   * Whether the orchestrator lives as long as the run, writing heartbeats and progress on its
   * record; not a durable one, suspended between replays (lib/runs/recordWriter.ts says why).
   */
  livesForTheRun?: boolean;
  /**
   * The platform's execution that carries the run, recorded when it starts: an orchestrator
   * suspended between replays writes no heartbeat, so the sweeper asks the platform instead.
   */
  carriedBy?: () => RunCarrier;
}

/**
 * Builds an orchestrator's handler. `POST /runs/{strategy}`: parse, plan, check the plan fits the
 * run's limit, record the run as accepted, then either run it now and answer with its report
 * (synchronous), or start it in the background and answer 202 with its id (asynchronous: the
 * body's `mode` or `Prefer: respond-async`). The asynchronous invocation it starts comes back
 * here with the run's id and runs it from its record. Either way the run's record ends with its
 * report, or with why it failed.
 */
export function createRunHandler(
  strategyOf: () => RegisteredStrategy,
  transports: Transports,
  services: RunServices,
  options: RunHandlerOptions = {},
) {
  const once = options.once ?? (<T>(_name: string, body: () => Promise<T>) => body());
  /** What the record says carries the run, where the platform keeps an execution of its own. */
  const carriedBy = (): RunCarrier => options.carriedBy?.() ?? {};
  const runPlan = async (
    plan: RunPlan,
    record: RunRecordWriter,
    budgetMs: number,
    invocation: ReturnType<typeof startInvocation>,
  ): Promise<RunReport> => {
    // Express for a synchronous run (StartSyncExecution answers within the request); Standard,
    // whose executions may last a year and are billed per transition, for an asynchronous one.
    const stateMachineType = record.current.mode === "async" ? "standard" : "express";
    const strategy = strategyOf();
    const meter = new UsageMeter();
    const crash = orchestratorCrash(plan, record);
    let report: RunReport;
    try {
      report = await strategy.run(
        plan,
        {
          clock: systemClock,
          budgetMs,
          meter,
          stateMachineType,
          onTaskEnded: (taskId) => {
            record.taskEnded(taskId);
            crash?.taskEnded();
          },
        },
        transports,
      );
    } catch (error) {
      await endRecord(record, { status: "failed", error: describeError(error) });
      throw error;
    } finally {
      crash?.cancel();
    }
    const priced = priceReport(report, invocation, meter, strategy);
    await endRecord(record, { status: priced.status, report: priced });
    return priced;
  };

  /**
   * The record's ending, once per run. For a durable run a checkpointed step: with only its run's
   * timer left pending, the SDK suspends an invocation that waits 20 ms on anything else, and an
   * S3 write under load takes longer; the run then slept until its timer, its ending unwritten (3
   * of 100 durable runs in a burst, 2026-12-06).
   */
  const endRecord = async (
    record: RunRecordWriter,
    ending: Parameters<RunRecordWriter["end"]>[0],
  ): Promise<void> => {
    if (record.hasEnded) return;
    await once("record end", () => record.end(ending));
  };

  /**
   * The injected orchestrator crash (workflow.orchestratorFault), once per run: when the first task
   * ends, or, for an orchestrator that is not told of each task (stepfunctions), once the first
   * task's planned time has passed. The record notes it first: a durable orchestrator's replays
   * read that and carry on, as the service's retry of a crashed invocation does on AWS.
   */
  const orchestratorCrash = (plan: RunPlan, record: RunRecordWriter) => {
    if (plan.workflow.orchestratorFault !== "crash") return undefined;
    // As a crashed task's environment ends (Runtime.ExitError).
    const exit = services.exitEnvironment ?? LAMBDA_ENVIRONMENT.crash;
    let done = false;
    const crashNow = async () => {
      if (done) return;
      done = true;
      const stored = await (await services.records()).read(plan.runId);
      if (stored?.orchestratorCrashedAt !== undefined) return;
      await record.orchestratorCrashing();
      console.error(`injected fault: the orchestrator of run ${plan.runId} crashes now`);
      exit();
    };
    const firstTaskMs = Math.min(
      ...plan.tasks.filter((task) => task.deps.length === 0).map((task) => task.durationMs),
    );
    // Not while a durable orchestrator is suspended: its next replay is told of the task instead.
    const timer =
      options.livesForTheRun === false
        ? undefined
        : setTimeout(() => void crashNow(), firstTaskMs + FIRST_TASK_MARGIN_MS);
    return {
      taskEnded: () => void crashNow(),
      cancel: () => clearTimeout(timer),
    };
  };

  const planOf = async (runId: string, request: RunRequest): Promise<RunPlan> => {
    const strategy = strategyOf();
    // What this strategy cannot run at all (inline and an own function or a task fault) is a
    // 400 naming the field, by the rule the CLI skips such a strategy by.
    assertApplicable(request.workflow, strategy.name);
    // Every own function checked (allow list, existence) before any task starts.
    return resolveOwnFunctions(planRun({ ...request, strategy: strategy.name, runId }), {
      allowed: invokableFunctions(),
      directory: () => transports.functionDirectory(),
    });
  };

  const limitOf = (mode: RunMode) =>
    (mode === "async" ? services.asyncRunLimit?.() : undefined) ??
    runLimit(strategyOf().name, mode);

  const handleRequest = async (
    event: APIGatewayProxyEvent,
    context: Context,
  ): Promise<APIGatewayProxyResult> => {
    const invocation = startInvocation(context);
    const strategy = strategyOf();
    const request = parseRunRequest(event.body);
    const mode = requestedMode(request, event.headers);
    const runId = request.runId ?? options.runId?.() ?? randomUUID();
    const plan = await planOf(runId, request);
    const limit = limitOf(mode);
    assertPlanFits(plan, limit, services.longestTask?.());
    const now = Date.now();
    const budgetMs =
      mode === "sync"
        ? Math.min(limit.ms, Math.max(context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS, 0))
        : limit.ms;
    const store = await services.records();
    const acceptance = await once("accept run", () =>
      acceptRun(store, {
        runId,
        strategy: strategy.name,
        mode,
        request,
        now,
        deadlineAt: now + budgetMs,
      }),
    );
    const location = recordLocation(event, runId);
    if ("repeated" in acceptance) return answerRepeated(acceptance.repeated, location);
    if (mode === "async") {
      try {
        await once("start run", async () => (await services.starter(context)).start(runId));
      } catch (error) {
        // Accepted but never started: the record says so, rather than "accepted" forever.
        await new RunRecordWriter(store, acceptance.accepted, Date.now).end({
          status: "failed",
          error: {
            type: "NotStarted",
            message: `the run could not be started: ${describeError(error).message}`,
          },
        });
        throw error;
      }
      return {
        ...jsonResponse(202, { runId, status: "accepted", location }),
        headers: acceptedHeaders(location),
      };
    }
    // Running from here: a durable replay skips the start's write, and its progress writes must
    // not put the record back to "accepted".
    const running = { ...acceptance.accepted, ...carriedBy(), status: "running" as const };
    const writer = new RunRecordWriter(store, running, Date.now, options.livesForTheRun);
    await once("record start", () => writer.started());
    const report = await runPlan(plan, writer, budgetMs, invocation);
    return { ...jsonResponse(200, report), headers: { ...JSON_HEADERS, Location: location } };
  };

  /** The asynchronous invocation an accepted run started: runs it from its record. */
  const handleAcceptedRun = async (runId: string, context: Context): Promise<void> => {
    const invocation = startInvocation(context);
    const store = await services.records();
    const record = await store.read(runId);
    // Lambda may deliver an asynchronous event twice: a run already started is not run again.
    // (Two deliveries at the same moment could both find it accepted: rare, and not guarded.)
    const claimed = await once("claim run", async () => record?.status === "accepted");
    if (!record || isEnded(record) || !claimed) return;
    const writer = new RunRecordWriter(
      store,
      { ...record, ...carriedBy() },
      Date.now,
      options.livesForTheRun,
    );
    await once("record start", () => writer.started());
    try {
      const request = recordedRequest(record);
      const plan = await planOf(runId, request);
      const remainingMs = context.getRemainingTimeInMillis() - RESPONSE_MARGIN_MS;
      const budgetMs = Math.max(Math.min(record.deadlineAt - Date.now(), remainingMs), 0);
      await runPlan(plan, writer, budgetMs, invocation);
    } catch (error) {
      await endRecord(writer, { status: "failed", error: describeError(error) });
    }
  };

  const httpHandler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(handleRequest)
    .use(problemResponses())
    .use(jsonRequestBody());

  return async (event: APIGatewayProxyEvent, context: Context): Promise<APIGatewayProxyResult> => {
    const asyncRunId = asyncRunIdOf(event);
    if (asyncRunId === undefined) return httpHandler(event, context);
    await handleAcceptedRun(asyncRunId, context);
    // Nobody reads an asynchronous invocation's answer: the record is the run's outcome.
    return jsonResponse(200, { runId: asyncRunId });
  };
}

const JSON_HEADERS = { "Content-Type": "application/json" };

function acceptedHeaders(location: string): Record<string, string> {
  return { ...JSON_HEADERS, Location: location, "Preference-Applied": "respond-async" };
}

/**
 * A run id posted again: that run, as it stands. Ended with a report, the report (200, as the
 * first request was answered); otherwise 202 with where to follow it.
 */
function answerRepeated(record: RunRecord, location: string): APIGatewayProxyResult {
  if (record.report) {
    return {
      ...jsonResponse(200, record.report),
      headers: { ...JSON_HEADERS, Location: location },
    };
  }
  return {
    ...jsonResponse(202, { runId: record.runId, status: record.status, location }),
    headers: acceptedHeaders(location),
  };
}

/** `GET /runs/{runId}`'s path: this request's own path with the strategy replaced by the id. */
function recordLocation(event: APIGatewayProxyEvent, runId: string): string {
  const path = event.requestContext?.path ?? event.path ?? "/runs/";
  return `${path.replace(/\/[^/]*$/, "")}/${runId}`;
}

function recordedRequest(record: RunRecord): RunRequest {
  const { workflow, scale, stateMachineForm } = record.request;
  return {
    workflow: validateWorkflow(workflow, "workflow"),
    scale,
    ...(stateMachineForm ? { stateMachineForm } : {}),
  };
}

/**
 * Prices the run: the orchestrator's own invocation (it is billed for every ms it waits), the
 * tasks' invocations and the transport's requests; then the strategy finishes what is its own.
 */
function priceReport(
  report: RunReport,
  invocation: ReturnType<typeof startInvocation>,
  meter: UsageMeter,
  strategy: RegisteredStrategy,
): RunReport {
  const orchestrator = invocation.billing();
  const usage = collectUsage(report, orchestrator, meter.sqsRequests());
  return {
    ...(strategy.finishReport?.(report, { usage, orchestrator }) ?? report),
    coldStarts: report.coldStarts + (invocation.coldStart ? 1 : 0),
    orchestrator: { ...orchestrator, coldStart: invocation.coldStart },
    usage,
    cost: priceRun(usage),
  } satisfies RunReport;
}
