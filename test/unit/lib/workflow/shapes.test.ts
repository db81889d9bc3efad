import { describe, expect, it } from "vitest";
import { criticalPath, taskLevels, validateWorkflow } from "../../../../lib/workflow/dag.js";
import { chainWorkflow, wideWorkflow } from "../../../../lib/workflow/shapes.js";

describe("Function: chainWorkflow", () => {
  it("puts n tasks one after another: n levels, a critical path of n durations", () => {
    const chain = validateWorkflow(chainWorkflow(4, 250, "queryData"), "workflow");

    expect(chain.tasks.map((task) => task.deps)).toEqual([[], ["t0"], ["t1"], ["t2"]]);
    expect(new Set(chain.tasks.map((task) => task.fn))).toEqual(new Set(["queryData"]));
    expect(Math.max(...taskLevels(chain).values())).toBe(3);
    expect(criticalPath(chain, (task) => task.durationMs ?? 0).lengthMs).toBe(1000);
  });
});

describe("Function: wideWorkflow", () => {
  it("puts n independent tasks on one level: a critical path of one duration", () => {
    const wide = validateWorkflow(wideWorkflow(5, 100), "workflow");

    expect(wide.tasks).toHaveLength(5);
    expect(wide.tasks.every((task) => task.deps.length === 0 && task.fn === "writeLog")).toBe(true);
    expect(criticalPath(wide, (task) => task.durationMs ?? 0).lengthMs).toBe(100);
  });
});
