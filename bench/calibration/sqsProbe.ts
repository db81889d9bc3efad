/** SQS on the local stack: an API call timed from here, delivery and replies from the reports. */
import {
  CreateQueueCommand,
  DeleteQueueCommand,
  SendMessageCommand,
  SQSClient,
} from "@aws-sdk/client-sqs";
import { AWS_PARAMETERS } from "../../lib/forecast/awsParameters.js";
import type { Figure } from "../../lib/forecast/figure.js";
import { STRATEGY } from "../../lib/strategies/names.js";
import { chainWorkflow } from "../../lib/workflow/shapes.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { shift, tasksOf, warm } from "./fit.js";
import type { Probe } from "./probe.js";

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
  const queueChain = tasksOf(await probe.measured(STRATEGY.queue, chainWorkflow(6, 50))).filter(
    warm,
  );
  const deliveryToWorker = shift(
    probe.figureOf(
      queueChain.map((t) =>
        t.transport ? t.transport.receivedAt - t.transport.sentAt : Number.NaN,
      ),
      "work message sent -> worker started (queue, chain of 6)",
    ),
    apiCall.p50Ms,
    "less the send itself",
  );
  const replyDelivery = shift(
    probe.figureOf(
      queueChain.map((t) =>
        t.transport && t.returnedAt !== undefined
          ? t.returnedAt - t.transport.completedAt
          : Number.NaN,
      ),
      "completion sent -> orchestrator received it (same runs)",
    ),
    apiCall.p50Ms,
    "less the worker's send",
  );

  return { apiCall, deliveryToWorker, replyDelivery };
}
