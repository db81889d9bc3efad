import { LambdaClient } from "@aws-sdk/client-lambda";
import { SQSClient } from "@aws-sdk/client-sqs";
import { DEFAULT_LATENCY_SEED, type LatencyProfileName } from "../lib/latency/profiles.js";
import { deployExample } from "./deployExample.js";
import { deployService } from "./deployService.js";
import { findQueuesFromConfig, type LocalQueue } from "./findQueuesFromConfig.js";
import { LatencyControl } from "./latencyControl.js";
import { localClientOptions } from "./localClients.js";
import { type LocalStackHandle, startLocalStack } from "./localStack.js";
import { describeQueueScaling, parseQueueScaling } from "./pollerScaling.js";
import {
  type ResolvedServerlessConfig,
  resolveServerlessConfig,
} from "./resolveServerlessConfig.js";
import { SqsEventSourceMapping } from "./SqsEventSourceMapping.js";
import { LOCAL_REGION } from "./settings.js";
import { sqsEventSourcesFromConfig } from "./sqsEventSourcesFromConfig.js";

export interface LocalEnvironment {
  /** Base URL of the REST API through LocalStack's gateway. */
  apiUrl: string;
  /** The deployed stage's API key, for `x-api-key` (the routes are private, as on AWS). */
  apiKey?: string;
  /** The queues from serverless.yml by logical id, as the deployed stack created them. */
  queues: Map<string, LocalQueue>;
  /** Name prefix of the queue strategy's per-run reply queues (serverless.yml). */
  replyQueuePrefix: string;
  sqs: SQSClient;
  /** One line for reports: what runs where, and what it does not model. */
  description: string;
  /** The latency profile now in force: every output of a run names it. */
  readonly latencyProfile: LatencyProfileName;
  /** Switches the profile without a restart: the executor rereads its draws, from the first. */
  useLatencyProfile(profile: LatencyProfileName, seed?: number): void;
  /** Strategies this LocalStack cannot run, and why (a platform piece it does not serve). */
  unavailable: LocalStackHandle["unavailable"];
  /** An injected fault (bench:faults): while on, SQS delivers every work message twice. */
  duplicateDeliveries(on: boolean): void;
  /** Stops what it started (the event source mapping, LocalStack), within about 2 s. */
  stop(): Promise<void>;
}

/** Concurrency left for the orchestrators of the runs under way while the queue is busy. */
const ORCHESTRATOR_HEADROOM = 4;

/**
 * The local Lambda allows fewer concurrent invocations than AWS (localstack/start.sh): a mapping
 * allowed more would be throttled over and over. So the local mapping stays under what the local
 * Lambda allows, as `maximumConcurrency` keeps one under the account's concurrency on AWS.
 */
export function withinLocalConcurrency(
  maximumConcurrency: number | undefined,
  lambdaConcurrency: number | undefined,
): number | undefined {
  if (lambdaConcurrency === undefined) return maximumConcurrency;
  const localCap = Math.max(2, lambdaConcurrency - ORCHESTRATOR_HEADROOM);
  return Math.min(maximumConcurrency ?? localCap, localCap);
}

/** The reply queues' prefix from serverless.yml: an empty one would match every queue. */
export function replyQueuePrefixOf(config: ResolvedServerlessConfig): string {
  const prefix = config.provider.environment?.REPLY_QUEUE_PREFIX;
  if (typeof prefix !== "string" || prefix === "") {
    throw new Error("serverless.yml sets no provider.environment.REPLY_QUEUE_PREFIX");
  }
  return prefix;
}

export interface LocalEnvironmentOptions {
  log?: (line: string) => void;
  /** `aws` (default): AWS's poller scaling under the sqs event's maximumConcurrency; or a fixed pool. */
  queueScaling?: string;
  /** `local` (default) adds no latency; `aws` adds modelled AWS latencies (lib/latency). */
  latencyProfile?: LatencyProfileName;
  latencySeed?: number;
  /** The user's own functions the deployed service may invoke (--param invokableFunctions). */
  invokableFunctions?: readonly string[];
  /** A service of the user's own functions to deploy first (its folder, with a serverless.yml). */
  ownService?: string;
}

