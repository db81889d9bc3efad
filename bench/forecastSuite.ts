/**
 * bench:forecast's suite against this machine: the seed and its variations, shapes that are not
 * series-parallel, sizes, a payload, retries, the sales-report example's own functions.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { projectRoot } from "../cli/session.js";
import { validateWorkflow } from "../lib/workflow/dag.js";
import { SEED_WORKFLOW } from "../lib/workflow/defaults.js";
import { chainWorkflow, wideWorkflow } from "../lib/workflow/shapes.js";
import type { Workflow } from "../lib/workflow/types.js";

/** The suite's shapes: the seed and its variations, shapes that are not series-parallel, sizes. */
const seedAs = (kind: "io" | "cpu", extraLogs = 0): Workflow => ({
  tasks: [
    ...SEED_WORKFLOW.tasks.map((task) => ({ ...task, kind, durationMs: 200 })),
    ...Array.from({ length: extraLogs }, (_, index) => ({
      id: `writeLog${index + 2}`,
      fn: "writeLog" as const,
      deps: [],
      kind,
      durationMs: 200,
    })),
  ],
});
export const salesReport = validateWorkflow(
  JSON.parse(readFileSync(join(projectRoot, "examples/sales-report/workflow.json"), "utf8")),
  "examples/sales-report/workflow.json",
);

export const SUITE: Array<{ cell: string; workflow: Workflow }> = [
  { cell: "seed", workflow: seedAs("io") },
  { cell: "seed+3 logs", workflow: seedAs("io", 3) },
  { cell: "seed as cpu", workflow: seedAs("cpu") },
  {
    cell: "diamond",
    workflow: {
      tasks: [
        { id: "a", fn: "queryData", deps: [], durationMs: 200 },
        { id: "b", fn: "processData", deps: ["a"], durationMs: 200 },
        { id: "c", fn: "processData", deps: ["a"], durationMs: 300 },
        { id: "d", fn: "writeLog", deps: ["b", "c"], durationMs: 200 },
      ],
    },
  },
  {
    cell: "N shape",
    workflow: {
      tasks: [
        { id: "a", fn: "queryData", deps: [], durationMs: 300 },
        { id: "b", fn: "queryData", deps: [], durationMs: 100 },
        { id: "c", fn: "processData", deps: ["a", "b"], durationMs: 100 },
        { id: "d", fn: "processData", deps: ["b"], durationMs: 300 },
      ],
    },
  },
  { cell: "chain 10", workflow: chainWorkflow(10, 100) },
  { cell: "chain 100", workflow: chainWorkflow(100, 20) },
  { cell: "10 wide", workflow: wideWorkflow(10, 100) },
  { cell: "100 wide", workflow: wideWorkflow(100, 100) },
  {
    cell: "200 KB payload",
    workflow: {
      tasks: [
        { id: "query", fn: "queryData", deps: [], durationMs: 100, outputBytes: 200_000 },
        { id: "process", fn: "processData", deps: ["query"], durationMs: 100 },
      ],
    },
  },
  {
    cell: "retries after a crash",
    workflow: {
      retries: 1,
      tasks: [
        { id: "queryData", fn: "queryData", deps: [], durationMs: 200, fault: "crash" },
        { id: "processData", fn: "processData", deps: ["queryData"], durationMs: 200 },
        { id: "writeLog", fn: "writeLog", deps: [], durationMs: 200 },
      ],
    },
  },
  { cell: "sales-report", workflow: salesReport },
  // Last: a 1,000-wide run can leave the local stack unable to answer the cells after it.
  { cell: "1000 wide", workflow: wideWorkflow(1000, 20) },
];
