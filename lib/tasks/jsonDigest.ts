import { createHash } from "node:crypto";

/** sha256 (hex) of a value's JSON: equal digests mean the data arrived whole and unmodified. */
export function jsonDigest(value: unknown): string {
  return digestOfJson(JSON.stringify(value));
}

/** The same digest from JSON already serialised (`undefined` for a value JSON cannot hold). */
export function digestOfJson(json: string | undefined): string {
  return createHash("sha256")
    .update(json ?? "undefined")
    .digest("hex");
}
