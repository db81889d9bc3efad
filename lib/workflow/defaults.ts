import type { Workflow } from "./types.js";

/** The lesson's workflow: processData needs queryData's output; writeLog is independent. */
export const SEED_WORKFLOW: Workflow = {
  tasks: [
    { id: "queryData", fn: "queryData", deps: [] },
    { id: "processData", fn: "processData", deps: ["queryData"] },
    { id: "writeLog", fn: "writeLog", deps: [] },
  ],
};

/** The seed plus `extra` independent writeLog tasks: fan-out should absorb them for free. */
export function seedWithExtraLogs(extra: number): Workflow {
  return {
    tasks: [
      ...SEED_WORKFLOW.tasks,
      ...Array.from({ length: extra }, (_, index) => ({
        id: `writeLog${index + 2}`,
        fn: "writeLog" as const,
        deps: [],
      })),
    ],
  };
}
