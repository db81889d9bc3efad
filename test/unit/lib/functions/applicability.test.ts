import { describe, expect, it } from "vitest";
import {
  assertApplicable,
  notApplicableStrategies,
  whyNotApplicable,
} from "../../../../lib/ownFunctions/applicability.js";
import { NotApplicableError } from "../../../../lib/ownFunctions/ownFunctions.js";
import { STRATEGIES } from "../../../../lib/strategies/names.js";
import { validateWorkflow } from "../../../../lib/workflow/dag.js";
import { thrownBy } from "../../../helpers/rejection.js";

const OWN_FUNCTION = validateWorkflow({ tasks: [{ id: "get", function: "fetch" }] });
const FAULTY = validateWorkflow({
  tasks: [
    { id: "query", fn: "queryData" },
    { id: "log", fn: "writeLog", fault: "hang" },
  ],
});
const PLAIN = validateWorkflow({ tasks: [{ id: "query", fn: "queryData" }] });

describe("Function: notApplicableStrategies", () => {
  it("makes inline alone not applicable to an own function, with the reason", () => {
    expect(notApplicableStrategies(OWN_FUNCTION, STRATEGIES)).toEqual([
      { strategy: "inline", reason: expect.stringMatching(/cannot invoke a Lambda function/) },
    ]);
  });

  it("makes inline alone not applicable to a task fault, naming the task and the fault", () => {
    expect(notApplicableStrategies(FAULTY, STRATEGIES)).toEqual([
      {
        strategy: "inline",
        reason: expect.stringMatching(
          /own process: a 'hang' fault of task 'log' would take the whole run/,
        ),
      },
    ]);
  });

  it("leaves every strategy applicable to built-in tasks without a fault", () => {
    expect(notApplicableStrategies(PLAIN, STRATEGIES)).toEqual([]);
  });
});

describe("Function: assertApplicable", () => {
  it("refuses a fault under inline naming the task's fault field", () => {
    // Act
    const refusal = thrownBy(() => assertApplicable(FAULTY, "inline"));

    // Assess
    expect(refusal).toBeInstanceOf(NotApplicableError);
    expect(refusal).toMatchObject({ field: "workflow.tasks[1].fault" });
    expect(String(refusal)).toMatch(/inline runs tasks in the orchestrator's own process/);
  });

  it("refuses an own function under inline naming the task's function field", () => {
    expect(whyNotApplicable(OWN_FUNCTION, "inline")).toMatchObject({
      field: "workflow.tasks[0].function",
    });
    expect(() => assertApplicable(OWN_FUNCTION, "inline")).toThrow(NotApplicableError);
  });

  it("lets a strategy whose tasks have their own environments run a fault", () => {
    for (const strategy of STRATEGIES.filter((name) => name !== "inline")) {
      expect(() => assertApplicable(FAULTY, strategy)).not.toThrow();
    }
  });
});