/**
 * The whole service in LocalStack without Docker: host-mode LocalStack 4.14.0 whose Lambda runs
 * each execution environment as a local Node process (localstack/executor), the real template
 * deployed into it (`serverless deploy --stage local`), and the project's SQS event source mapping
 * feeding the worker through LocalStack's Invoke API (LocalStack's own runs one batch at a time).
 */
export async function startLocalEnvironment(
  projectRoot: string,
  {
    log = console.error,
    queueScaling = "aws",
    latencyProfile = "local",
    latencySeed = DEFAULT_LATENCY_SEED,
    invokableFunctions = [],
    ownService,
  }: LocalEnvironmentOptions = {},
): Promise<LocalEnvironment> {
  const stops: Array<() => Promise<void>> = [];
  const stop = async () => {
    // Last started, first stopped; taken out of the list so a second stop() does nothing.
    for (const stopOne of stops.splice(0).reverse()) {
      await stopOne().catch((error) => log(String(error)));
    }
  };
  const clientOptions = localClientOptions();
  const sqs = new SQSClient(clientOptions);
  const latency = new LatencyControl(projectRoot);
  const mappings: SqsEventSourceMapping[] = [];
  try {
    latency.use(latencyProfile, latencySeed);
    log("starting LocalStack and resolving serverless.yml ...");
    const [localStack, config] = await Promise.all([
      startLocalStack(projectRoot),
      resolveServerlessConfig(projectRoot),
    ]);
    stops.push(localStack.stop);
    if (ownService) {
      log(`deploying your functions' service ${ownService} into LocalStack ...`);
      await deployExample(projectRoot, ownService);
    }
    log("deploying the service into LocalStack (serverless deploy --stage local) ...");
    const { apiUrl, apiKey } = await deployService(projectRoot, { invokableFunctions });
    const queues = await findQueuesFromConfig(config, sqs);
    // A worker batch must not be retried by the SDK: a failed batch is SQS's to redeliver.
    const lambda = new LambdaClient({ ...clientOptions, maxAttempts: 1 });
    const queueDescriptions: string[] = [];
    for (const source of sqsEventSourcesFromConfig(config)) {
      const queue = [...queues.values()].find(
        (candidate) =>
          candidate.logicalId === source.queueLogicalId || candidate.arn === source.queueArn,
      );
      if (!queue) throw new Error(`no deployed queue for the sqs event of ${source.functionKey}`);
      const scaling = parseQueueScaling(
        queueScaling,
        withinLocalConcurrency(source.maximumConcurrency, localStack.lambdaConcurrency),
      );
      queueDescriptions.push(`${source.functionKey}'s queue: ${describeQueueScaling(scaling)}`);
      const mapping = new SqsEventSourceMapping(
        {
          queueUrl: queue.url,
          queueArn: queue.arn,
          functionName: source.functionName,
          batchSize: source.batchSize,
          maximumBatchingWindowSeconds: source.maximumBatchingWindowSeconds,
          reportBatchItemFailures: source.reportBatchItemFailures,
          scaling,
          deliveryDelayMs: () => latency.nextSqsDeliveryMs(),
          region: LOCAL_REGION,
        },
        { sqs, lambda },
      );
      mapping.start();
      mappings.push(mapping);
      stops.push(() => mapping.stop());
    }
    return {
      apiUrl,
      ...(apiKey ? { apiKey } : {}),
      queues,
      replyQueuePrefix: replyQueuePrefixOf(config),
      sqs,
      description: [localStack.description, ...queueDescriptions].join("; "),
      get latencyProfile() {
        return latency.profile;
      },
      useLatencyProfile: (profile, seed = DEFAULT_LATENCY_SEED) => latency.use(profile, seed),
      unavailable: localStack.unavailable,
      duplicateDeliveries: (on) => {
        for (const mapping of mappings) mapping.duplicateDeliveries = on;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}
