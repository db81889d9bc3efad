import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../lib/errors.js";
import { parseRunRequest, parseStrategy } from "../../../lib/runRequest.js";
import { STRATEGIES } from "../../../lib/strategies/registry.js";
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

describe("Function: parseRunRequest", () => {
  it.each([undefined, null, "", "  "])("runs the seed at scale 1 for the body %j", (body) => {
    expect(parseRunRequest(body)).toEqual({ workflow: SEED_WORKFLOW, scale: 1 });
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
  ])("rejects %s, naming the field", (_case, body, field) => {
    expect(fieldOf(() => parseRunRequest(body))).toBe(field);
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
      `strategy: unknown strategy 'threads'; expected one of ${STRATEGIES.join(", ")}`,
    );
  });
});
