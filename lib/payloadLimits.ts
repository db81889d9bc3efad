import { PayloadTooLargeError } from "./errors.js";

export interface PayloadLimit {
  name: string;
  bytes: number;
}

/** Lambda API reference, Invoke: 6 MB request and 6 MB response for synchronous invocations. */
export const LAMBDA_SYNC_INVOKE_LIMIT: PayloadLimit = {
  name: "Lambda synchronous invoke payload (6 MB)",
  bytes: 6 * 1024 * 1024,
};

/**
 * SQS developer guide, quotas: 1 MiB per message, body and attributes (raised from 256 KiB,
 * What's New 2025-08-04). LocalStack 4.14.0 defaults MaximumMessageSize to the same 1,048,576.
 */
export const SQS_MESSAGE_LIMIT: PayloadLimit = {
  name: "SQS message size (1 MiB)",
  bytes: 1024 * 1024,
};

/** Step Functions quotas: 256 KB per state input/output, task and execution (262,144 bytes). */
export const STEP_FUNCTIONS_PAYLOAD_LIMIT: PayloadLimit = {
  name: "Step Functions payload (256 KB)",
  bytes: 256 * 1024,
};

/** UTF-8 size of a string, as the platforms count it. */
export function byteLength(text: string): number {
  return Buffer.byteLength(text, "utf8");
}

/** Throws a PayloadTooLargeError naming `what` and the limit when `bytes` exceeds it. */
export function assertWithinLimit(what: string, bytes: number, limit: PayloadLimit): void {
  if (bytes > limit.bytes) throw new PayloadTooLargeError(what, bytes, limit);
}

/**
 * Lambda durable functions: 256 KB per checkpointed operation payload (an invoke's input, its
 * result). AWS's durable execution SDK for Rust, LIMITS.md (docs.rs durable-execution-sdk,
 * read 2026-12-02); Lambda's quotas page did not list its durable section in the stored copy.
 */
export const DURABLE_CHECKPOINT_PAYLOAD_LIMIT: PayloadLimit = {
  name: "durable checkpoint payload (256 KB)",
  bytes: 256 * 1024,
};
