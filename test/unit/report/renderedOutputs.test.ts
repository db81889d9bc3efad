import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import type { DecisionMap } from "../../../lib/forecast/decisionMap.js";
import type { ReportDocument } from "../../../lib/report/document.js";
import { faultSweepSchema } from "../../../lib/report/faultSweep.js";
import { renderHtml } from "../../../lib/report/html/renderHtml.js";
import { renderMarkdown } from "../../../lib/report/markdown/renderMarkdown.js";
import { recommend } from "../../../lib/report/recommendation.js";
import { renderTerminal } from "../../../lib/report/terminal/renderTerminal.js";
import type { TaskReport } from "../../../lib/runReport/types.js";
import { STRATEGIES } from "../../../lib/strategies/names.js";
import {
  aPayloadSweep,
  aReportDocument,
  aScaleSweep,
  seedRuns,
} from "../../helpers/reportDocument.js";
import { aReportForecast, aStrategyForecast } from "../../helpers/reportForecast.js";

/**
 * The renderers' whole output for documents that hold every section, against files kept beside
 * this test. The tests of each renderer check what a reader relies on; these catch every other
 * change of a character (a mutation-testing run found most of the renderers' mutants unseen by
 * those). A change meant: `npx vitest run --project unit -u test/unit/report/renderedOutputs`,
 * then read the files' diff before committing it.
 */
const golden = (name: string) => join(import.meta.dirname, "rendered", name);

const faultSweep = faultSweepSchema.parse(
  JSON.parse(
    readFileSync(
      join(import.meta.dirname, "../../../docs/results/faults-after-split-2026-12-06.json"),
      "utf8",
    ),
  ),
);

/**
 * A real decision map (test/helpers/decisionMap.ts, 3 x 3 on the aws set), kept as a file: its
 * sweep time is measured each time, and computing it for every mutant made a mutation run 3x
 * longer.
 */
const decisionMap = JSON.parse(
  readFileSync(join(import.meta.dirname, "rendered/decision-map.json"), "utf8"),
) as DecisionMap;

/** processData as the user's own function, with what its REPORT line gave. */
const asOwnFunction = (task: TaskReport): TaskReport =>
  task.id === "processData"
    ? {
        ...task,
        fn: undefined,
        function: "sales-report-local-summarizePart",
        billing: {
          memoryMb: 512,
          architecture: "arm64",
          billedMs: Math.round((task.endedAt ?? 0) - (task.startedAt ?? 0)),
          initMs: task.coldStart ? 180 : 0,
          maxMemoryUsedMb: 91,
        },
        measurement: { source: "REPORT line", measured: ["billedMs"], derived: ["startedAt"] },
      }
    : task;

function everySection(): ReportDocument {
  const base = aReportDocument({
    payloadSweep: aPayloadSweep(),
    scaleSweep: aScaleSweep(),
    faultSweep,
    notApplicable: [{ strategy: "inline", reason: "runs tasks in its own process" }],
    forecast: aReportForecast({
      strategies: STRATEGIES.map((strategy, index) =>
        aStrategyForecast(strategy, {
          p50: 4_000 + 120 * index,
          p95: 4_600 + 150 * index,
          costPerRunUsd: 0.000_02 * (index + 1),
        }),
      ),
      decisionMap,
    }),
  });
  return {
    ...base,
    recommendation: recommend({
      comparison: base.comparison,
      runs: base.runs,
      target: { percentile: 95, maxMs: 4_100 },
      ratePerSecond: 1_000_000 / 86_400,
    }),
  };
}

function ownFunctions(): ReportDocument {
  const runs = seedRuns().map((run) => ({ ...run, tasks: run.tasks.map(asOwnFunction) }));
  return aReportDocument({ runs });
}

describe("The rendered report, whole", () => {
  it.each([
    ["every section", everySection],
    ["an own function", ownFunctions],
  ])(
    "renders a document with %s to the same HTML, Markdown and terminal text",
    async (name, make) => {
      const document = make();
      const file = name.replaceAll(" ", "-");
      const wide = renderTerminal(document, { wide: true });
      const narrow = renderTerminal(document, { wide: false });

      await expect(renderHtml(document)).toMatchFileSnapshot(golden(`${file}.html`));
      await expect(renderMarkdown(document)).toMatchFileSnapshot(golden(`${file}.md`));
      await expect(
        [wide.summary, ...wide.gantts, "--- narrow ---", narrow.summary, ...narrow.gantts].join(
          "\n",
        ),
      ).toMatchFileSnapshot(golden(`${file}.txt`));
    },
  );
});
