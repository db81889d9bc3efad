import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../lib/errors.js";
import { renderGantt } from "../../../lib/report/terminal/renderGantt.js";
import type { TaskReport } from "../../../lib/runReport/types.js";
import { aRunReport, aTaskReport, T0 } from "../../helpers/factories.js";

/** A 1 s run holding the given tasks, drawn 20 columns wide: one column = 50 ms. */
const chart = (...tasks: TaskReport[]) =>
  renderGantt(aRunReport({ strategy: "fanout", wallMs: 1000, tasks }), 20);

const barOf = (text: string, id: string): string => {
  const line = text.split("\n").find((candidate) => candidate.startsWith(`${id} `)) ?? "";
  return line.slice(line.indexOf("|") + 1, line.lastIndexOf("|"));
};

const span = (from: number, to: number) => ({ startedAt: T0 + from, endedAt: T0 + to });
const seen = (from: number, to: number) => ({ invokedAt: T0 + from, returnedAt: T0 + to });

describe("Function: renderGantt", () => {
  it("wraps a header that a long client-chosen run id makes wider than the terminal's 100 columns", () => {
    const report = aRunReport({ runId: "compare-20261206T152039Z-1e06-stepfunctions-17" });

    const lines = renderGantt(report, 60).split("\n");

    expect(lines[0]).toMatch(/^sequential run compare-20261206T152039Z-1e06-stepfunctions-17/);
    expect(Math.max(...lines.map((line) => line.length))).toBeLessThanOrEqual(100);
  });

  it("starts with a header naming strategy, short run id, status and timings", () => {
    // Act
    const text = renderGantt(
      aRunReport({ strategy: "fanout", wallMs: 4021, criticalPathMs: 3890 }),
    );

    // Assess
    expect(text.split("\n")[0]).toBe(
      "fanout run 3f2a9c1e succeeded: wall 4,021 ms, critical path 3,890 ms, overhead 131 ms",
    );
  });

  it("fills about half the width for a task running the first half of the run", () => {
    // Act
    const bar = barOf(chart(aTaskReport({ id: "a", ...seen(0, 500), ...span(0, 500) })), "a");

    // Assess
    expect(bar).toBe(`${"█".repeat(10)}${" ".repeat(10)}`);
  });

  it("places a task in the second half at the right columns", () => {
    const bar = barOf(chart(aTaskReport({ id: "b", ...seen(500, 1000), ...span(500, 1000) })), "b");

    expect(bar).toBe(`${" ".repeat(10)}${"█".repeat(10)}`);
  });

  it("draws the orchestrator's wait lightly around the task's own span", () => {
    const bar = barOf(chart(aTaskReport({ id: "a", ...seen(0, 500), ...span(100, 400) })), "a");

    expect(bar).toBe(`░░${"█".repeat(6)}░░${" ".repeat(10)}`);
  });

  it("marks the time a queued task waited in the queue with dots", () => {
    // Prepare
    const transport = { sentAt: T0, receivedAt: T0 + 200, completedAt: T0 + 500 };

    // Act
    const bar = barOf(
      chart(aTaskReport({ id: "q", ...seen(0, 500), ...span(200, 450), transport })),
      "q",
    );

    // Assess
    expect(bar).toBe(`····${"█".repeat(5)}░${" ".repeat(10)}`);
  });

  it("gives a very short task at least one column", () => {
    const bar = barOf(chart(aTaskReport({ id: "a", ...seen(0, 5), ...span(1, 4) })), "a");

    expect(bar).toBe(`█${" ".repeat(19)}`);
  });

  it("pads task ids so that all bars start in the same column", () => {
    // Act
    const lines = chart(aTaskReport({ id: "a" }), aTaskReport({ id: "longer-id" })).split("\n");

    // Assess
    expect(lines[1]?.indexOf("|")).toBe(lines[2]?.indexOf("|"));
  });

  it("shows a failed task with a cross and its error message after the bar", () => {
    // Prepare
    const error = { type: "TaskFailed", message: "disk full" };

    // Act
    const text = chart(aTaskReport({ id: "w", status: "failed", error }));

    // Assess
    expect(text).toMatch(/^w \|.{20}\| ✗ disk full$/m);
  });

  it("shows a timed-out task without an error message as timed out", () => {
    const text = chart(aTaskReport({ id: "w", status: "timedOut", endedAt: undefined }));

    expect(text).toMatch(/^w \|.{20}\| ✗ timed out$/m);
  });

  it("shows a skipped task with an empty bar and (skipped)", () => {
    // Prepare
    const skipped = aTaskReport({
      id: "s",
      status: "skipped",
      invokedAt: undefined,
      returnedAt: undefined,
      startedAt: undefined,
      endedAt: undefined,
    });

    // Act & Assess
    expect(chart(skipped)).toContain(`s |${" ".repeat(20)}| (skipped)`);
  });

  it("draws what it can when timestamps are missing, without throwing", () => {
    // Prepare
    const noOwnSpan = aTaskReport({ id: "a", ...seen(0, 500), endedAt: undefined });
    const noReturn = aTaskReport({
      id: "b",
      invokedAt: T0,
      returnedAt: undefined,
      ...span(0, 500),
    });

    // Act
    const text = chart(noOwnSpan, noReturn);

    // Assess
    expect(barOf(text, "a")).toBe(`${"░".repeat(10)}${" ".repeat(10)}`);
    expect(barOf(text, "b")).toBe(`${"█".repeat(10)}${" ".repeat(10)}`);
    expect(text).toMatch(/^a \|.{20}\| no span$/m);
  });

  it("clamps spans that fall outside the run to the chart", () => {
    const bar = barOf(
      chart(aTaskReport({ id: "a", ...seen(-500, 2000), ...span(-100, 1500) })),
      "a",
    );

    expect(bar).toBe("█".repeat(20));
  });

  it("draws a run with no duration as one cell per task, not as nothing (0 / 0 is NaN)", () => {
    const report = aRunReport({
      wallMs: 0,
      tasks: [aTaskReport({ id: "a", ...seen(0, 0), ...span(0, 0) })],
    });

    expect(barOf(renderGantt(report, 20), "a")).toBe(`█${" ".repeat(19)}`);
  });

  it("ends with an axis from 0 to the total ms under the bars", () => {
    // Act
    const lines = chart(aTaskReport({ id: "a" })).split("\n");
    const axis = lines.at(-2) ?? "";

    // Assess
    expect(axis.trim()).toMatch(/^0 +1,000 ms$/);
    expect(axis.indexOf("0")).toBe((lines[1]?.indexOf("|") ?? 0) + 1);
    expect(axis.length).toBe(lines[1]?.lastIndexOf("|"));
  });

  it("shows the run's error under the header when the run failed", () => {
    // Prepare
    const report = aRunReport({
      status: "failed",
      error: { taskId: "w", type: "DeadlineExceeded", message: "budget of 30 s used up" },
    });

    // Act & Assess
    expect(renderGantt(report).split("\n")[1]).toBe(
      "error: DeadlineExceeded: budget of 30 s used up",
    );
  });

  it("uses no ANSI escape codes", () => {
    // biome-ignore lint/suspicious/noControlCharactersInRegex: looking for the escape character
    expect(chart(aTaskReport())).not.toMatch(/\u001b\[/);
  });

  it("throws an InvalidInputError for a width that is not a positive integer", () => {
    expect(() => renderGantt(aRunReport(), 0)).toThrow(InvalidInputError);
    expect(() => renderGantt(aRunReport(), 2.5)).toThrow(InvalidInputError);
  });

  it("keeps a 1,000-task run readable: the first and last rows, and how many are left out", () => {
    // Arrange
    const tasks = Array.from({ length: 1000 }, (_, index) =>
      aTaskReport({ id: `t${index}`, ...seen(0, 500), ...span(0, 500) }),
    );

    // Act
    const lines = renderGantt(aRunReport({ wallMs: 1000, tasks }), 20, 40).split("\n");

    // Assess
    const rows = lines.filter((line) => /^t\d+ +\|/.test(line));
    expect(rows).toHaveLength(40);
    expect(rows[0]).toMatch(/^t0 /);
    expect(rows.at(-1)).toMatch(/^t999 /);
    expect(lines.some((line) => line.includes("... 960 more task(s)"))).toBe(true);
  });

  it("says when a task's invoke was throttled and retried", () => {
    const text = chart(
      aTaskReport({ id: "a", ...seen(0, 500), ...span(100, 500), invokeRetries: 3 }),
    );

    expect(text.split("\n").find((line) => line.startsWith("a "))).toMatch(
      /400 ms, throttled, 3 retries$/,
    );
  });
});

describe("Function: renderGantt, retried tasks", () => {
  it("notes the attempt a task succeeded on, and how many a failed one took", () => {
    const text = chart(
      aTaskReport({ id: "a", ...seen(0, 500), ...span(100, 400), attempts: 2 }),
      aTaskReport({
        id: "b",
        ...seen(0, 500),
        status: "failed",
        attempts: 3,
        error: { type: "Runtime.ExitError", message: "exited with 70" },
      }),
      aTaskReport({ id: "c", ...seen(0, 500), ...span(100, 400), attempts: 1 }),
    );

    expect(text).toMatch(/^a .*attempt 2$/m);
    expect(text).toMatch(/^b .*exited with 70 \(after 3 attempts\)$/m);
    expect(text).not.toMatch(/^c .*attempt/m);
  });
});
