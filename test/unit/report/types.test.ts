import { describe, expect, it } from "vitest";
import { runReportSchema } from "../../../lib/runReport/types.js";
import { aRunReport } from "../../helpers/factories.js";

const SHAPE = { form: "seriesParallel", addedEdges: [], structuralDelayMs: 0 } as const;
const USAGE = { apiGatewayRequests: 1, lambda: [], sqsRequests: { counted: 0, estimated: 0 } };

/** A stepfunctions report (as report.json holds it) with these state machine and usage parts. */
const aStepFunctionsReport = (stateMachine: unknown, stepFunctions: unknown) =>
  JSON.parse(
    JSON.stringify({
      ...aRunReport({ strategy: "stepfunctions" }),
      stateMachine,
      usage: { ...USAGE, stepFunctions },
    }),
  );

describe("Schema: runReportSchema, the stateMachine and Step Functions usage parts", () => {
  it("reads a Standard run: its type, its transitions, and its usage priced by transition", () => {
    const parsed = runReportSchema.parse(
      aStepFunctionsReport({ ...SHAPE, type: "standard", transitions: 5 }, [
        { type: "standard", transitions: 5 },
      ]),
    );

    expect(parsed.stateMachine).toEqual({ ...SHAPE, type: "standard", transitions: 5 });
    expect(parsed.usage?.stepFunctions).toEqual([{ type: "standard", transitions: 5 }]);
  });

  it("reads a report made before Standard could run: no type anywhere, Express", () => {
    const billing = { billedDurationMs: 4100, billedMemoryMb: 64 };

    const parsed = runReportSchema.parse(
      aStepFunctionsReport({ ...SHAPE, billing }, [{ ...billing, estimated: true }]),
    );

    expect(parsed.stateMachine).toEqual({ ...SHAPE, billing });
    expect(parsed.stateMachine?.type).toBeUndefined();
    expect(parsed.usage?.stepFunctions).toEqual([{ ...billing, estimated: true }]);
  });

  it("refuses a workflow type Step Functions does not have, naming the field", () => {
    const parsed = runReportSchema.safeParse(aStepFunctionsReport({ ...SHAPE, type: "turbo" }, []));

    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues.map((issue) => issue.path.join("."))).toEqual([
      "stateMachine.type",
    ]);
  });

  it("refuses Standard usage without its transitions, and Express usage without its billing", () => {
    for (const usage of [{ type: "standard" }, { type: "express", billedMemoryMb: 64 }]) {
      const parsed = runReportSchema.safeParse(aStepFunctionsReport(SHAPE, [usage]));

      expect(parsed.success).toBe(false);
      expect(parsed.error?.issues[0]?.path.join(".")).toBe("usage.stepFunctions.0");
    }
  });
});
