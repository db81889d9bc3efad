/**
 * What Lambda's REPORT line says of one invocation, as Invoke with `LogType: Tail` returns it
 * (the last 4 KB of the invocation's log): Lambda's own measurement, no code inside the function.
 */
export interface ReportLine {
  durationMs: number;
  billedMs: number;
  memoryMb: number;
  maxMemoryUsedMb?: number;
  /** Only on a cold start: the INIT phase (billed since 2025-08-01). */
  initMs?: number;
}

const FIELDS: Record<string, keyof ReportLine> = {
  Duration: "durationMs",
  "Billed Duration": "billedMs",
  "Memory Size": "memoryMb",
  "Max Memory Used": "maxMemoryUsedMb",
  "Init Duration": "initMs",
};

/**
 * The last REPORT line of a log tail, or undefined when there is none (a tail cut short, or a
 * platform that writes none). Fields are tab-separated `Name: value unit`.
 */
export function parseReportLine(logTail: string): ReportLine | undefined {
  const line = logTail
    .split("\n")
    .reverse()
    .find((candidate) => candidate.startsWith("REPORT RequestId:"));
  if (!line) return undefined;
  const parsed: Partial<ReportLine> = {};
  for (const field of line.split("\t")) {
    const match = /^\s*([A-Za-z ]+): ([\d.]+) (ms|MB)\s*$/.exec(field);
    const key = match && FIELDS[match[1] as string];
    if (key) parsed[key] = Number(match[2]);
  }
  const { durationMs, billedMs, memoryMb } = parsed;
  if (durationMs === undefined || billedMs === undefined || memoryMb === undefined)
    return undefined;
  return { ...parsed, durationMs, billedMs, memoryMb };
}
