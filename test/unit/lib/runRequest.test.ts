import { describe, expect, it } from "vitest";
import { InvalidInputError, RequestTooLargeError } from "../../../lib/errors.js";
import { MAX_RUN_REQUEST_BYTES, parseRunRequest, parseStrategy } from "../../../lib/runRequest.js";
import { STRATEGIES } from "../../../lib/strategies/names.js";
import { SEED_WORKFLOW } from "../../../lib/workflow/defaults.js";

function fieldOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.field;
    throw error;
  }
  throw new Error("expected an InvalidInputError");
}

function problemOf(action: () => unknown): string {
  try {
    action();
  } catch (error) {
    if (error instanceof InvalidInputError) return error.problem;
    throw error;
  }
  throw new Error("expected an InvalidInputError");
}

const oneTask = (task: Record<string, unknown>) =>
  JSON.stringify({ workflow: { tasks: [{ id: "a", fn: "writeLog", ...task }] } });

describe("Function: parseRunRequest", () => {
  it("runs the seed at scale 1 for an empty object", () => {
    expect(parseRunRequest("{}")).toEqual({ workflow: SEED_WORKFLOW, scale: 1 });
  });

  it.each([undefined, null, "", "  "])("refuses the empty body %j, naming `body`", (body) => {
    expect(() => parseRunRequest(body)).toThrow("body: is empty; send a JSON object");
  });

  it("refuses a body over 1 MiB, counting UTF-8 bytes, before parsing it", () => {
    // 'é' is two bytes: the characters are within the limit, the bytes are not.
    const body = `{"pad":"${"é".repeat(512 * 1024 + 1)}"}`;

    expect(MAX_RUN_REQUEST_BYTES).toBe(1024 * 1024);
    expect(() => parseRunRequest(body)).toThrow(RequestTooLargeError);
    expect(() => parseRunRequest(body)).toThrow(
      "body: is 1,048,588 bytes, over the limit of 1,048,576 bytes",
    );
  });

  it("reads a workflow and a scale", () => {
    const workflow = { tasks: [{ id: "a", fn: "writeLog", deps: [] }] };

    expect(parseRunRequest(JSON.stringify({ workflow, scale: 0.1 }))).toEqual({
      workflow,
      scale: 0.1,
    });
  });

  it.each([
    ["malformed JSON", "{oops", "body"],
    ["a zero scale", JSON.stringify({ scale: 0 }), "body.scale"],
    ["a scale above 10", JSON.stringify({ scale: 11 }), "body.scale"],
    ["a string scale", JSON.stringify({ scale: "fast" }), "body.scale"],
    ["an unknown property", JSON.stringify({ strategy: "fanout" }), "body"],
    ["a JSON array", "[]", "body"],
    [
      "a bad workflow",
      JSON.stringify({ workflow: { tasks: [{ id: "a", fn: "x" }] } }),
      "workflow.tasks[0].fn",
    ],
    ["NaN, which JSON does not have", '{"scale":NaN}', "body"],
    ["1e309, which JSON.parse makes Infinity", '{"scale":1e309}', "body.scale"],
    ["a negative zero scale", '{"scale":-0}', "body.scale"],
    ["a number sent as a string", oneTask({ durationMs: "100" }), "workflow.tasks[0].durationMs"],
    ["a fractional duration", oneTask({ durationMs: 1.5 }), "workflow.tasks[0].durationMs"],
    ["a shell command as fn", oneTask({ fn: "rm -rf" }), "workflow.tasks[0].fn"],
    [
      "a negative outputBytes",
      oneTask({ fn: "queryData", outputBytes: -1 }),
      "workflow.tasks[0].outputBytes",
    ],
    [
      "10,000 tasks",
      JSON.stringify({
        workflow: {
          tasks: Array.from({ length: 10_000 }, (_, i) => ({ id: `t${i}`, fn: "writeLog" })),
        },
      }),
      "workflow.tasks",
    ],
    ["a string body", '"run it"', "body"],
    ["null", "null", "body"],
  ])("rejects %s, naming the field", (_case, body, field) => {
    expect(fieldOf(() => parseRunRequest(body))).toBe(field);
  });

  it.each([
    ["durationMs", 1e308, "Too big: expected number to be <=900000"],
    ["outputBytes", 1e308, "Too big: expected number to be <=8388608"],
  ])("names the schema's bound, not the safe-integer one, for %s %d", (field, value, problem) => {
    const body = oneTask({ fn: "queryData", [field]: value });

    expect(problemOf(() => parseRunRequest(body))).toBe(problem);
  });

  it("reads a negative zero duration as 0", () => {
    expect(parseRunRequest(oneTask({ durationMs: -0 })).workflow.tasks[0]?.durationMs).toBe(0);
  });

  it.each(["__proto__", "constructor", "prototype"])(
    "refuses the task id %s, which would collide with JavaScript's object machinery",
    (id) => {
      const body = JSON.stringify({
        workflow: {
          tasks: [
            { id, fn: "queryData" },
            { id: "p", fn: "processData", deps: [id] },
          ],
        },
      });

      expect(fieldOf(() => parseRunRequest(body))).toBe("workflow.tasks[0].id");
      expect(problemOf(() => parseRunRequest(body))).toMatch(/^is reserved/);
    },
  );

  it("names at most five unknown keys, each cut short, and counts the rest", () => {
    const keys = [`${"x".repeat(100)}`, ...Array.from({ length: 6 }, (_, i) => `k${i}`)];
    const body = JSON.stringify(Object.fromEntries(keys.map((key) => [key, 1])));

    expect(problemOf(() => parseRunRequest(body))).toBe(
      `unknown keys "${"x".repeat(40)}"… (100 characters), "k0", "k1", "k2", "k3" and 2 more`,
    );
  });
});

describe("Function: parseRunRequest, stateMachineForm", () => {
  it("takes the level-by-level form for the stepfunctions strategy, and nothing else", () => {
    expect(parseRunRequest('{"stateMachineForm":"levels"}').stateMachineForm).toBe("levels");
    expect(parseRunRequest("{}").stateMachineForm).toBeUndefined();
    expect(() => parseRunRequest('{"stateMachineForm":"random"}')).toThrow("body.stateMachineForm");
  });
});

describe("Function: parseStrategy", () => {
  it("accepts every strategy", () => {
    for (const name of STRATEGIES) expect(parseStrategy(name)).toBe(name);
  });

  it("rejects an unknown one, listing the known ones", () => {
    expect(() => parseStrategy("threads")).toThrow(
      `strategy: unknown strategy "threads"; expected one of ${STRATEGIES.join(", ")}`,
    );
  });

  it("quotes a long unknown name only in part", () => {
    expect(() => parseStrategy("s".repeat(10_000))).toThrow(
      `unknown strategy "${"s".repeat(40)}"… (10,000 characters)`,
    );
  });
});
