import { createHash } from "node:crypto";

/**
 * sha256 (hex) of a value's JSON, as the lab's orchestrator digests every task output
 * (lib/tasks/jsonDigest.ts at the project root): equal digests mean the data arrived whole.
 */
export function jsonDigest(value: unknown): string {
  return digestOfJson(JSON.stringify(value));
}

/** The same digest of JSON already serialised. */
export function digestOfJson(json: string): string {
  return createHash("sha256").update(json).digest("hex");
}
