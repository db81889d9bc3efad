import { createHash } from "node:crypto";

/** sha256 (hex) of a value's JSON: equal digests mean the data arrived whole and unmodified. */
export function jsonDigest(value: unknown): string {
  return createHash("sha256")
    .update(JSON.stringify(value) ?? "undefined")
    .digest("hex");
}
