import { describe, expect, it } from "vitest";
import {
  describeRunProgress,
  PLAIN_NOTE_INTERVAL_MS,
  plainProgress,
} from "../../../cli/progress.js";
import { anEndedRunRecord, aRunRecord } from "../../helpers/runRecords.js";

describe("Function: describeRunProgress", () => {
  it("shows the status, a bar and the tasks finished of all, and the time since the run was sent", () => {
    const record = aRunRecord({ tasksFinished: ["a", "b", "c", "d"] });

    expect(describeRunProgress(record, 10, 35_400)).toBe(
      "queue running [####------] 4/10 tasks, 35 s",
    );
  });

  it("counts an ended run's tasks from its report", () => {
    const line = describeRunProgress(anEndedRunRecord(), 1, 2000);

    expect(line).toBe("queue succeeded [##########] 1/1 tasks, 2 s");
  });
});

describe("Function: plainProgress", () => {
  it("writes a run's progress at most once every 10 s, and every finished run", () => {
    let now = 0;
    const lines: string[] = [];
    const progress = plainProgress(
      (line) => lines.push(line),
      () => now,
    );
    progress.start(2, "runs");

    progress.note("queue running 1/10 tasks, 1 s");
    now = PLAIN_NOTE_INTERVAL_MS - 1;
    progress.note("queue running 2/10 tasks, 9 s");
    now = PLAIN_NOTE_INTERVAL_MS;
    progress.note("queue running 3/10 tasks, 10 s");
    now += 1000;
    progress.note("queue running 4/10 tasks, 11 s");
    progress.tick("queue succeeded 12000 ms");

    expect(lines).toEqual([
      "  [runs 0/2] queue running 3/10 tasks, 10 s",
      "  [runs 1/2] queue succeeded 12000 ms",
    ]);
  });
});
