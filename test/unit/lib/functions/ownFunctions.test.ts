import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../../lib/errors.js";
import { functionEvent } from "../../../../lib/ownFunctions/functionEvent.js";
import {
  FunctionNotAllowedError,
  parseAllowList,
  resolveOwnFunctions,
} from "../../../../lib/ownFunctions/ownFunctions.js";
import { parseReportLine } from "../../../../lib/ownFunctions/reportLine.js";
import type { FunctionConfiguration } from "../../../../lib/ports.js";
import { validateWorkflow } from "../../../../lib/workflow/dag.js";
import { planRun } from "../../../../lib/workflow/plan.js";

const CONFIGURATION: FunctionConfiguration = {
  arn: "arn:aws:lambda:us-east-1:123456789012:function:fetch",
  memoryMb: 512,
  architecture: "arm64",
  timeoutS: 10,
};

const REPORT =
  "START RequestId: 1 Version: $LATEST\nEND RequestId: 1\nREPORT RequestId: 1\tDuration: 27.41 ms\tBilled Duration: 28 ms\tMemory Size: 1024 MB\tMax Memory Used: 22 MB\tInit Duration: 360.81 ms\t\n";

describe("Lambda's REPORT line", () => {
  it("gives duration, billed duration, memory, peak memory and INIT", () => {
    expect(parseReportLine(REPORT)).toEqual({
      durationMs: 27.41,
      billedMs: 28,
      memoryMb: 1024,
      maxMemoryUsedMb: 22,
      initMs: 360.81,
    });
  });

  it("has no INIT when warm, and is absent from a tail without one", () => {
    const warm = REPORT.replace("\tInit Duration: 360.81 ms", "");
    expect(parseReportLine(warm)?.initMs).toBeUndefined();
    expect(parseReportLine("START RequestId: 1\nsome log\n")).toBeUndefined();
  });
});

describe("a workflow node naming an own function", () => {
  const plan = (tasks: unknown[], strategy: "fanout" | "inline" = "fanout") =>
    planRun({ runId: "r", strategy, scale: 1, workflow: validateWorkflow({ tasks }) });

  it("takes a name, name:alias or ARN, and refuses the built-in tasks' own fields", () => {
    for (const name of ["fetch", "fetch:live", CONFIGURATION.arn]) {
      expect(() => validateWorkflow({ tasks: [{ id: "a", function: name }] })).not.toThrow();
    }
    expect(() => validateWorkflow({ tasks: [{ id: "a", function: "not a name!" }] })).toThrow(
      /tasks\[0\]\.function/,
    );
    expect(() =>
      validateWorkflow({ tasks: [{ id: "a", function: "fetch", durationMs: 5 }] }),
    ).toThrow(/tasks\[0\]\.durationMs: applies to built-in tasks only/);
    expect(() =>
      validateWorkflow({ tasks: [{ id: "a", fn: "writeLog", function: "fetch" }] }),
    ).toThrow(/exactly one of fn/);
    expect(() =>
      validateWorkflow({ tasks: [{ id: "a", function: "fetch", payload: { inputs: 1 } }] }),
    ).toThrow(/payload: has a key 'inputs'/);
  });

  it("receives its payload with the deps' outputs under inputs, another key, or the payload as is", () => {
    const inputs = { a: [1, 2] };
    expect(functionEvent({ payload: { part: 3 } }, inputs)).toEqual({ part: 3, inputs });
    expect(functionEvent({ payload: { part: 3 }, inputsKey: "deps" }, inputs)).toEqual({
      part: 3,
      deps: inputs,
    });
    expect(functionEvent({ payload: { part: 3 }, inputsKey: null }, inputs)).toEqual({ part: 3 });
  });

  it("is checked before any task starts: allow list, then existence", async () => {
    const directory = {
      describe: async (name: string) => (name === "fetch" ? CONFIGURATION : undefined),
    };
    const options = {
      allowed: parseAllowList("fetch, ghost"),
      directory: async () => directory,
    };
    const tasks = [{ id: "get", function: "fetch" }];

    const resolved = await resolveOwnFunctions(plan(tasks), options);
    expect(resolved.tasks[0]).toMatchObject({ function: "fetch", configuration: CONFIGURATION });

    await expect(
      resolveOwnFunctions(plan([{ id: "x", function: "other" }]), options),
    ).rejects.toThrow(FunctionNotAllowedError);
    const missing = await resolveOwnFunctions(
      plan([{ id: "g", function: "ghost" }]),
      options,
    ).catch((error: unknown) => error);
    expect(missing).toBeInstanceOf(InvalidInputError);
    expect(missing).toMatchObject({ field: "workflow.tasks[0].function" });
    expect(String(missing)).toMatch(/task 'g'.*deploy it first/);
  });

  it("allows none when the deploy parameter is empty, and matches names in ARNs", () => {
    expect(parseAllowList("")).toEqual(new Set());
    expect(parseAllowList(`${CONFIGURATION.arn},transform:live`)).toEqual(
      new Set(["fetch", "transform"]),
    );
  });
});
