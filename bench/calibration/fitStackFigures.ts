/**
 * The figures of the local stack's own time that no probe isolates, fitted by the model itself on
 * what the probes measured, and the hops measured as spans matched to the model's own spans: apart
 * from the probes, so that a recorded calibration can be fitted again offline.
 */
import type { PlatformParameters } from "../../lib/forecast/parameters.js";
import { STRATEGY, type StrategyName } from "../../lib/strategies/names.js";
import { wideWorkflow } from "../../lib/workflow/shapes.js";
import { describeGrowth, fitFigure, fitGrowth, type PayloadGrowth, round } from "./fit.js";
import { describeMoves, matchSpans, type SpannedFigure } from "./matchSpans.js";

export interface StackMeasurements {
  /** Where and when, for the figures' sources. */
  measuredOn: string;
  /** Median overheads of wide runs (50 ms tasks) at widths the validation suite does not hold. */
  wideRuns: Array<{ strategy: StrategyName; width: number; overheadMs: number }>;
  /** A chain of 2's overhead with a 256-byte and a 100 KB result, per strategy. */
  payloadRuns: Partial<Record<StrategyName, PayloadGrowth>>;
  spanned: SpannedFigure[];
}

/**
 * Fits, in place on `parameters`: the stack's time per SQS request and per durable operation, the
 * spanned hops, and the per-MB figures of a state, a message and a checkpoint. Returns how far
 * each spanned hop moved.
 */
export function fitStackFigures(
  parameters: PlatformParameters,
  { measuredOn, wideRuns, payloadRuns, spanned }: StackMeasurements,
): { shifts: Array<{ what: string; byMs: number }> } {
  const setting = (value: number, what: string) => ({
    value: round(value),
    source: `${measuredOn}: ${what}`,
  });
  // The stack's time per SQS request and per durable operation: the slope's first estimate is
  // replaced by the model's nearest to the wide runs, once the refused invoke's cost is known.
  const perRequestCandidates = Array.from({ length: 61 }, (_, step) => step * 0.25);
  const fittedPerRequest = (
    strategy: StrategyName,
    figure: "sqsRequestCpuMs" | "durableOperationCpuMs",
  ) => {
    const shapes = wideRuns.filter((run) => run.strategy === strategy);
    const current = parameters.stack;
    if (!current || shapes.length === 0) return;
    const value = fitFigure(
      shapes.map(({ width, overheadMs }) => ({
        strategy,
        workflow: wideWorkflow(width, 50),
        overheadMs,
      })),
      perRequestCandidates,
      (v) => ({ ...parameters, stack: { ...current, [figure]: setting(v, "") } }),
    );
    current[figure] = setting(
      value,
      `fitted: the model's nearest to ${strategy} at ${shapes.map(({ width, overheadMs }) => `${width} wide (${Math.round(overheadMs)} ms of overhead)`).join(" and ")}, 50 ms tasks`,
    );
  };
  // The hops measured as spans hold the CPU the model adds around them: matched before the
  // stack's per-request figures are fitted on them, and again after, as those move the spans.
  const before = structuredClone(parameters);
  Object.assign(parameters, matchSpans(parameters, spanned));
  fittedPerRequest(STRATEGY.queue, "sqsRequestCpuMs");
  fittedPerRequest(STRATEGY.durable, "durableOperationCpuMs");
  const matched = describeMoves(before, matchSpans(parameters, spanned), spanned);
  Object.assign(parameters, matched.parameters);
  // What a larger state or checkpoint costs beyond its transfer has no probe of its own either:
  // fitted on a chain of 2 whose first task returns 100 KB, against 256 bytes (the validation
  // suite's payload cell carries 200 KB), as the model's nearest to the growth in overhead.
  const perMbCandidates = Array.from({ length: 201 }, (_, step) => step * 10);
  type Setting = ReturnType<typeof setting>;
  const perMbFits: Array<{
    strategy: StrategyName;
    /** What the figure is of, after the growth it was fitted on ("" when nothing to add). */
    what: string;
    withFigure: (figure: Setting) => PlatformParameters;
  }> = [
    {
      strategy: STRATEGY.stepfunctions,
      what: ", the payload each way of its Task states",
      withFigure: (figure) => ({
        ...parameters,
        stepFunctions: { ...parameters.stepFunctions, payloadMsPerMb: figure },
      }),
    },
    {
      // A message through LocalStack's SQS is no Lambda payload: its per-MB time is its own.
      strategy: STRATEGY.queue,
      what: ", the payload each way a message travels",
      withFigure: (figure) => ({
        ...parameters,
        sqs: { ...parameters.sqs, transferMsPerMb: figure },
      }),
    },
    {
      strategy: STRATEGY.durable,
      what: "",
      withFigure: (figure) => ({
        ...parameters,
        durable: { ...parameters.durable, checkpointMsPerMb: figure },
      }),
    },
  ];
  for (const { strategy, what, withFigure } of perMbFits) {
    const growth = payloadRuns[strategy];
    if (!growth) continue;
    const value = fitGrowth(strategy, growth, perMbCandidates, (v) => withFigure(setting(v, "")));
    Object.assign(
      parameters,
      withFigure(
        setting(
          value,
          `fitted: the model's nearest to ${strategy}'s overhead growth from a 256-byte to a 100 KB result in a chain of 2${what} (${describeGrowth(growth)})`,
        ),
      ),
    );
  }
  return { shifts: matched.shifts };
}
