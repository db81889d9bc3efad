import { describe, expect, it } from "vitest";
import { durableSpannedFigures } from "../../../bench/calibration/durableProbe.js";
import {
  matchSpans,
  modelledSpanMs,
  moveFigure,
  type SpannedFigure,
} from "../../../bench/calibration/matchSpans.js";
import { sqsSpannedFigures } from "../../../bench/calibration/sqsProbe.js";
import { logNormalOf } from "../../../lib/forecast/figure.js";
import { forecast } from "../../helpers/forecast.js";
import { fixedPlatform } from "../../helpers/forecastParameters.js";

/** A platform whose caller pays 2 ms of its own CPU per request, on top of every SQS call. */
const parameters = () =>
  fixedPlatform({
    "lambda.callerCpuPerRequestMs": 2,
    "sqs.apiCall": 3,
    "sqs.deliveryToWorker": 15,
    "sqs.replyDelivery": 4,
  });

describe("Function: matchSpans", () => {
  it("moves each spanned figure until the model's own span is the measured median", () => {
    // Prepare: measured as spans, the hops hold the caller's CPU and the call the model adds
    const spanned = sqsSpannedFigures({ delivery: 18, reply: 7 });
    const [delivery, reply] = spanned as [SpannedFigure, SpannedFigure];
    const before = parameters();
    expect(modelledSpanMs(delivery, before)).toBeGreaterThan(18);

    // Act
    const matched = matchSpans(before, spanned);

    // Assess
    expect(modelledSpanMs(delivery, matched)).toBeCloseTo(18, 1);
    expect(modelledSpanMs(reply, matched)).toBeCloseTo(7, 1);
    expect(matched.sqs.deliveryToWorker.p50Ms).toBeLessThan(15);
  });

  it("matches SendMessage to its round trip timed inside the orchestrator, before the hops that hold a send", () => {
    // Prepare: in the model the send is the caller's 2 ms of CPU, at the orchestrator's share of
    // a vCPU (1,024 of 1,769 MB: 3.46 ms), and the call (3 ms); timed inside it took 8 ms
    const spanned = sqsSpannedFigures({ send: 8, delivery: 25, reply: 12 });
    const [send, delivery, reply] = spanned as [SpannedFigure, SpannedFigure, SpannedFigure];
    expect(send.what).toMatch(/SendMessage/);
    const before = parameters();
    const callerMs = 2 / (1024 / 1769);
    expect(modelledSpanMs(send, before)).toBeCloseTo(callerMs + 3, 6);

    // Act
    const matched = matchSpans(before, spanned);

    // Assess: the call is what is left of the 8 ms, and the hops that hold one still match
    expect(matched.sqs.apiCall.p50Ms).toBeCloseTo(8 - callerMs, 1);
    expect(modelledSpanMs(send, matched)).toBeCloseTo(8, 1);
    expect(modelledSpanMs(delivery, matched)).toBeCloseTo(25, 1);
    expect(modelledSpanMs(reply, matched)).toBeCloseTo(12, 1);
  });

  it("leaves SendMessage as it was where the send was not timed inside the orchestrator", () => {
    // Act
    const spanned = sqsSpannedFigures({ send: Number.NaN, delivery: 18, reply: 7 });

    // Assess
    expect(spanned.map((figure) => figure.what)).not.toContainEqual(
      expect.stringMatching(/SendMessage/),
    );
  });

  it("leaves alone a figure whose span does not follow it", () => {
    // Prepare: a span the model reads as 5 ms whatever the figure
    const [delivery] = sqsSpannedFigures({ delivery: 40, reply: 7 }) as [SpannedFigure];
    const deaf: SpannedFigure = { ...delivery, spansOf: () => [5] };

    // Act
    const matched = matchSpans(parameters(), [deaf]);

    // Assess
    expect(matched.sqs.deliveryToWorker).toEqual(parameters().sqs.deliveryToWorker);
  });
});

describe("durable's spanned figures", () => {
  const durable = (what: string, measuredMs: Record<string, number> = {}) =>
    durableSpannedFigures({
      startExecution: 0,
      checkpoint: 10,
      invokeDispatch: 0,
      resume: 0,
      replayBase: 15,
      runRecordStart: 60,
      suspendDelay: 0,
      lastReplay: 12,
      ...measuredMs,
    }).find((figure) => figure.what === `durable ${what}`) as SpannedFigure;

  it("reads the run record's writes off the first replay alone, and a later replay without them", () => {
    // Prepare: the first replay writes the record for 50 ms before its replay (5) and checkpoint (10)
    const parameters = fixedPlatform({
      "durable.runRecordStart": 50,
      "durable.replayBase": 5,
      "durable.checkpoint": 10,
    });

    // Act: a second simulated run of the probe's chain (warm, as the probe's measured runs are),
    // read as the probe reads a measured one
    const first = durable("first replay start -> its invoke");
    const later = durable("replay start -> its invoke");
    const [, run] = forecast("durable", first.workflow, parameters, { runs: 2 });
    if (!run) throw new Error("no second run");

    // Assess
    expect(first.spansOf(run.report)).toEqual([65]);
    expect(later.spansOf(run.report)).toEqual([15, 15]);
  });

  it("moves the run record's writes until the first replay reaches its invoke when measured", () => {
    // Prepare
    const parameters = fixedPlatform({ "durable.replayBase": 5, "durable.checkpoint": 10 });
    const figure = durable("first replay start -> its invoke");

    // Act
    const matched = matchSpans(parameters, [figure]);

    // Assess
    expect(modelledSpanMs(figure, matched)).toBeCloseTo(60, 1);
    expect(matched.durable.runRecordStart?.p50Ms).toBeCloseTo(45, 1);
  });

  it("reads the last result -> the run's end, and moves the last replay's own time until it is the measured 12 ms", () => {
    // Prepare: a resume (1) and a replay (2) make 3 ms of it
    const parameters = fixedPlatform({
      "durable.resume": 1,
      "durable.replayBase": 2,
      "durable.checkpoint": 10,
    });
    const figure = durable("last result recorded -> run's end");
    expect(modelledSpanMs(figure, parameters)).toBeCloseTo(3, 6);

    // Act
    const matched = matchSpans(parameters, [figure]);

    // Assess
    expect(modelledSpanMs(figure, matched)).toBeCloseTo(12, 1);
    expect(matched.durable.lastReplay?.p50Ms).toBeCloseTo(9, 1);
  });
});

describe("Function: moveFigure", () => {
  const figure = { p50Ms: 10, p95Ms: 30, source: "test" };

  it("moved down, keeps the spread's shape (sigma): no tail of seconds over a median near 0", () => {
    // Act
    const moved = moveFigure(figure, -9.5);

    // Assess
    expect(moved.p50Ms).toBe(0.5);
    expect(moved.p95Ms).toBe(1.5);
    expect(logNormalOf(moved).sigma).toBeCloseTo(logNormalOf(figure).sigma, 6);
  });

  it("moved up, keeps the spread in ms", () => {
    // Act
    const moved = moveFigure(figure, 5);

    // Assess
    expect(moved).toEqual({ p50Ms: 15, p95Ms: 35, source: "test" });
  });

  it("never moves a median below 0.1 ms", () => {
    expect(moveFigure(figure, -50).p50Ms).toBe(0.1);
  });
});
