import { describe, expect, it } from "vitest";
import { renderMarkdown } from "../../../lib/report/markdown/renderMarkdown.js";
import { aReportDocument } from "../../helpers/reportDocument.js";

describe("Function: renderMarkdown", () => {
  it("states the verdict as bullets, with the interval it rests on", () => {
    // Act
    const markdown = renderMarkdown(aReportDocument());

    // Assess
    expect(markdown).toContain("**Verdict:**\n\n- ");
    expect(markdown).toMatch(
      /^- inline is fastest: .*; 95 % interval of the difference to the runner-up fanout: [\d,]+–[\d,]+ ms\.$/m,
    );
  });

  it("keeps every column of the table, whatever the terminal shows", () => {
    // Act
    const markdown = renderMarkdown(aReportDocument());

    // Assess
    expect(markdown).toMatch(
      /^\| strategy +\| runs warm\/cold \|.*\| efficiency \| +cost\/run \| cost\/1M runs \| status +\|$/m,
    );
  });

  it("has a section of the medians' intervals, one row per strategy", () => {
    // Act
    const markdown = renderMarkdown(aReportDocument());

    // Assess
    const start = markdown.indexOf("## How sure");
    const section = markdown.slice(start, markdown.indexOf("\n## ", start + 1));
    const rows = section
      .split("\n")
      .filter((line) => /^\| (sequential|fanout|queue|inline) /.test(line));
    expect(rows).toHaveLength(4);
    expect(rows[0]).toMatch(/\|\s+75 % \|$/);
  });
});
