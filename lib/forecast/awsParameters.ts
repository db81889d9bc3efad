import type { PlatformParameters } from "./parameters.js";

const BITESIZED =
  'bitesizedserverless.com, "Serverless messaging latency compared" (eu-west-1, 2022-09; producer Lambda publishes -> consumer Lambda starts, 1,024 messages)';
const SCALING_DOCS =
  'AWS Lambda developer guide, "Lambda scaling behavior" (read 2026-12): "1,000 execution environment instances every 10 seconds", per function';
const SQS_SCALING_DOCS =
  'AWS Lambda developer guide, "Configuring scaling behavior for SQS event source mappings" (read 2026-12)';
const DURABLE_710 =
  "github.com/aws/aws-durable-execution-sdk-python issue 710 (2026-09-09): JS SDK 2.4.0, Node 22, 1,024 MB x86, us-east-1, 3,000 sequential steps: median interval between steps 29 ms, p95 39 ms";

/**
 * The `aws` parameter set: what the forecast says AWS would do, from published measurements and
 * documented limits, every figure with its source. Where no published figure exists the figure is
 * an assumption, labelled as one with the range it could take, and every forecast from this set
 * lists the assumptions it rests on. This table is the only place these figures are written down
 * (the `aws` latency profile of the local stack draws from it too).
 *
 * None of the published measurements in bench/awsValidation.ts is used here: they are what
 * this set is checked against.
 */
