/** SQS on the local stack: an API call timed from here, delivery and replies from the reports. */
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { AWS_PARAMETERS } from "../../lib/forecast/awsParameters.js";
import type { Figure } from "../../lib/forecast/figure.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { STRATEGY } from "../../lib/strategies/names.js";
import { chainWorkflow } from "../../lib/workflow/shapes.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { median, shift, warm } from "./fit.js";
import type { SpannedFigure } from "./matchSpans.js";
import type { Probe } from "./probe.js";

/** The queue probe: a chain of 6 x 50 ms, its warm tasks' transport read off each report. */
const QUEUE_PROBE = chainWorkflow(6, 50);
/** The orchestrator's SendMessage of a work message, timed on its own clock. */
const sendSpans = (report: RunReport) =>
  report.tasks
    .filter(warm)
    .map((t) =>
      t.transport?.acknowledgedAt === undefined
        ? Number.NaN
        : t.transport.acknowledgedAt - t.transport.sentAt,
    );
const deliverySpans = (report: RunReport) =>
  report.tasks
    .filter(warm)
    .map((t) => (t.transport ? t.transport.receivedAt - t.transport.sentAt : Number.NaN));
const replySpans = (report: RunReport) =>
  report.tasks
    .filter(warm)
    .map((t) =>
      t.transport && t.returnedAt !== undefined
        ? t.returnedAt - t.transport.completedAt
        : Number.NaN,
    );

export async function probeSqs(probe: Probe) {
  probe.log("SQS ...");
  let apiCall: Figure = AWS_PARAMETERS.sqs.apiCall;
  if (probe.local) {
    const sqs = new SQSClient(localClientOptions());
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: `calibrate-${Date.now()}` }),
    );
    const samples: number[] = [];
    for (let index = 0; index < 30; index += 1) {
      const started = performance.now();
      await sqs.send(new SendMessageCommand({ QueueUrl, MessageBody: "x".repeat(400) }));
      samples.push(performance.now() - started);
    }
    await sqs.send(new DeleteQueueCommand({ QueueUrl }));
    apiCall = probe.figureOf(samples.slice(5), "SendMessage from a Node client, round trip");
  }
  const queueChain = await probe.measured(STRATEGY.queue, QUEUE_PROBE);
  const delivered = queueChain.flatMap(deliverySpans);
  const replied = queueChain.flatMap(replySpans);
  const deliveryToWorker = shift(
    probe.figureOf(delivered, "work message sent -> worker started (queue, chain of 6)"),
    apiCall.p50Ms,
    "less the send itself",
  );
  const replyDelivery = shift(
    probe.figureOf(replied, "completion sent -> orchestrator received it (same runs)"),
    apiCall.p50Ms,
    "less the worker's send",
  );
  return {
    apiCall,
    deliveryToWorker,
    replyDelivery,
    spanned: sqsSpannedFigures({
      send: median(queueChain.flatMap(sendSpans)),
      delivery: median(delivered),
      reply: median(replied),
    }),
  };
}

/**
 * SQS's figures measured as spans of the queue probe, with their measured medians. The send
 * comes first: the delivery's and the reply's spans hold a send each. It is timed inside the
 * orchestrator, as the model's sends are made (by the orchestrator and the workers); the round
 * trip timed from this process's own client (`apiCall`'s first value) is only where it starts.
 * NaN (a deployment that does not report the send) leaves it as it was.
 */
export function sqsSpannedFigures(measuredMs: {
  send?: number;
  delivery: number;
  reply: number;
}): SpannedFigure[] {
  const spanned = (
    what: string,
    figure: "apiCall" | "deliveryToWorker" | "replyDelivery",
    spansOf: (report: RunReport) => number[],
    measured: number,
  ): SpannedFigure => ({
    what,
    strategy: STRATEGY.queue,
    workflow: QUEUE_PROBE,
    spansOf,
    measuredMs: measured,
    figureOf: (parameters) => parameters.sqs[figure],
    withFigure: (parameters, value) => ({
      ...parameters,
      sqs: { ...parameters.sqs, [figure]: value },
    }),
  });
  const { send } = measuredMs;
  return [
    ...(send !== undefined && Number.isFinite(send)
      ? [
          spanned(
            "SendMessage from a function (work message sent -> SendMessage returned)",
            "apiCall",
            sendSpans,
            send,
          ),
        ]
      : []),
    spanned(
      "SQS delivery (work message sent -> worker started)",
      "deliveryToWorker",
      deliverySpans,
      measuredMs.delivery,
    ),
    spanned(
      "reply (completion sent -> orchestrator received it)",
      "replyDelivery",
      replySpans,
      measuredMs.reply,
    ),
  ];
}
