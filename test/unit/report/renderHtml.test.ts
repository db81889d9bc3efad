import { describe, expect, it } from "vitest";
import { renderHtml } from "../../../lib/report/html/renderHtml.js";
import { renderScaleChart } from "../../../lib/report/html/renderScaleChart.js";
import { escapeHtml } from "../../../lib/report/html/svg.js";
import { recommend } from "../../../lib/report/recommendation.js";
import type { RunReport, StateMachineReport, TaskReport } from "../../../lib/runReport/types.js";
import { STRATEGIES } from "../../../lib/strategies/names.js";
import {
  aPayloadSweep,
  aReportDocument,
  aScaleSweep,
  aSeedRun,
} from "../../helpers/reportDocument.js";

/** The Gantt SVGs of a page by strategy. */
function ganttsOf(html: string): Map<string, string> {
  const gantts = new Map<string, string>();
  for (const match of html.matchAll(/<svg class="gantt" data-strategy="([^"]+)"[\s\S]*?<\/svg>/g)) {
    gantts.set(match[1] ?? "", match[0]);
  }
  return gantts;
}

const between = (html: string, start: string, end: string): string => {
  const from = html.indexOf(start);
  return from < 0 ? "" : html.slice(from, html.indexOf(end, from) + end.length);
};

const comparisonTable = (html: string): string =>
  between(html, '<table id="comparison">', "</table>");

const rowOf = (html: string, strategy: string): string =>
  between(comparisonTable(html), `<tr data-strategy="${strategy}">`, "</tr>");

const countOf = (text: string, pattern: RegExp): number => text.match(pattern)?.length ?? 0;

/** Every run of `document` with its tasks passed through `change`. */
const withTasks = (runs: RunReport[], change: (task: TaskReport) => TaskReport): RunReport[] =>
  runs.map((run) => ({ ...run, tasks: run.tasks.map(change) }));

