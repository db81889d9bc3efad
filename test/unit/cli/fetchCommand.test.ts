import { describe, expect, it } from "vitest";
import { describeRecord } from "../../../cli/fetchCommand.js";
import { renderGantt } from "../../../lib/report/terminal/renderGantt.js";
import { aRunCost } from "../../helpers/factories.js";
import { anEndedRunRecord, aRunRecord, RUN_ID } from "../../helpers/runRecords.js";

const API = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev";

describe("Function: describeRecord", () => {
  it("prints a run under way as its status and tasks finished of the request's", () => {
    const lines = describeRecord(aRunRecord({ tasksFinished: ["queryData", "writeLog"] }), API);

    expect(lines[0]).toMatch(new RegExp(`^queue run ${RUN_ID} running: 2/3 tasks finished \\(`));
  });

  it("prints an ended run as a comparison prints one, its Gantt, with its cost and where its JSON is", () => {
    const ended = anEndedRunRecord();
    const report = ended.report;
    if (!report) throw new Error("the factory's record has a report");
    const record = { ...ended, report: { ...report, cost: aRunCost(0.0000712) } };

    const lines = describeRecord(record, API);

    expect(lines[0]).toBe(
      `queue run ${RUN_ID} succeeded (async), $0.0000712 a run (modelled at list prices)`,
    );
    expect(lines[1]).toBe(renderGantt(record.report));
    expect(lines[2]).toBe(
      `its record as JSON: curl -H "x-api-key: $LAB_API_KEY" ${API}/runs/${RUN_ID}`,
    );
  });

  it("says why a run ended without a report", () => {
    const { report: _none, ...ended } = anEndedRunRecord();
    const record = {
      ...ended,
      status: "failed" as const,
      error: { type: "Timeout", message: "lost" },
    };

    expect(describeRecord(record, API)[0]).toBe(
      `queue run ${RUN_ID} failed without a report: Timeout: lost`,
    );
  });
});
