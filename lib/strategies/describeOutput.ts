import { byteLength } from "../payloadLimits.js";
import type { TaskReport } from "../report/types.js";
import { jsonDigest } from "../tasks/jsonDigest.js";

/** Outputs up to this size travel in the report; larger ones are known by size and digest. */
export const MAX_REPORTED_OUTPUT_BYTES = 1024;

/** Size and digest of an output, and the output itself only when it is small. */
export function describeOutput(
  output: unknown,
): Pick<TaskReport, "bytesOut" | "outputDigest" | "output"> {
  const bytesOut = byteLength(JSON.stringify(output) ?? "");
  return {
    bytesOut,
    outputDigest: jsonDigest(output),
    ...(bytesOut <= MAX_REPORTED_OUTPUT_BYTES ? { output } : {}),
  };
}
