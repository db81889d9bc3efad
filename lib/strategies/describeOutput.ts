import { byteLength } from "../payloadLimits.js";
import type { TaskReport } from "../runReport/types.js";
import { digestOfJson } from "../tasks/jsonDigest.js";

/** Outputs up to this size travel in the report; larger ones are known by size and digest. */
export const MAX_REPORTED_OUTPUT_BYTES = 1024;

/** Size and digest of an output, and the output itself only when it is small. */
export function describeOutput(
  output: unknown,
): Pick<TaskReport, "bytesOut" | "outputDigest" | "output"> {
  // Serialised once for both: outputs may be megabytes, and this runs for every task.
  const json = JSON.stringify(output);
  const bytesOut = byteLength(json ?? "");
  return {
    bytesOut,
    outputDigest: digestOfJson(json),
    ...(bytesOut <= MAX_REPORTED_OUTPUT_BYTES ? { output } : {}),
  };
}
