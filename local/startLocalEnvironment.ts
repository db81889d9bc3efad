import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { createHttpHandler } from "../adapters/clients.js";
import { createQueuesFromConfig, type LocalQueue } from "./createQueuesFromConfig.js";
import { type LocalStackHandle, startLocalStack } from "./localStack.js";
import { assertOfflinePortsFree, startOffline } from "./offline.js";
import { resolveServerlessConfig } from "./resolveServerlessConfig.js";
import { SqsEventSourceMapping } from "./SqsEventSourceMapping.js";
import { LOCAL_AWS_ENV, LOCAL_CREDENTIALS, LOCAL_REGION, LOCALSTACK_ENDPOINT } from "./settings.js";
import { sqsEventSourcesFromConfig } from "./sqsEventSourcesFromConfig.js";

export interface LocalEnvironment {
  /** Base URL of the REST API, e.g. http://127.0.0.1:3000/local */
  apiUrl: string;
  /** Present when LocalStack's SQS is up: the queues from serverless.yml by logical id. */
  queues?: Map<string, LocalQueue>;
  /** Why the queue strategy is unavailable, when it is. */
  queueUnavailable?: string;
  sqs: SQSClient;
  stop(): Promise<void>;
}

/**
 * The whole local stack without Docker: LocalStack's SQS (queues created from serverless.yml),
 * serverless-offline running the handlers, and a local event source mapping feeding the worker.
 * With `requireQueue` false a LocalStack that cannot start only disables the queue strategy.
 */
export async function startLocalEnvironment(
  projectRoot: string,
  {
    requireQueue = true,
    log = console.error,
  }: { requireQueue?: boolean; log?: (line: string) => void } = {},
): Promise<LocalEnvironment> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    // Last started, first stopped; taken out of the list so a second stop() does nothing.
    for (const stopOne of stops.splice(0).reverse()) {
      await stopOne().catch((error) => log(String(error)));
    }
  };
  const sqs = new SQSClient({
    region: LOCAL_REGION,
    endpoint: LOCALSTACK_ENDPOINT,
    credentials: LOCAL_CREDENTIALS,
    requestHandler: createHttpHandler(),
  });
  // Before anything starts: a taken port should fail in a second, not after LocalStack is up.
  await assertOfflinePortsFree();
  try {
    log("starting LocalStack (SQS) and resolving serverless.yml ...");
    const [localStack, config] = await Promise.all([
      startLocalStack(projectRoot).catch((error: Error): LocalStackHandle | Error => error),
      resolveServerlessConfig(projectRoot),
    ]);
    let queues: Map<string, LocalQueue> | undefined;
    let queueUnavailable: string | undefined;
    if (localStack instanceof Error) {
      if (requireQueue) throw localStack;
      queueUnavailable = localStack.message.split("\n").slice(-1)[0] ?? localStack.message;
      log(`LocalStack unavailable, the queue strategy is skipped: ${queueUnavailable}`);
    } else {
      stops.push(localStack.stop);
      queues = await createQueuesFromConfig(config, sqs);
    }

    log("starting serverless-offline ...");
    const offline = await startOffline(projectRoot);
    stops.push(offline.stop);

    if (queues) {
      const lambda = new LambdaClient({
        region: LOCAL_REGION,
        endpoint: LOCAL_AWS_ENV.AWS_ENDPOINT_URL_LAMBDA,
        credentials: LOCAL_CREDENTIALS,
        requestHandler: createHttpHandler(),
        // A worker batch must not be retried by the SDK: a failed batch is SQS's to redeliver.
        maxAttempts: 1,
      });
      for (const source of sqsEventSourcesFromConfig(config)) {
        const queue = [...queues.values()].find(
          (candidate) =>
            candidate.logicalId === source.queueLogicalId || candidate.arn === source.queueArn,
        );
        if (!queue) throw new Error(`no local queue for the sqs event of ${source.functionKey}`);
        const mapping = new SqsEventSourceMapping(
          {
            queueUrl: queue.url,
            queueArn: queue.arn,
            functionName: source.functionName,
            batchSize: source.batchSize,
            maximumBatchingWindowSeconds: source.maximumBatchingWindowSeconds,
            reportBatchItemFailures: source.reportBatchItemFailures,
            region: LOCAL_REGION,
          },
          { sqs, lambda },
        );
        mapping.start();
        stops.push(() => mapping.stop());
      }
    }
    return {
      apiUrl: offline.apiUrl,
      ...(queues ? { queues } : {}),
      ...(queueUnavailable ? { queueUnavailable } : {}),
      sqs,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
