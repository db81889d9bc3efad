import { createHash } from "node:crypto";

/** One row of queryData's result: its values depend on the run, so cross-talk shows. */
export interface DataRecord {
  id: number;
  runId: string;
  value: string;
}

function recordFor(runId: string, id: number): DataRecord {
  const value = createHash("sha256").update(`${runId}:${id}`).digest("hex");
  return { id, runId, value };
}

/**
 * The record set queryData returns: about `bytes` of JSON (within one record), at least one
 * record, different for every run.
 *
 * @example
 * buildRecordSet("run-1", 1024).length; // 8 (each record is ~125 bytes of JSON)
 */
export function buildRecordSet(runId: string, bytes: number): DataRecord[] {
  const records = [recordFor(runId, 0)];
  // "[" + records joined by "," + "]": grow while the next record lands closer to the target.
  let size = JSON.stringify(records).length;
  while (true) {
    const next = recordFor(runId, records.length);
    const grown = size + JSON.stringify(next).length + 1;
    if (Math.abs(grown - bytes) >= Math.abs(size - bytes)) return records;
    records.push(next);
    size = grown;
  }
}
