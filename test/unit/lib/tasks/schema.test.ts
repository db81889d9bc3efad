import { describe, expect, it } from "vitest";
import { taskRequestSchema } from "../../../../lib/tasks/schema.js";

const request = {
  runId: "run-1",
  taskId: "summarise",
  fn: "processData",
  durationMs: 2000,
  kind: "io",
} as const;

describe("Schema: taskRequestSchema", () => {
  it("keeps inputs keyed by dep id as they are", () => {
    const inputs = { fetch: [1, 2], "log-2": "logged" };

    const parsed = taskRequestSchema.parse({ ...request, inputs });

    expect(parsed).toStrictEqual({ ...request, inputs });
  });

  it("puts inputs keyed by position back under their deps' ids, and drops inputIds", () => {
    const parsed = taskRequestSchema.parse({
      ...request,
      inputs: { t0: [1, 2], t4: "logged" },
      inputIds: { t0: "fetch", t4: "log-2" },
    });

    expect(parsed).toStrictEqual({ ...request, inputs: { fetch: [1, 2], "log-2": "logged" } });
  });

  it.each([
    ["an input with no dep id", { t0: 1, t1: 2 }, { t0: "a" }, ["inputs", "t1"]],
    ["a dep id with no input", { t0: 1 }, { t0: "a", t1: "b" }, ["inputIds", "t1"]],
    ["one dep id for two inputs", { t0: 1, t1: 2 }, { t0: "a", t1: "a" }, ["inputIds", "t1"]],
  ])("refuses %s, naming the field", (_, inputs, inputIds, path) => {
    const parsed = taskRequestSchema.safeParse({ ...request, inputs, inputIds });

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path)).toEqual([path]);
  });
});
