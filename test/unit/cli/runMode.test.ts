import { describe, expect, it } from "vitest";
import { chooseRunMode, plannedRunMs, runModesFor } from "../../../cli/runMode.js";
import type { Workflow } from "../../../lib/workflow/types.js";

/** A chain a → b (10 s each at scale 1) beside an independent c of 10 s: critical path 20 s. */
const WORKFLOW: Workflow = {
  tasks: [
    { id: "a", fn: "queryData", deps: [], durationMs: 10_000 },
    { id: "b", fn: "processData", deps: ["a"], durationMs: 10_000 },
    { id: "c", fn: "writeLog", deps: [], durationMs: 10_000 },
  ],
};

describe("Function: plannedRunMs", () => {
  it("is the critical path of the scaled durations", () => {
    expect(plannedRunMs("fanout", WORKFLOW, 1)).toBe(20_000);
    expect(plannedRunMs("queue", WORKFLOW, 1.5)).toBe(30_000);
  });

  it("is the sum of the durations for sequential, which runs one task at a time", () => {
    expect(plannedRunMs("sequential", WORKFLOW, 1)).toBe(30_000);
  });
});

describe("Function: chooseRunMode", () => {
  it("stays synchronous when the critical path fits the 27.5 s budget", () => {
    const decision = chooseRunMode({
      strategy: "fanout",
      workflow: WORKFLOW,
      scale: 1.375,
      forceAsync: false,
    });

    expect(decision).toEqual({ mode: "sync" });
  });

  it("switches to asynchronous when the critical path is over the budget, saying why in one line", () => {
    const decision = chooseRunMode({
      strategy: "fanout",
      workflow: WORKFLOW,
      scale: 1.4,
      forceAsync: false,
    });

    expect(decision.mode).toBe("async");
    expect(decision.reason).toBe(
      "fanout at scale 1.4: its critical path is 28,000 ms, longer than the 27,500 ms a synchronous request can wait: running it asynchronously",
    );
  });

  it("switches sequential sooner: its tasks run one after another", () => {
    const decision = chooseRunMode({
      strategy: "sequential",
      workflow: WORKFLOW,
      scale: 1,
      forceAsync: false,
    });

    expect(decision.mode).toBe("async");
    expect(decision.reason).toMatch(/its tasks one after another take 30,000 ms/);
  });

  it("runs asynchronously whatever the plan with --async", () => {
    const decision = chooseRunMode({
      strategy: "fanout",
      workflow: WORKFLOW,
      scale: 0.01,
      forceAsync: true,
    });

    expect(decision.mode).toBe("async");
  });
});

describe("Function: runModesFor", () => {
  it("decides per strategy and scale: the warm-up synchronous, the long measured runs not", () => {
    const modes = runModesFor({
      strategies: ["sequential", "fanout"],
      workflow: WORKFLOW,
      scales: [0.01, 1],
      forceAsync: false,
    });

    expect(modes.modeOf("sequential", 0.01)).toBe("sync");
    expect(modes.modeOf("fanout", 0.01)).toBe("sync");
    expect(modes.modeOf("sequential", 1)).toBe("async");
    expect(modes.modeOf("fanout", 1)).toBe("sync");
    expect(modes.lines).toEqual([expect.stringMatching(/^sequential at scale 1: /)]);
  });

  it("says --async once rather than for every strategy", () => {
    const modes = runModesFor({
      strategies: ["sequential", "fanout"],
      workflow: WORKFLOW,
      scales: [0.01, 1],
      forceAsync: true,
    });

    expect(modes.modeOf("fanout", 0.01)).toBe("async");
    expect(modes.lines).toHaveLength(1);
    expect(modes.lines[0]).toMatch(/--async/);
  });
});
