import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES } from "../../../../lib/ownFunctions/functionReference.js";
import { MAX_RETRIES, taskNodeSchema } from "../../../../lib/workflow/schema.js";

/**
 * The task node's limits at their edges, each a case mutation testing showed no test held: a
 * bound moved by one, or a pattern unanchored, passed the suite.
 */
const accepts = (node: object) => taskNodeSchema.safeParse(node).success;
const builtIn = (extra: object = {}) => ({ id: "t", fn: "writeLog", ...extra });
const own = (extra: object = {}) => ({ id: "t", function: "my-function", ...extra });

describe("taskNodeSchema's limits", () => {
  it(`takes retries from 0 to ${MAX_RETRIES}, nothing past either end`, () => {
    expect(accepts(builtIn({ retries: 0 }))).toBe(true);
    expect(accepts(builtIn({ retries: MAX_RETRIES }))).toBe(true);
    expect(accepts(builtIn({ retries: MAX_RETRIES + 1 }))).toBe(false);
    expect(accepts(builtIn({ retries: -1 }))).toBe(false);
  });

  it("takes an id of 1 to 64 letters, digits, '_' or '-', and nothing else anywhere in it", () => {
    expect(accepts(builtIn({ id: "a" }))).toBe(true);
    expect(accepts(builtIn({ id: "a".repeat(64) }))).toBe(true);
    expect(accepts(builtIn({ id: "a".repeat(65) }))).toBe(false);
    expect(accepts(builtIn({ id: "" }))).toBe(false);
    expect(accepts(builtIn({ id: "ab" }))).toBe(true);
    expect(accepts(builtIn({ id: "a.b" }))).toBe(false);
    expect(accepts(builtIn({ id: ".ab" }))).toBe(false);
    expect(accepts(builtIn({ id: "ab." }))).toBe(false);
  });

  it(`takes an own function's payload up to ${MAX_PAYLOAD_BYTES} bytes of JSON, not one more`, () => {
    // {"p":"..."} is 8 bytes around the string
    const payloadOf = (bytes: number) => ({ p: "x".repeat(bytes - 8) });
    expect(accepts(own({ payload: payloadOf(MAX_PAYLOAD_BYTES) }))).toBe(true);
    expect(accepts(own({ payload: payloadOf(MAX_PAYLOAD_BYTES + 1) }))).toBe(false);
  });

  it("takes outputBytes on queryData only", () => {
    expect(accepts({ id: "q", fn: "queryData", outputBytes: 10 })).toBe(true);
    expect(accepts(builtIn({ outputBytes: 10 }))).toBe(false);
  });
});