export const AWS_PARAMETERS: PlatformParameters = {
  name: "aws",
  description:
    "AWS us-east-1, Node.js 22 on arm64, 1,024 MB (the template's): published measurements and documented limits, assumptions labelled",
  date: "2026-12-06",
  lambda: {
    invokeRequest: {
      p50Ms: 12,
      p99Ms: 40,
      source:
        "assumption: no authoritative published warm Invoke figure. Informed by a same-region EC2 -> Lambda round trip of 20-28 ms at 512-3,008 MB (github.com/brefphp/benchmarks) and a warm Lambda -> API Gateway -> Lambda round trip of 50-60 ms at most (DataDog/datadog-lambda-extension issue 181, 2023-12); bounded by SQS -> Lambda's 16.2 ms p50 end to end, which contains one invoke",
      assumption: { lowMs: 5, highMs: 30 },
    },
    invokeResponse: {
      p50Ms: 8,
      p99Ms: 30,
      source:
        "assumption: the answer's way back, the rest of the 20-28 ms same-region round trip (github.com/brefphp/benchmarks)",
      assumption: { lowMs: 3, highMs: 25 },
    },
    init: {
      task: {
        p50Ms: 129,
        p99Ms: 155,
        source:
          "github.com/maxday/lambda-perf daily data, Jul-Aug 2026: Node 22 arm64 small ZIP, 128-130 ms p50, 144-165 ms p99 (INIT only)",
      },
      orchestrator: {
        p50Ms: 375,
        p99Ms: 500,
        source:
          "speedrun.nobackspacecrew.com (2025-07): Node 22 with AWS SDK clients, ~375 ms INIT measured (p99 an assumption)",
      },
      worker: {
        p50Ms: 375,
        p99Ms: 500,
        source:
          "speedrun.nobackspacecrew.com (2025-07): Node 22 with AWS SDK clients, ~375 ms INIT measured (p99 an assumption)",
      },
    },
    coldPlacement: {
      p50Ms: 80,
      p99Ms: 250,
      source:
        "assumption: placement and code download come on top of INIT (speedrun.nobackspacecrew.com, 2024-02-14: Init Duration leaves them out; no figure published for Node)",
      assumption: { lowMs: 30, highMs: 650 },
    },
    idleReapMs: {
      value: 10 * 60_000,
      source:
        "assumption: AWS does not document how long an idle environment is kept; reports range from 5 to 60 minutes",
    },
    accountConcurrency: {
      value: 1000,
      source: "AWS Lambda quotas: 1,000 concurrent executions per region by default",
    },
    scalingPer10s: { value: 1000, source: SCALING_DOCS },
    callerCpuPerRequestMs: {
      value: 1,
      source:
        "assumption: the AWS SDK for JavaScript v3 building and signing one request, ~1 ms of a full core (this machine's orchestrators spent ~2 ms a request, LocalStack's answer parsing included)",
    },
  },
  network: {
    transferMsPerMb: {
      value: 10,
      source:
        "assumption: ~100 MB/s for a payload inside a region (a 6 MB Invoke payload adds ~60 ms)",
    },
  },
  cpu: {
    mode: "perEnvironment",
    mbPerVcpu: {
      value: 1769,
      source:
        'AWS Lambda developer guide, "Configure Lambda function memory": at 1,769 MB a function has the equivalent of one vCPU',
    },
  },
  sqs: {
    apiCall: {
      p50Ms: 8,
      p99Ms: 60,
      source:
        "assumption: AWS support's 5-10 ms of server time for SendMessage (aws/aws-sdk-js issue 3391, 2020), plus the hop",
      assumption: { lowMs: 4, highMs: 25 },
    },
    deliveryToWorker: {
      p50Ms: 16.2,
      p99Ms: 105,
      source: `${BITESIZED}: SQS standard -> Lambda, 16.2 / 33.8 / 105 ms p50 / p90 / p99`,
    },
    replyDelivery: {
      p50Ms: 10,
      p99Ms: 80,
      source:
        "assumption: a long-polling ReceiveMessage returns a message sent to it about as fast as the event source mapping's own receive (below its 16.2 ms p50, which includes an invoke)",
      assumption: { lowMs: 4, highMs: 40 },
    },
    transferMsPerMb: {
      value: 10,
      source:
        "assumption: as network.transferMsPerMb (~100 MB/s inside a region); no published per-MB time of an SQS message",
    },
    pollers: {
      initial: { value: 5, source: `${SQS_SCALING_DOCS}: "five batches at a time"` },
      addedPerMinute: {
        value: 300,
        source: `${SQS_SCALING_DOCS}: "up to 300 more instances per minute"`,
      },
      maximum: { value: 1000, source: `${SQS_SCALING_DOCS}: at most 1,000 concurrent batches` },
    },
    visibilityTimeoutMs: {
      value: 180_000,
      source:
        "serverless.yml: the work queue's visibility timeout on AWS (6x the worker's timeout)",
    },
    failedRedeliveryMs: {
      value: 1500,
      source: "lib/worker: a failed task's message is made visible again in 1-2 s",
    },
  },
  stepFunctions: {
    startExecution: {
      p50Ms: 25,
      p99Ms: 80,
      source:
        "assumption: StartSyncExecution until the first state runs: the share of Express sync -> Lambda's 77.3 ms p50 (below) before the Task state",
      assumption: { lowMs: 10, highMs: 50 },
    },
    taskDispatch: {
      p50Ms: 52,
      p99Ms: 160,
      source: `${BITESIZED}: Step Functions Express, Lambda task, 57.5 / 77.3 / 129 / 241 ms p10 / p50 / p90 / p99, less startExecution`,
    },
    taskReturn: {
      p50Ms: 15,
      p99Ms: 60,
      source: "assumption: the Lambda's answer back to the execution, no published figure",
      assumption: { lowMs: 5, highMs: 60 },
    },
    transition: {
      p50Ms: 5,
      p99Ms: 25,
      source: "assumption: a Pass or Parallel state's transition, no published figure",
      assumption: { lowMs: 1, highMs: 25 },
    },
    endExecution: {
      p50Ms: 15,
      p99Ms: 60,
      source: "assumption: the last state's end until StartSyncExecution answers",
      assumption: { lowMs: 5, highMs: 50 },
    },
    retryIntervalMs: {
      value: 1000,
      source: "lib/stepfunctions: the Task state's Retry of a failed task, IntervalSeconds 1",
    },
    standardTaskDispatch: {
      p50Ms: 74,
      p99Ms: 170,
      source: `${BITESIZED}: Step Functions Standard, Lambda task, 73 / 99.1 / 133 / 250 ms p10 / p50 / p90 / p99, less startExecution`,
    },
    payloadMsPerMb: {
      value: 0,
      source:
        "assumption: no published per-MB time of a Task's payload; its transfer (network.transferMsPerMb) is all that is counted",
    },
  },
  durable: {
    startExecution: {
      p50Ms: 30,
      p99Ms: 100,
      source: "assumption: the durable execution's start before the handler's first replay",
      assumption: { lowMs: 10, highMs: 100 },
    },
    checkpoint: { p50Ms: 29, p95Ms: 39, source: DURABLE_710 },
    runRecordStart: {
      p50Ms: 240,
      p95Ms: 340,
      source:
        "assumption: two steps, each an S3 PUT of the run's record and a checkpoint (29 ms p50, 39 ms p95: github.com/aws/aws-durable-execution-sdk-python issue 710). The PUT: 60-133 ms from Lambda to S3 in one region (kkc.github.io/2020/03/16/s3-latency, boto3, us-east-1), 100-200 ms typical by AWS's S3 performance guidelines",
      assumption: { lowMs: 180, highMs: 480 },
    },
    invokeDispatch: {
      p50Ms: 40,
      p99Ms: 150,
      source:
        "assumption: the service invoking the target after the invoke's checkpoint, an asynchronous hop (SNS -> async Lambda is 73 ms p50: bitesizedserverless.com)",
      assumption: { lowMs: 15, highMs: 120 },
    },
    resume: {
      p50Ms: 96,
      p99Ms: 200,
      source:
        "github.com/aws/aws-durable-execution-sdk-python pull 738 (2026-09-18): a coordinator resumes ~89-104 ms after the awaited operation ended (Python 2.0.1, 1,024 MB); p99 an assumption",
    },
    lastReplay: {
      p50Ms: 0,
      p99Ms: 0,
      source:
        "github.com/aws/aws-durable-execution-sdk-python pull 738: the published resume is timed to the coordinator's own code, so it already holds the invoke's way to the handler and the state's load that a local run stamps apart",
    },
    replayPerOperationMs: {
      value: 0.05,
      source:
        "assumption: replaying a stored result is a lookup in the checkpointed state (~50 µs of a core per operation)",
    },
    replayBase: {
      p50Ms: 5,
      p99Ms: 30,
      source:
        "assumption: a replay's own time besides checkpoints: the handler's start and the state's load",
      assumption: { lowMs: 2, highMs: 50 },
    },
    suspendDelay: {
      p50Ms: 20,
      p99Ms: 25,
      source:
        'github.com/aws/aws-durable-execution-sdk-js issue 492 (2026-03-27): the JS SDK suspends a replay "within ~20ms cooldown" once nothing can progress',
    },
    checkpointMsPerMb: {
      value: 0,
      source:
        "assumption: no published per-MB checkpoint time; the payload's transfer (network.transferMsPerMb) is all that is counted",
    },
    throttleRetry: {
      firstMs: {
        value: 1_000,
        source:
          'assumption: AWS does not document how the durable service retries a throttled chained invoke; taken as its asynchronous invocations do (AWS Lambda developer guide, "Asynchronous invocation": a throttled event is retried from 1 s, growing exponentially to 5 minutes, for up to 6 hours)',
      },
      maxMs: {
        value: 300_000,
        source:
          "assumption: as firstMs (asynchronous invocation's retry interval, at most 5 minutes)",
      },
    },
  },
};