describe("Function: renderHtml", () => {
  it("starts an HTML5 document with the title, the environment and the settings", () => {
    // Act
    const html = renderHtml(aReportDocument());

    // Assess
    expect(html.startsWith("<!doctype html>")).toBe(true);
    expect(html).toContain("<h1>Lambda orchestration strategies compared</h1>");
    expect(html).toContain("LocalStack 4.14.0 in host mode, measured locally");
    expect(html).toContain("scale 1");
    expect(html).toContain("3 runs per strategy + 1 warm-up");
    expect(html).toContain("3 tasks");
  });

  it("shows the verdict as bullets, a sentence each, and the pricing note", () => {
    // Prepare
    const document = aReportDocument({
      verdict: ["inline is fastest.", "inline is also cheapest."],
      pricingNote: "us-east-1 list prices.",
    });

    // Act
    const html = renderHtml(document);

    // Assess
    expect(html).toContain(
      '<ul class="verdict" id="verdict"><li>inline is fastest.</li><li>inline is also cheapest.</li></ul>',
    );
    expect(html).toContain("us-east-1 list prices.");
  });

  it("lists every alternative against the latency target, with its margin and cost a month", () => {
    // Prepare
    const base = aReportDocument();
    const recommendation = recommend({
      comparison: base.comparison,
      runs: base.runs,
      target: { percentile: 95, maxMs: 4000 },
      ratePerSecond: 10_000 / 86_400,
    });

    // Act
    const html = renderHtml({ ...base, recommendation });

    // Assess
    const start = html.indexOf('<section id="against-target">');
    const section = html.slice(start, html.indexOf("</section>", start));
    expect(section).toContain("Against p95 ≤ 4 s (p95 measured, over the runs the table uses");
    expect(section.match(/<tr data-strategy=/g)).toHaveLength(base.comparison.strategies.length);
    expect(section).toMatch(
      /<tr data-strategy="inline">.*<td>meets, \d+ to spare<\/td>.*<td>\$[\d.]+<\/td><\/tr>/,
    );
    expect(section).toMatch(/<tr data-strategy="sequential">.*<td>misses by \d+<\/td>/);
  });

  it("has no section against a target when none was given", () => {
    expect(renderHtml(aReportDocument())).not.toContain('id="against-target"');
  });

  it("renders one comparison row per strategy, in the comparison's order", () => {
    // Act
    const table = comparisonTable(renderHtml(aReportDocument()));

    // Assess
    const strategies = [...table.matchAll(/<tr data-strategy="([^"]+)">/g)].map((m) => m[1]);
    expect(strategies).toEqual(["sequential", "fanout", "queue", "inline"]);
    expect(between(table, "<thead>", "</thead>")).not.toContain("data-strategy");
  });

  it("marks the fastest and the cheapest strategy with a badge", () => {
    // Prepare
    const document = aReportDocument();
    const comparison = { ...document.comparison, fastest: "fanout", cheapest: "inline" } as const;

    // Act
    const html = renderHtml({ ...document, comparison });

    // Assess
    expect(rowOf(html, "fanout")).toContain('class="badge fastest"');
    expect(rowOf(html, "inline")).toContain('class="badge cheapest"');
    expect(countOf(comparisonTable(html), /class="badge fastest"/g)).toBe(1);
    expect(countOf(comparisonTable(html), /class="badge cheapest"/g)).toBe(1);
  });

  it("shows cost per run with significant digits and per million runs with two decimals", () => {
    // Prepare
    const document = aReportDocument();
    const [first, ...others] = document.comparison.strategies;
    if (!first) throw new Error("the builder makes four strategies");
    const costUsd = { ...first.wallMs, median: 0.0000712 };
    const strategies = [{ ...first, costUsd, costPerMillionRunsUsd: 71.2 }, ...others];

    // Act
    const html = renderHtml({ ...document, comparison: { ...document.comparison, strategies } });

    // Assess
    expect(rowOf(html, first.strategy)).toContain("<td>$0.0000712</td>");
    expect(rowOf(html, first.strategy)).toContain("<td>$71.20</td>");
  });

  it("states the basis of the speedup next to it", () => {
    // Act
    const html = renderHtml(aReportDocument());

    // Assess
    expect(rowOf(html, "fanout")).toMatch(/\d\.\d\d×<small>vs sequential<\/small>/);
  });

  it("draws a stacked cost bar per strategy and says so when a strategy has no cost data", () => {
    // Prepare
    const runs = aReportDocument().runs.map((run) => {
      if (run.strategy !== "inline") return run;
      const { cost: _cost, ...unpriced } = run;
      return unpriced;
    });

    // Act
    const html = renderHtml(aReportDocument({ runs }));

    // Assess
    const costs = between(html, '<section id="cost-breakdown">', "</section>");
    expect(countOf(costs, /<g class="cost" data-strategy=/g)).toBe(4);
    expect(between(costs, '<g class="cost" data-strategy="queue">', "</g>")).toContain("SQS");
    expect(between(costs, '<g class="cost" data-strategy="inline">', "</g>")).toContain(
      "no cost data",
    );
    expect(rowOf(html, "inline")).toContain("no cost data");
  });

  it("labels the Step Functions cost with the workflow type, and a Standard one with its transitions", () => {
    // Prepare: the seed's runs, and stepfunctions on a Standard state machine.
    const shape: StateMachineReport = {
      form: "seriesParallel",
      addedEdges: [],
      structuralDelayMs: 0,
    };
    const runs: RunReport[] = [
      ...aReportDocument().runs,
      ...[0, 3, 5].map(
        (jitterMs, index): RunReport => ({
          ...aSeedRun("stepfunctions", { runId: `sfn-${index}`, jitterMs }),
          stateMachine: { ...shape, type: "standard", transitions: 5 },
        }),
      ),
    ];

    // Act
    const html = renderHtml(aReportDocument({ runs }));

    // Assess
    const costs = between(html, '<section id="cost-breakdown">', "</section>");
    const table = between(costs, '<table class="cost-table">', "</table>");
    expect(between(table, '<tr data-strategy="stepfunctions">', "</tr>")).toContain(
      '<span class="muted state-machine-type">Standard, 5 transitions</span>',
    );
    expect(between(table, '<tr data-strategy="fanout">', "</tr>")).not.toContain(
      "state-machine-type",
    );
  });

  it("draws one Gantt per strategy with one task group per task of its median run", () => {
    // Prepare
    const document = aReportDocument();

    // Act
    const gantts = ganttsOf(renderHtml(document));

    // Assess
    expect([...gantts.keys()]).toEqual(["sequential", "fanout", "queue", "inline"]);
    for (const entry of document.comparison.strategies) {
      const run = document.runs.find((candidate) => candidate.runId === entry.medianRunId);
      const ids = [
        ...(gantts.get(entry.strategy) ?? "").matchAll(/<g class="task" data-task="([^"]+)"/g),
      ];
      expect(ids.map((match) => match[1])).toEqual(run?.tasks.map((task) => task.id));
    }
  });

  it("labels each row with the task and its deps, and links deps to dependents", () => {
    // Act
    const fanout = ganttsOf(renderHtml(aReportDocument())).get("fanout") ?? "";

    // Assess
    expect(fanout).toContain(">processData ← queryData</text>");
    expect(countOf(between(fanout, '<g class="deps">', "</g>"), /<line /g)).toBe(1);
  });

  it("shades the queue wait of queued tasks and marks cold-start tasks", () => {
    // Act
    const queue = ganttsOf(renderHtml(aReportDocument())).get("queue") ?? "";

    // Assess
    expect(countOf(queue, /class="queued"/g)).toBe(3);
    expect(queue).toMatch(/<pattern id="[^"]+-queued"/);
    const writeLog = between(queue, '<g class="task" data-task="writeLog">', "</g>");
    expect(writeLog).toContain("❄ cold");
    expect(writeLog).toContain('stroke-dasharray="4 2"');
  });

  it("draws a time axis from 0 with 4 to 8 nice ticks", () => {
    // Act
    const sequential = ganttsOf(renderHtml(aReportDocument())).get("sequential") ?? "";

    // Assess
    const axis = between(sequential, '<g class="axis">', "</g>");
    const ticks = [...axis.matchAll(/text-anchor="middle">([\d,]+)<\/text>/g)].map((m) =>
      Number((m[1] ?? "").replaceAll(",", "")),
    );
    expect(ticks[0]).toBe(0);
    expect(ticks.length).toBeGreaterThanOrEqual(4);
    expect(ticks.length).toBeLessThanOrEqual(8);
    const step = (ticks[1] ?? 0) - (ticks[0] ?? 0);
    expect([1, 2, 5]).toContain(step / 10 ** Math.floor(Math.log10(step)));
  });

  it("shows the orchestrator's memory, architecture and billed time under a Gantt's heading", () => {
    // Act
    const html = renderHtml(aReportDocument());

    // Assess
    expect(html).toMatch(/orchestrator: 1,024 MB arm64, billed [\d,]+ ms/);
  });

  it("shows a skipped task as (skipped) without bars, a failed one in the warning colour with its error", () => {
    // Prepare
    const runs = withTasks(aReportDocument().runs, (task) => {
      if (task.id === "processData") {
        const { invokedAt: _i, returnedAt: _r, startedAt: _s, endedAt: _e, ...rest } = task;
        return { ...rest, status: "skipped" };
      }
      if (task.id === "queryData") {
        return { ...task, status: "failed", error: { type: "TaskFailed", message: "disk full" } };
      }
      return task;
    });

    // Act
    const html = renderHtml(aReportDocument({ runs }));

    // Assess
    const fanout = ganttsOf(html).get("fanout") ?? "";
    const skipped = between(fanout, '<g class="task" data-task="processData">', "</g>");
    expect(skipped).toContain("(skipped)");
    expect(skipped).not.toContain("<rect x=");
    const failed = between(fanout, '<g class="task" data-task="queryData">', "</g>");
    expect(failed).toContain("✗ disk full");
    expect(failed).toMatch(/class="running" fill="#d62728"/);
    expect(html).toContain("<li><strong>queryData</strong> failed: TaskFailed: disk full</li>");
  });

  it("shows a failed run's error in its Gantt heading", () => {
    // Prepare
    const runs = aReportDocument().runs.map((run) =>
      run.strategy === "queue"
        ? {
            ...run,
            status: "failed" as const,
            error: { taskId: "writeLog", type: "Deadline", message: "run took too long" },
          }
        : run,
    );

    // Act
    const html = renderHtml(aReportDocument({ runs }));

    // Assess
    expect(html).toContain(
      '<p class="run-error">error in writeLog: Deadline: run took too long</p>',
    );
  });

  it("says so in text when a strategy's median run is not among the runs", () => {
    // Prepare
    const document = aReportDocument();
    const runs = document.runs.filter((run) => run.strategy !== "inline");

    // Act
    const html = renderHtml({ ...document, runs });

    // Assess
    expect(ganttsOf(html).has("inline")).toBe(false);
    expect(html).toMatch(/median run [^ ]+ not found/);
  });

  it("escapes a malicious task id and error message", () => {
    // Prepare
    const evilId = '<script>alert("id")</script>';
    const evilMessage = "<img src=x onerror=alert(1)> & <script>steal()</script>";
    const runs = withTasks(aReportDocument().runs, (task) =>
      task.id === "writeLog"
        ? { ...task, id: evilId, status: "failed", error: { type: "<b>", message: evilMessage } }
        : task,
    ).map((run) => ({
      ...run,
      error: { taskId: evilId, type: "TaskFailed", message: evilMessage },
    }));

    // Act
    const html = renderHtml(
      aReportDocument({ runs, verdict: ["<script>x</script>"], pricingNote: "<i>note</i>" }),
    );

    // Assess
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toContain("<img");
    expect(html).not.toContain("<i>note");
    expect(html).toContain(`data-task="${escapeHtml(evilId)}"`);
    expect(html).toContain(
      "&lt;img src=x onerror=alert(1)&gt; &amp; &lt;script&gt;steal()&lt;/script&gt;",
    );
  });

  it("writes no NaN, undefined or Infinity anywhere", () => {
    // Act
    const html = renderHtml(aReportDocument({ payloadSweep: aPayloadSweep() }));

    // Assess
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("draws a zero-length run without NaN, undefined or Infinity", () => {
    // Prepare
    const run = aSeedRun("inline");
    const zero: RunReport = {
      ...run,
      endedAt: run.startedAt,
      wallMs: 0,
      criticalPathMs: 0,
      overheadMs: 0,
      tasks: run.tasks.map((task) => ({
        ...task,
        invokedAt: run.startedAt,
        startedAt: run.startedAt,
        endedAt: run.startedAt,
        returnedAt: run.startedAt,
      })),
    };

    // Act
    const html = renderHtml(aReportDocument({ runs: [zero] }));

    // Assess
    expect(ganttsOf(html).get("inline")).toContain('<g class="task" data-task="queryData">');
    expect(html).not.toMatch(/NaN|undefined|Infinity/);
  });

  it("is self-contained: no script, no external stylesheet, font, image or import", () => {
    // Act
    const html = renderHtml(aReportDocument({ payloadSweep: aPayloadSweep() }));

    // Assess
    expect(html).not.toMatch(/<script/i);
    expect(html).not.toMatch(/(?:src|href)\s*=\s*["']?(?:https?:)?\/\//i);
    expect(html).not.toMatch(/@import/i);
    expect(html).not.toMatch(/url\(\s*["']?(?:https?:)?\/\//i);
    expect(html).toContain("<style>");
  });

  it("draws the scale chart only with a scale sweep: a line per strategy and profile, aws dashed", () => {
    const without = renderHtml(aReportDocument());
    const withSweep = renderHtml(aReportDocument({ scaleSweep: aScaleSweep() }));

    expect(without).not.toContain('id="scale-chart"');
    const chart = between(
      withSweep,
      '<svg xmlns="http://www.w3.org/2000/svg" id="scale-chart"',
      "</svg>",
    );
    for (const profile of ["local", "aws"]) {
      for (const shape of ["independent", "chain"]) {
        // every strategy that ran at two sizes or more is a line
        const lines = chart.match(
          new RegExp(`data-profile="${profile}" data-shape="${shape}"><polyline`, "g"),
        );
        expect(lines).toHaveLength(STRATEGIES.length);
      }
    }
    expect(chart.match(/<polyline[^>]*stroke-dasharray/g)?.length).toBeGreaterThan(0);
    // skipped and failed points are marked, with why on hover
    expect(chart).toContain("skipped: planned 100,000 ms");
    expect(chart).toContain("failed: Timeout: 27 s budget");
    expect(withSweep).toContain("profile aws: AWS latencies EMULATED on the local stack");
  });

  it("puts the scale chart's largest overhead below the top of its axis, not clipped to it", () => {
    const sweep = aScaleSweep();
    const largest = Math.max(...sweep.points.map((point) => point.overheadMs ?? 0));
    const chart = renderScaleChart(sweep);

    const heights = [...chart.matchAll(/<circle cx="[\d.]+" cy="([\d.]+)"/g)].map((match) =>
      Number(match[1]),
    );
    expect(largest).toBeGreaterThan(1000);
    expect(Math.min(...heights)).toBeGreaterThan(34); // the plot's top edge
    expect(chart).toContain(">10,000</text>");
  });

  it("says above the verdict when the runs had emulated AWS latency", () => {
    const document = aReportDocument();
    const emulated = {
      ...document,
      environment: {
        ...document.environment,
        latencyProfile: {
          name: "aws" as const,
          description: "profile aws: AWS latencies EMULATED",
        },
      },
    };

    const html = renderHtml(emulated);

    expect(html).toContain(
      '<p class="latency-profile emulated" id="latency-profile">profile aws: AWS latencies EMULATED</p>',
    );
    expect(html.indexOf('id="latency-profile"')).toBeLessThan(html.indexOf('id="verdict"'));
    expect(renderHtml(document)).not.toContain('id="latency-profile"');
  });

  it("draws the payload chart only when the document has a payload sweep", () => {
    // Act
    const without = renderHtml(aReportDocument());
    const withSweep = renderHtml(aReportDocument({ payloadSweep: aPayloadSweep() }));

    // Assess
    expect(without).not.toContain('id="payload-chart"');
    expect(withSweep).toContain('<svg id="payload-chart"');
    const chart = between(withSweep, '<svg id="payload-chart"', "</svg>");
    expect(countOf(chart, /<polyline /g)).toBe(4);
    for (const label of ["1 KB", "64 KB", "256 KB", "1 MB", "4 MB"]) {
      expect(chart).toContain(`>${label}</text>`);
    }
  });

  it("marks a failed payload point with a cross and its error in a tooltip", () => {
    // Act
    const html = renderHtml(aReportDocument({ payloadSweep: aPayloadSweep() }));

    // Assess
    const failed = between(html, '<g class="failed-point">', "</g>");
    expect(failed).toContain("<title>queue at 4 MB failed: InvalidParameterValue");
    expect(failed).toContain(">✗</text>");
  });

  it("lists the overhead per MB of each strategy next to the payload chart", () => {
    // Act
    const html = renderHtml(aReportDocument({ payloadSweep: aPayloadSweep() }));

    // Assess
    const table = between(html, '<table id="payload-overhead"', "</table>");
    expect(between(table, '<tr data-strategy="queue">', "</tr>")).toContain("<td>240 ms</td>");
  });
});

describe("renderHtml: a durable run", () => {
  it("draws the orchestrator's replays as billed bars and its waits as suspended, not as a billed wait", () => {
    // Prepare
    const seed = aSeedRun("durable");
    const replay = (from: number, ms: number) => ({
      startedAt: seed.startedAt + from,
      endedAt: seed.startedAt + from + ms,
      billedMs: ms,
    });
    const run: RunReport = {
      ...seed,
      durable: {
        executionArn: "a/b",
        replays: [replay(0, 40), replay(2100, 50), replay(seed.wallMs - 20, 20)],
        operations: 7,
        bytesCheckpointed: 4000,
        suspendedMs: seed.wallMs - 110,
        retentionDays: 1,
        breakEvenCriticalPathMs: 4400,
      },
    };

    // Act
    const gantt = ganttsOf(renderHtml(aReportDocument({ runs: [run] }))).get("durable") ?? "";

    // Assess
    expect(gantt.match(/class="replay"/g)).toHaveLength(3);
    expect(gantt).toContain("(orchestrator)");
    expect(gantt).toContain("3 replays, 110 ms billed");
    expect(gantt.match(/class="suspended"/g)?.length).toBe(1 + run.tasks.length);
    expect(gantt).not.toContain('class="orchestrator"');
  });
});

describe("renderHtml: how sure the medians are", () => {
  /** The seed runs with all but the median measured run of `strategy` left out. */
  const withOneRunOf = (strategy: string): RunReport[] => {
    const document = aReportDocument();
    const median = document.comparison.strategies.find((entry) => entry.strategy === strategy);
    return document.runs.filter(
      (run) =>
        run.strategy !== strategy || run.warmup === true || run.runId === median?.medianRunId,
    );
  };

  const wallIntervals = (html: string): string =>
    between(html, '<section id="wall-intervals">', "</section>");

  it("draws one error bar with two caps per strategy with more than one run, and none with one", () => {
    // Act
    const section = wallIntervals(renderHtml(aReportDocument({ runs: withOneRunOf("queue") })));

    // Assess
    const bars = [...section.matchAll(/<line class="error-bar" data-strategy="([^"]+)"/g)];
    expect(bars.map((match) => match[1])).toEqual(["sequential", "fanout", "inline"]);
    expect(countOf(section, /class="error-cap"/g)).toBe(6);
    expect(countOf(section, /<circle class="median"/g)).toBe(4);
    expect(between(section, '<g class="wall-interval" data-strategy="queue">', "</g>")).toContain(
      "one run: no interval",
    );
  });

  it("draws each bar from the interval's low to its high end, the median between", () => {
    // Act
    const section = wallIntervals(renderHtml(aReportDocument()));

    // Assess
    const bars = [
      ...section.matchAll(
        /<line class="error-bar" data-strategy="([^"]+)" x1="([\d.]+)" y1="[\d.]+" x2="([\d.]+)"[^>]*>(?:<line class="error-cap"[^>]*>){2}<circle class="median" cx="([\d.]+)"/g,
      ),
    ];
    expect(bars).toHaveLength(4);
    for (const [, strategy, low, high, median] of bars) {
      expect(Number(low), strategy).toBeLessThan(Number(high));
      expect(Number(median), strategy).toBeGreaterThanOrEqual(Number(low));
      expect(Number(median), strategy).toBeLessThanOrEqual(Number(high));
    }
  });

  it("dashes a bar that covers the median with less than 95 % and says by how much", () => {
    // Act: three runs each: min–max, 75 %
    const section = wallIntervals(renderHtml(aReportDocument()));

    // Assess
    expect(countOf(section, /class="error-bar"[^>]*stroke-dasharray/g)).toBe(4);
    expect(section).toContain("(min–max of 3: 75 %)");
  });

  it("shows the wall and the cost interval in the comparison table, a dash without one", () => {
    // Act
    const html = renderHtml(aReportDocument({ runs: withOneRunOf("queue") }));

    // Assess
    const head = between(comparisonTable(html), "<thead>", "</thead>");
    expect(head).toContain("wall 95 % CI ms");
    expect(head).toContain("cost / run 95 % CI");
    expect(rowOf(html, "fanout")).toMatch(
      /<td>[\d,]+–[\d,]+<small title="min–max of too few runs for 95 %: it covers the median with only 75 %">75 % only<\/small><\/td>/,
    );
    expect(rowOf(html, "fanout")).toMatch(/<td>\$0\.000\d+–\$0\.000\d+<small/);
    expect(countOf(rowOf(html, "queue"), /<span title="one run: no interval">—<\/span>/g)).toBe(2);
  });

  it("marks a lowest median that cannot be told apart as tentative, not as the winner", () => {
    // Prepare: inline with one run: no interval to tell it from fanout
    const html = renderHtml(aReportDocument({ runs: withOneRunOf("inline") }));

    // Act
    const row = rowOf(html, "inline");

    // Assess
    expect(row).not.toContain('class="badge fastest"');
    expect(row).toContain('class="badge tentative"');
    expect(row).toContain("fastest?");
    expect(row).toContain("no interval to tell it from fanout");
  });

  it("keeps the badge of a winner told apart from the runner-up", () => {
    expect(rowOf(renderHtml(aReportDocument()), "inline")).toContain(
      '<span class="badge fastest" title="lowest median wall">fastest</span>',
    );
  });
});
