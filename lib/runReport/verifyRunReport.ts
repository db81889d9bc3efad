import { DEFAULT_OUTPUT_BYTES } from "../tasks/catalog.js";
import { jsonDigest } from "../tasks/jsonDigest.js";
import { buildRecordSet } from "../tasks/recordSet.js";
import type { ProcessedData } from "../tasks/runTask.js";
import type { Workflow } from "../workflow/types.js";
import type { RunReport } from "./types.js";

/**
 * What a report proves about the run it answers:
 * - `complete`: every task of the request is in it, settled, and nothing else is;
 * - `crossTalk`: something in it belongs to another run (a task id, or data whose digest is not
 *   what this run's tasks produce) — the one thing a shared queue or a reused Lambda must never do.
 */
export interface RunVerdict {
  complete: boolean;
  crossTalk: boolean;
  /** Each finding in one line, for the benchmark's log. */
  findings: string[];
}

/** What each task's output must be, as far as it can be known before the run (queryData's depends on the run id). */
function expectedOutputDigest(
  fn: Workflow["tasks"][number]["fn"],
  runId: string,
  outputBytes: number | undefined,
): string | undefined {
  if (fn === "queryData")
    return jsonDigest(buildRecordSet(runId, outputBytes ?? DEFAULT_OUTPUT_BYTES));
  if (fn === "writeLog") return jsonDigest("logged");
  return undefined;
}

/**
 * Checks a succeeded or failed report against the workflow that was sent: complete, and the data
 * flowed from each task to its dependents unmixed. queryData's records carry the run id, so a
 * completion delivered to the wrong run shows as a digest that does not match; processData reports
 * the digest of each input it received, which must be its dep's `outputDigest`.
 */
export function verifyRunReport(workflow: Workflow, report: RunReport): RunVerdict {
  const findings: string[] = [];
  const sent = new Map(workflow.tasks.map((task) => [task.id, task]));
  const reported = new Map(report.tasks.map((task) => [task.id, task]));
  let crossTalk = false;
  let complete = true;

  for (const id of reported.keys()) {
    if (!sent.has(id)) {
      crossTalk = true;
      findings.push(`task ${id} is not in this run's workflow`);
    }
  }
  for (const node of workflow.tasks) {
    const task = reported.get(node.id);
    if (!task) {
      complete = false;
      findings.push(`task ${node.id} is missing from the report`);
      continue;
    }
    if (task.status !== "succeeded") {
      if (report.status === "succeeded") {
        complete = false;
        findings.push(`task ${node.id} is ${task.status} in a succeeded run`);
      }
      continue;
    }
    const expected = expectedOutputDigest(node.fn, report.runId, node.outputBytes);
    if (expected !== undefined && task.outputDigest !== expected) {
      crossTalk = true;
      findings.push(`task ${node.id}'s output is not this run's`);
    }
    if (node.fn === "processData") {
      const digests = (task.output as ProcessedData | undefined)?.digests ?? {};
      for (const dep of node.deps) {
        const depDigest = reported.get(dep)?.outputDigest;
        if (digests[dep] === undefined || digests[dep] !== depDigest) {
          crossTalk = true;
          findings.push(`task ${node.id} did not receive ${dep}'s output`);
        }
      }
      const extra = Object.keys(digests).filter((dep) => !node.deps.includes(dep));
      if (extra.length > 0) {
        crossTalk = true;
        findings.push(`task ${node.id} received inputs it does not depend on: ${extra.join(", ")}`);
      }
    }
  }
  if (report.status === "failed" && !report.error) {
    complete = false;
    findings.push("a failed run without an error saying which task and why");
  }
  return { complete, crossTalk, findings };
}
