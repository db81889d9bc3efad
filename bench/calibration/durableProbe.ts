/**
 * durable: a chain of 3, each hop read off the execution's history: a task's end -> its result
 * recorded -> the next replay -> its invoke checkpointed -> the task's start; a chain of 30 for a
 * replay's growth with its history.
 */
import { AWS_PARAMETERS } from "../../lib/forecast/awsParameters.js";
import type { DurableParameters } from "../../lib/forecast/parameters.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { summarize } from "../../lib/stats/stats.js";
import { STRATEGY } from "../../lib/strategies/names.js";
import { chainWorkflow } from "../../lib/workflow/shapes.js";
import { leastSquaresSlope, median, round, shift, span, warm } from "./fit.js";
import type { SpannedFigure } from "./matchSpans.js";
import type { Probe } from "./probe.js";

/** The durable probe: a chain of 3 x 50 ms, its hops read off each report's history. */
const DURABLE_PROBE = chainWorkflow(3, 50);
const replaysOf = (r: RunReport) => r.durable?.replays ?? [];
const replayAt = (r: RunReport, at: number) =>
  replaysOf(r).find((replay) => replay.startedAt <= at && at <= replay.endedAt);
/**
 * Each hop of a durable run as the probe reads it, under the figure it measures: one sample per
 * warm task (per run, for the start). A replay's start -> its invoke measures replayBase, with the
 * invoke's checkpoint and the history's replay in it.
 */
const DURABLE_SPANS = {
  startExecution: (r: RunReport) => [(replaysOf(r)[0]?.startedAt ?? r.startedAt) - r.startedAt],
  checkpoint: (r: RunReport) => r.tasks.filter(warm).map((t) => span(t, "endedAt", "returnedAt")),
  invokeDispatch: (r: RunReport) =>
    r.tasks.filter(warm).map((t) => span(t, "invokedAt", "startedAt")),
  resume: (r: RunReport) =>
    r.tasks.filter(warm).flatMap((task) => {
      const next = replaysOf(r).find(
        (replay) => replay.startedAt >= (task.returnedAt ?? Number.POSITIVE_INFINITY),
      );
      return next && task.returnedAt !== undefined ? [next.startedAt - task.returnedAt] : [];
    }),
  // The first replay writes the run's record before its invoke: runRecordStart, not replayBase.
  replayBase: (r: RunReport) =>
    r.tasks.filter(warm).flatMap((task) => {
      const replay = replayAt(r, task.invokedAt ?? Number.NaN);
      return replay && replay !== replaysOf(r)[0]
        ? [(task.invokedAt as number) - replay.startedAt]
        : [];
    }),
  runRecordStart: (r: RunReport) => {
    const first = replaysOf(r)[0];
    const invokedAt = Math.min(
      ...r.tasks.map((task) => task.invokedAt ?? Number.POSITIVE_INFINITY),
    );
    return first && Number.isFinite(invokedAt) ? [invokedAt - first.startedAt] : [];
  },
  // The replay that ends the run: its end is stamped on the orchestrator's own clock.
  lastReplay: (r: RunReport) => {
    const lastResult = Math.max(
      ...r.tasks.map((task) => task.returnedAt ?? Number.NEGATIVE_INFINITY),
    );
    return r.status === "succeeded" && Number.isFinite(lastResult) ? [r.endedAt - lastResult] : [];
  },
  suspendDelay: (r: RunReport) =>
    r.tasks.filter(warm).flatMap((task) => {
      const replay = replayAt(r, task.invokedAt ?? Number.NaN);
      return replay ? [replay.endedAt - (task.invokedAt as number)] : [];
    }),
};

export type DurableSpan = keyof typeof DURABLE_SPANS;
/** What each spanned figure is, for the console and its source. */
const SPANNED: Record<DurableSpan, string> = {
  startExecution: "execution start -> first replay",
  checkpoint: "task end -> result recorded",
  invokeDispatch: "invoke operation -> task started",
  resume: "result recorded -> next replay",
  replayBase: "replay start -> its invoke",
  runRecordStart: "first replay start -> its invoke",
  suspendDelay: "replay's invoke -> replay suspended",
  lastReplay: "last result recorded -> run's end",
};
const DURABLE_SPANNED = Object.keys(SPANNED) as DurableSpan[];

/** The local durable service's retry of a throttled chained invoke: a setting, not a probe. */
const DEX_RUNNER_RETRY =
  "localstack/executor/lab_lambda_executor/dex_runner.py: the local durable service sends a throttled chained invoke again after 50 ms, doubling to 2 s, each pause x (1 + a uniform draw)";
const LOCAL_DURABLE_THROTTLE_RETRY = {
  firstMs: { value: 50, source: DEX_RUNNER_RETRY },
  maxMs: { value: 2_000, source: DEX_RUNNER_RETRY },
};

