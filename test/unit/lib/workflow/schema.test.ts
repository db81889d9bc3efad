import { describe, expect, it } from "vitest";
import { MAX_PAYLOAD_BYTES } from "../../../../lib/ownFunctions/functionReference.js";
import {
  MAX_RETRIES,
  MAX_TASKS,
  taskNodeSchema,
  workflowSchema,
} from "../../../../lib/workflow/schema.js";

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

  it("takes whole numbers only for retries, durationMs and outputBytes", () => {
    expect(accepts(builtIn({ retries: 1.5 }))).toBe(false);
    expect(accepts(builtIn({ durationMs: 10.5 }))).toBe(false);
    expect(accepts({ id: "q", fn: "queryData", outputBytes: 10.5 })).toBe(false);
    expect(accepts(builtIn({ durationMs: 0 }))).toBe(true);
    expect(accepts(builtIn({ durationMs: -1 }))).toBe(false);
    expect(accepts({ id: "q", fn: "queryData", outputBytes: -1 })).toBe(false);
  });

  it.each(["__proto__", "constructor", "prototype"])("refuses the id %s, naming why", (id) => {
    const parsed = taskNodeSchema.safeParse(builtIn({ id }));
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toBe(
      "is reserved: __proto__, constructor, prototype name JavaScript's object machinery",
    );
  });

  it("says what an id may hold, and what a function reference must be", () => {
    expect(taskNodeSchema.safeParse(builtIn({ id: "a.b" })).error?.issues[0]?.message).toBe(
      "use letters, digits, '_' or '-'",
    );
    expect(taskNodeSchema.safeParse(own({ function: "a b" })).error?.issues[0]?.message).toBe(
      "is not a Lambda function name, name:alias or ARN",
    );
  });

  it("takes a failure message of 1 to 500 characters", () => {
    expect(accepts(builtIn({ fail: "x" }))).toBe(true);
    expect(accepts(builtIn({ fail: "x".repeat(500) }))).toBe(true);
    expect(accepts(builtIn({ fail: "" }))).toBe(false);
    expect(accepts(builtIn({ fail: "x".repeat(501) }))).toBe(false);
  });

  it("refuses payload and inputsKey on a built-in task, and a payload key where the inputs go", () => {
    const problems = (node: object) =>
      taskNodeSchema.safeParse(node).error?.issues.map((issue) => [issue.path[0], issue.message]);
    expect(problems(builtIn({ payload: { a: 1 } }))).toEqual([
      ["payload", "applies to a node with `function` only"],
    ]);
    expect(problems(builtIn({ inputsKey: "x" }))).toEqual([
      ["inputsKey", "applies to a node with `function` only"],
    ]);
    expect(problems(own({ inputsKey: "x", payload: { x: 1 } }))?.[0]?.[0]).toBe("payload");
    expect(accepts(own({ inputsKey: null, payload: { inputs: 1 } }))).toBe(true);
    expect(problems(builtIn({ outputBytes: 10 }))?.[0]?.[1]).toBe(
      "applies to queryData only: it makes the data that dependents receive",
    );
    expect(problems({ id: "t" })?.[0]).toEqual([
      "fn",
      "set exactly one of fn (a built-in task) and function (your own Lambda)",
    ]);
  });

  it("takes a workflow of at least one task, its own retries whole, and no unknown field", () => {
    expect(workflowSchema.safeParse({ tasks: [] }).success).toBe(false);
    expect(workflowSchema.safeParse({ tasks: [builtIn()] }).success).toBe(true);
    const many = (count: number) => Array.from({ length: count }, () => builtIn());
    expect(workflowSchema.safeParse({ tasks: many(MAX_TASKS) }).success).toBe(true);
    expect(workflowSchema.safeParse({ tasks: many(MAX_TASKS + 1) }).success).toBe(false);
    expect(workflowSchema.safeParse({ tasks: [builtIn()], retries: 0.5 }).success).toBe(false);
    expect(workflowSchema.safeParse({ tasks: [builtIn()], other: 1 }).success).toBe(false);
    expect(accepts(builtIn({ other: 1 }))).toBe(false);
  });

  it("takes outputBytes on queryData only", () => {
    expect(accepts({ id: "q", fn: "queryData", outputBytes: 10 })).toBe(true);
    expect(accepts(builtIn({ outputBytes: 10 }))).toBe(false);
  });
});
