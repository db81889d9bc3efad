import type { DurableReport } from "../../runReport/types.js";
import { formatNumber } from "./formatNumber.js";

/** A durable run's orchestrator in a line: its replays, their billed time, its time suspended. */
export function describeReplays(durable: DurableReport): string {
  const billedMs = durable.replays.reduce((sum, replay) => sum + replay.billedMs, 0);
  return (
    `${formatNumber(durable.replays.length)} replays, ${formatNumber(billedMs)} ms billed, ` +
    `${formatNumber(durable.suspendedMs)} ms suspended`
  );
}
