import { mergePartSummaries } from "../lib/mergePartSummaries.js";
import { parseEvent } from "../lib/parseEvent.js";
import { type MergedReport, mergeSummariesEvent } from "../lib/schemas.js";

/** Merges the part summaries of all its deps (any number, any ids) into one report. */
export async function handler(event: unknown): Promise<MergedReport> {
  const { inputs } = parseEvent(mergeSummariesEvent, event);
  return mergePartSummaries(inputs);
}
