import { SQS_BILLING_CHUNK_BYTES } from "./prices.js";

/** SQS bills every 64 KB chunk of a request's payload as one request: at least one per call. */
export function sqsBilledRequests(payloadBytes: number): number {
  return Math.max(1, Math.ceil(payloadBytes / SQS_BILLING_CHUNK_BYTES));
}
