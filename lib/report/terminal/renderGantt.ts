import { InvalidInputError } from "../../errors.js";
import type { RunReport, TaskReport } from "../../runReport/types.js";
import { describeReplays } from "../text/describeReplays.js";
import { formatNumber, shortRunId } from "../text/formatNumber.js";
import { wrapText } from "../text/wrapText.js";

const ORCHESTRATOR = "░";
const QUEUED = "·";
/** Durable: the orchestrator replaying (billed), and the waits it spent suspended (not billed). */
const REPLAYING = "▓";
const SUSPENDED = "-";
const RUNNING = "█";
const FAILED = "✗";

const ms = (value: number): string => `${formatNumber(value)} ms`;

/** Maps epoch times onto the columns of a bar `width` wide spanning the run. */
function scaleFor(report: RunReport, width: number): (time: number) => number {
  const span = Math.max(report.endedAt - report.startedAt, 1);
  return (time) =>
    Math.min(Math.max(Math.round(((time - report.startedAt) / span) * width), 0), width);
}

type Paint = (from: number | undefined, to: number | undefined, char: string) => void;

function drawCells(width: number, column: (time: number) => number, draw: (paint: Paint) => void) {
  const cells: string[] = Array.from({ length: width }, () => " ");
  draw((from, to, char) => {
    if (from === undefined || to === undefined || !(to >= from)) return;
    const start = Math.min(column(from), width - 1);
    const end = Math.max(column(to), start + 1); // a span too short to see still gets a cell
    cells.fill(char, start, end);
  });
  return cells.join("");
}

function drawBar(
  task: TaskReport,
  width: number,
  column: (time: number) => number,
  waiting: string,
): string {
  return drawCells(width, column, (paint) => {
    paint(task.invokedAt, task.returnedAt, waiting);
    paint(task.transport?.sentAt, task.transport?.receivedAt, QUEUED);
    paint(task.startedAt, task.endedAt, RUNNING);
  });
}

/** A durable run's orchestrator: suspended across the run, but for its replays. */
function drawReplays(report: RunReport, width: number, column: (time: number) => number) {
  return drawCells(width, column, (paint) => {
    paint(report.startedAt, report.endedAt, SUSPENDED);
    for (const replay of report.durable?.replays ?? []) {
      paint(replay.startedAt, replay.endedAt, REPLAYING);
    }
  });
}

function outcome(task: TaskReport): string {
  switch (task.status) {
    case "skipped":
      return "(skipped)";
    case "failed":
    case "timedOut": {
      const reason = task.error?.message ?? (task.status === "timedOut" ? "timed out" : "failed");
      const attempts = (task.attempts ?? 1) > 1 ? ` (after ${task.attempts} attempts)` : "";
      return `${FAILED} ${reason}${attempts}`;
    }
    case "succeeded": {
      const own =
        task.startedAt !== undefined && task.endedAt !== undefined
          ? ms(task.endedAt - task.startedAt)
          : "no span";
      const notes = [
        own,
        ...(task.coldStart ? ["cold start"] : []),
        ...(task.invokeRetries ? [`throttled, ${task.invokeRetries} retries`] : []),
        ...((task.attempts ?? 1) > 1 ? [`attempt ${task.attempts}`] : []),
      ];
      return notes.join(", ");
    }
  }
}

/**
 * Renders one run as a plain-text Gantt chart: a line per task, time running left to right from
 * the run's start to its end.
 *
 * The gap between the light bar (the orchestrator waiting for a task) and the solid bar (the task
 * actually running) is the orchestration overhead made visible: invoke latency, cold starts, and
 * for the queue strategy the time a message sat in the queue (dotted). Plain characters only, so
 * the chart survives files and CI logs.
 *
 * @throws InvalidInputError when `width` is not a positive integer.
 * @example
 * console.log(renderGantt(report, 40));
 * // fanout run 3f2a9c1e succeeded: wall 4,021 ms, critical path 3,890 ms, overhead 131 ms
 * // query   |░███████████████████                     | 2,003 ms, cold start
 * // process |                    ░███████████████████░| 1,950 ms
 * //          0                                4,021 ms
 */
export function renderGantt(report: RunReport, width = 60, maxRows = 40): string {
  if (!Number.isInteger(width) || width < 1) {
    throw new InvalidInputError("width", `must be a positive integer, got ${width}`);
  }
  const column = scaleFor(report, width);
  const durable = report.durable;
  const orchestratorLabel = "(orchestrator)";
  const idWidth = Math.max(
    durable ? orchestratorLabel.length : 0,
    ...report.tasks.map((task) => task.id.length),
  );
  // A durable orchestrator waits suspended (not billed); the others wait billed.
  const waiting = durable ? SUSPENDED : ORCHESTRATOR;
  const header =
    `${report.strategy} run ${shortRunId(report.runId)} ${report.status}: wall ${ms(report.wallMs)}, ` +
    `critical path ${ms(report.criticalPathMs)}, overhead ${ms(report.overheadMs)}`;
  const error = report.error ? [`error: ${report.error.type}: ${report.error.message}`] : [];
  const row = (task: TaskReport) =>
    `${task.id.padEnd(idWidth)} |${drawBar(task, width, column, waiting)}| ${outcome(task)}`;
  const replays = durable
    ? [
        `${orchestratorLabel.padEnd(idWidth)} |${drawReplays(report, width, column)}| ${describeReplays(durable)}`,
      ]
    : [];
  // A wide run keeps its first and last rows: the start and the tail of the run, readable.
  const hidden = report.tasks.length - maxRows;
  const lines =
    hidden > 0
      ? [
          ...report.tasks.slice(0, Math.ceil(maxRows / 2)).map(row),
          `${"".padEnd(idWidth)}  ... ${hidden} more task(s): every task is in report.json`,
          ...report.tasks.slice(report.tasks.length - Math.floor(maxRows / 2)).map(row),
        ]
      : report.tasks.map(row);
  const total = ms(report.endedAt - report.startedAt);
  const axis = `${" ".repeat(idWidth)}  ${"0".padEnd(Math.max(width - total.length, 2))}${total}`;
  const legend = durable
    ? `${RUNNING} task running  ${REPLAYING} orchestrator replaying (billed)  ${SUSPENDED} orchestrator suspended (not billed)`
    : `${RUNNING} task running  ${ORCHESTRATOR} orchestrator waiting  ${QUEUED} queued`;
  // A client-chosen run id may be long: the header wraps to the terminal's width.
  return [...wrapText(header, { rest: "  " }), ...error, ...replays, ...lines, axis, legend].join(
    "\n",
  );
}