/** The durable figures, measured where the target runs durable, else kept from the aws set. */
export async function probeDurable(
  probe: Probe,
): Promise<{ durable: DurableParameters; spanned: SpannedFigure[] }> {
  if (!probe.target.strategies.includes(STRATEGY.durable)) {
    return { durable: AWS_PARAMETERS.durable, spanned: [] };
  }
  probe.log("durable ...");
  const durableChain = await probe.measured(STRATEGY.durable, DURABLE_PROBE);
  const samplesOf = (spans: (r: RunReport) => number[]) => durableChain.flatMap(spans);
  const checkpoint = probe.figureOf(
    samplesOf(DURABLE_SPANS.checkpoint),
    "a task's end -> its result recorded (the invoke operation's end)",
  );
  const chainOps = summarize(durableChain.map((r) => r.durable?.operations ?? 0)).median;
  // How a replay's own time grows with the history it replays: a chain of 30, each replay's
  // start -> its invoke, against the operations before it (the least-squares slope).
  const longChain = await probe.measured(STRATEGY.durable, chainWorkflow(30, 20), 2);
  const growth = longChain.flatMap((r) => {
    const replays = replaysOf(r);
    const operationsPerReplay = (r.durable?.operations ?? 0) / Math.max(replays.length, 1);
    return r.tasks.flatMap((task) => {
      const at = task.invokedAt ?? Number.NaN;
      const index = replays.findIndex((replay) => replay.startedAt <= at && at <= replay.endedAt);
      const replay = replays[index];
      return replay ? [{ x: index * operationsPerReplay, y: at - replay.startedAt }] : [];
    });
  });
  const replayPerOperationMs = Math.max(0, leastSquaresSlope(growth));
  const untilInvoke = samplesOf(DURABLE_SPANS.replayBase);
  const durable: DurableParameters = {
    startExecution: probe.figureOf(
      samplesOf(DURABLE_SPANS.startExecution),
      "execution start -> first replay start",
    ),
    checkpoint,
    invokeDispatch: probe.figureOf(
      samplesOf(DURABLE_SPANS.invokeDispatch),
      "invoke operation started -> the task's handler started",
    ),
    resume: probe.figureOf(
      samplesOf(DURABLE_SPANS.resume),
      "a result recorded -> the next replay started",
    ),
    replayPerOperationMs: {
      value: round(replayPerOperationMs * 1000) / 1000,
      source: `${probe.measuredOn}: a replay's start -> its invoke, against the operations it replays (chain of 30, least-squares slope over ${growth.length} replays)`,
    },
    replayBase: shift(
      probe.figureOf(untilInvoke, "a replay's start -> its invoke operation started"),
      checkpoint.p50Ms + replayPerOperationMs * chainOps,
      "less the invoke's checkpoint",
    ),
    // Its first estimate: the first replay's time to its invoke beyond a later replay's.
    runRecordStart: shift(
      probe.figureOf(
        samplesOf(DURABLE_SPANS.runRecordStart),
        "the first replay's start -> its invoke operation started",
      ),
      median(untilInvoke),
      "less a later replay's start -> its invoke",
    ),
    suspendDelay: probe.figureOf(
      samplesOf(DURABLE_SPANS.suspendDelay),
      "a replay's invoke -> the replay suspended",
    ),
    // Its first estimate: what the last replay takes beyond a resume and a later replay's
    // start -> its invoke (the invoke's checkpoint, which it has not, left in: matched after).
    lastReplay: shift(
      probe.figureOf(
        samplesOf(DURABLE_SPANS.lastReplay),
        "the last result recorded -> the run's end",
      ),
      median(samplesOf(DURABLE_SPANS.resume)) + median(untilInvoke) - checkpoint.p50Ms,
      "less a resume and a later replay's own time",
    ),
    // Fitted by calibratePlatform on the local stack.
    checkpointMsPerMb: AWS_PARAMETERS.durable.checkpointMsPerMb,
    throttleRetry: probe.local
      ? LOCAL_DURABLE_THROTTLE_RETRY
      : AWS_PARAMETERS.durable.throttleRetry,
  };
  const measuredMs = Object.fromEntries(
    DURABLE_SPANNED.map((figure) => [figure, median(samplesOf(DURABLE_SPANS[figure]))]),
  ) as Record<DurableSpan, number>;
  const spanned = durableSpannedFigures(measuredMs);
  return { durable, spanned };
}

/** durable's figures measured as spans of the durable probe, with their measured medians. */
export function durableSpannedFigures(measuredMs: Record<DurableSpan, number>): SpannedFigure[] {
  return DURABLE_SPANNED.map((figure) => ({
    what: `durable ${SPANNED[figure]}`,
    strategy: STRATEGY.durable,
    workflow: DURABLE_PROBE,
    spansOf: DURABLE_SPANS[figure],
    measuredMs: measuredMs[figure],
    // runRecordStart and lastReplay are optional: a set calibrated before them has none: 0.
    figureOf: (parameters) =>
      parameters.durable[figure] ?? { p50Ms: 0, source: "absent from the set" },
    withFigure: (parameters, value) => ({
      ...parameters,
      durable: { ...parameters.durable, [figure]: value },
    }),
  }));
}
