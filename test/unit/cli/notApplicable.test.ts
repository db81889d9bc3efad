import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { compareCommand } from "../../helpers/compareCommand.js";

const folder = mkdtempSync(join(tmpdir(), "compare-not-applicable-"));

afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe("Command: compare, a workflow with a task fault", () => {
  it("skips inline as not applicable, with the reason, and goes on with the others", async () => {
    // Prepare: the seed's shape with a crash injected into the query (nothing runs: a forecast)
    const workflow = join(folder, "faulty.json");
    writeFileSync(
      workflow,
      JSON.stringify({
        tasks: [
          { id: "query", fn: "queryData", durationMs: 200, fault: "crash" },
          { id: "process", fn: "processData", deps: ["query"], durationMs: 200 },
        ],
      }),
    );

    // Act
    const { code, stdout } = await compareCommand([
      "--forecast-only",
      "--skip-map",
      "--workflow",
      workflow,
      "--out",
      folder,
    ]);

    // Assess
    expect(code).toBe(0);
    expect(stdout).toContain(
      "inline: not applicable: runs tasks in the orchestrator's own process: a 'crash' fault of task 'query' would take the whole run with it",
    );
    const report = JSON.parse(readFileSync(join(folder, "report.json"), "utf8"));
    expect(report.settings.strategies).not.toContain("inline");
    expect(report.notApplicable).toEqual([
      { strategy: "inline", reason: expect.stringMatching(/'crash' fault of task 'query'/) },
    ]);
  }, 60_000);
});
