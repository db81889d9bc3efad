/**
 * AWS list prices the cost model uses: us-east-1, first tier, free tier ignored. Each figure was
 * read from its source on the date given; re-check it there before relying on it in a claim.
 */
export const PRICES_CHECKED_ON = "2026-11";
export const PRICING_REGION = "us-east-1";

/** https://aws.amazon.com/lambda/pricing/ — duration, first tier (0–6B GB-s/month for x86). */
export const LAMBDA_USD_PER_GB_SECOND_X86 = 0.0000166667;
/** https://aws.amazon.com/lambda/pricing/ — duration, first tier (0–7.5B GB-s/month for arm64). */
export const LAMBDA_USD_PER_GB_SECOND_ARM64 = 0.0000133334;
/** https://aws.amazon.com/lambda/pricing/ — $0.20 per 1M requests. */
export const LAMBDA_USD_PER_REQUEST = 0.2 / 1_000_000;
/** Lambda bills duration rounded up to 1 ms (https://aws.amazon.com/lambda/pricing/). */
export const LAMBDA_BILLING_GRANULARITY_MS = 1;
/**
 * Since 2025-08-01 the INIT phase of on-demand ZIP functions on managed runtimes is billed like
 * the handler ("AWS Lambda standardizes billing for INIT phase", AWS Compute Blog, 2025-04-29).
 * INIT may take at most 10 s (Lambda execution environment lifecycle, "Init phase").
 */
export const LAMBDA_MAX_INIT_MS = 10_000;

/** https://aws.amazon.com/sqs/pricing/ — standard queues, $0.40 per 1M requests. */
export const SQS_USD_PER_REQUEST = 0.4 / 1_000_000;
/** https://aws.amazon.com/sqs/pricing/ — each 64 KB chunk of a payload is billed as one request. */
export const SQS_BILLING_CHUNK_BYTES = 64 * 1024;

/** https://aws.amazon.com/api-gateway/pricing/ — REST APIs, $3.50 per 1M requests (first 333M). */
export const API_GATEWAY_REST_USD_PER_REQUEST = 3.5 / 1_000_000;

/** https://aws.amazon.com/step-functions/pricing/ — Express: $1.00 per 1M requests. */
export const STEP_FUNCTIONS_EXPRESS_USD_PER_REQUEST = 1 / 1_000_000;
/** https://aws.amazon.com/step-functions/pricing/ — Express: $0.00001667 per GB-s (first 1,000 GB-h). */
export const STEP_FUNCTIONS_EXPRESS_USD_PER_GB_SECOND = 0.00001667;
/** Express duration is billed in 100 ms units and memory in 64 MB chunks (same page). */
export const STEP_FUNCTIONS_EXPRESS_BILLING_GRANULARITY_MS = 100;
export const STEP_FUNCTIONS_EXPRESS_MEMORY_CHUNK_MB = 64;
/** https://aws.amazon.com/step-functions/pricing/ — Standard: $0.025 per 1,000 state transitions. */
export const STEP_FUNCTIONS_STANDARD_USD_PER_TRANSITION = 0.025 / 1_000;

/*
 * Lambda durable functions, on top of the Lambda requests and GB-s of every replay. AWS's page
 * (https://aws.amazon.com/lambda/pricing/) renders these rates through client-side tokens, so the
 * stored copy searched on 2026-12-03 does not show them: the figures are transcriptions of that
 * page by third parties (api-evangelist/aws-lambda plans/aws-lambda-plans-pricing.yml, read from
 * the page on 2026-09-20: "Durable Functions operations ... $8.00/M"; dawnliphardt.com,
 * 2025-12: $8.00 per 1M operations, $0.25 per GB written, $0.15 per GB-month retained). Not yet
 * verified on AWS's own page: re-check there before quoting a durable cost.
 */
export const DURABLE_PRICES_SOURCE =
  "third-party transcriptions of https://aws.amazon.com/lambda/pricing/ (2025-12, 2026-09), not verified on AWS's page";
/** $8.00 per 1M durable operations (the execution, each step, child context, invoke, wait...). */
export const DURABLE_USD_PER_OPERATION = 8 / 1_000_000;
/** $0.25 per GB of data the operations write (checkpointed payloads). */
export const DURABLE_USD_PER_GB_WRITTEN = 0.25;
/** $0.15 per GB-month of data retained (for the function's retention period). */
export const DURABLE_USD_PER_GB_MONTH_RETAINED = 0.15;
/** GB as these prices count it, and a month of retention in days. */
export const DURABLE_BYTES_PER_GB = 1024 ** 3;
export const DAYS_PER_MONTH = 30;

/** What every cost figure leaves out, said once for every report. */
export const PRICING_NOTE =
  `Modelled cost, not a bill: AWS list prices for ${PRICING_REGION} (first tier, checked ${PRICES_CHECKED_ON}), ` +
  "free tier ignored; Lambda GB-s of every invocation (orchestrator wait and billed INIT included), " +
  "Lambda, API Gateway REST and SQS requests (64 KB chunks); the event source mapping's own SQS " +
  "receives/deletes are estimated (one of each per work message) and its idle polling is left out; " +
  "Step Functions Express from the billing details AWS returns (estimated from wall time at 64 MB " +
  "where none are returned, as on LocalStack), Standard per state transition counted from the " +
  "execution's history (states entered plus retries; none counted for an execution the run gave " +
  "up on); durable functions: every replay's requests and GB-s, " +
  `operations, data written and retained at ${DURABLE_PRICES_SOURCE}.`;
