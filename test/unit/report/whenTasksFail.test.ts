import { describe, expect, it } from "vitest";
import type { FaultSweep } from "../../../lib/report/faultSweep.js";
import { renderHtml } from "../../../lib/report/html/renderHtml.js";
import { renderMarkdown } from "../../../lib/report/markdown/renderMarkdown.js";
import { STRATEGIES } from "../../../lib/strategies/names.js";
import { aReportDocument } from "../../helpers/reportDocument.js";

const [first, second] = STRATEGIES as [string, string];
const outcome = { started: 3, succeeded: 0, failed: 0, lost: 0, hung: 0, duplicateExecutions: 0 };
const SWEEP: FaultSweep = {
  generatedAt: "2026-12-03T19:30:00.000Z",
  environment: "LocalStack 4.14.0 in host mode",
  measured: "locally",
  settings: {
    runs: 3,
    budgetS: 40,
    taskMs: 200,
    faults: ["crash"],
    retries: [0, 2],
    strategies: [first, second],
  },
  results: [
    {
      ...outcome,
      strategy: first,
      fault: "crash",
      retries: 0,
      recovered: 0,
      failed: 3,
      throttledInvokes: 0,
      wallMs: { max: 2000 },
      reasons: [],
    },
    {
      ...outcome,
      strategy: first,
      fault: "crash",
      retries: 2,
      recovered: 3,
      throttledInvokes: 0,
      wallMs: { max: 2000 },
      reasons: [],
    },
    {
      ...outcome,
      strategy: second,
      fault: "crash",
      retries: 0,
      recovered: 0,
      notApplicable: "no environment",
      throttledInvokes: 0,
      wallMs: { max: 0 },
      reasons: [],
    },
    {
      ...outcome,
      strategy: second,
      fault: "crash",
      retries: 2,
      recovered: 2,
      duplicateExecutions: 1,
      succeeded: 1,
      throttledInvokes: 0,
      wallMs: { max: 0 },
      reasons: [],
    },
  ],
};

describe("When tasks fail, in the reports", () => {
  it("lists what each compared strategy promises, and says when there is no sweep yet", () => {
    const markdown = renderMarkdown(aReportDocument());

    expect(markdown).toContain("## When tasks fail");
    expect(markdown).toMatch(/\| sequential \| at most once with retries 0/);
    expect(markdown).toContain("No fault sweep yet: `npm run bench:faults` measures one.");
  });

  it("shows the latest sweep, measured locally, a cell per strategy, fault and retries", () => {
    const document = aReportDocument({ faultSweep: SWEEP });

    const markdown = renderMarkdown(document);
    const html = renderHtml(document);

    expect(markdown).toContain(
      "Measured locally by `npm run bench:faults` (2026-12-03T19:30:00.000Z",
    );
    expect(markdown).toContain(`| crash | 0 | 0/0/3/0/0 | n/a |`);
    expect(markdown).toContain(`| crash | 2 | 3/0/0/0/0 | 2/1/0/0/0, 1 dup |`);
    expect(html).toContain('<table id="fault-sweep">');
    expect(html).toContain('<table id="failure-modes">');
  });
});
