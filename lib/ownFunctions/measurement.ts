import type { FunctionConfiguration } from "../ports.js";
import type { LambdaBilling, Measurement } from "../tasks/types.js";
import type { ReportLine } from "./reportLine.js";

/** An own function's span, billing and where each figure came from. */
export interface MeasuredInvocation {
  startedAt: number;
  endedAt: number;
  coldStart: boolean;
  billing: LambdaBilling;
  measurement: Measurement;
}

/**
 * From Lambda's REPORT line, when our code invoked the function: duration, billed duration,
 * memory size, peak memory and INIT are Lambda's own; the span is placed to end when the answer
 * arrived (the function's own clock is not ours to read), the architecture comes from the
 * function's configuration. Without a REPORT line (a log tail cut short) the round trip is billed
 * at the configured memory, and said to be.
 */
export function measureFromReportLine(
  report: ReportLine | undefined,
  configuration: FunctionConfiguration,
  span: { invokedAt: number; returnedAt: number },
): MeasuredInvocation {
  if (!report) {
    return measureFromTimestamps(configuration, span.invokedAt, span.returnedAt, "round trip");
  }
  return {
    startedAt: span.returnedAt - report.durationMs,
    endedAt: span.returnedAt,
    coldStart: report.initMs !== undefined,
    billing: {
      memoryMb: report.memoryMb,
      architecture: configuration.architecture,
      billedMs: report.billedMs,
      initMs: report.initMs ?? 0,
      ...(report.maxMemoryUsedMb === undefined ? {} : { maxMemoryUsedMb: report.maxMemoryUsedMb }),
    },
    measurement: {
      source: "REPORT line",
      measured: [
        "duration",
        "billedMs",
        "memoryMb",
        ...(report.maxMemoryUsedMb === undefined ? [] : ["maxMemoryUsedMb"]),
        "initMs",
        "invokedAt",
        "returnedAt",
      ],
      derived: [
        "startedAt (returnedAt - duration)",
        "endedAt",
        "architecture (configuration)",
        "coldStart (INIT present)",
      ],
    },
  };
}

/**
 * From the invoking service's own timestamps (Step Functions' state times, the durable service's
 * invoke operation), which is all it records of the function: billed as that span, rounded up to
 * 1 ms, at the configured memory; no INIT or peak memory is known.
 */
export function measureFromTimestamps(
  configuration: FunctionConfiguration,
  startedAt: number,
  endedAt: number,
  source: "execution timestamps" | "round trip" = "execution timestamps",
): MeasuredInvocation {
  return {
    startedAt,
    endedAt,
    coldStart: false,
    billing: {
      memoryMb: configuration.memoryMb,
      architecture: configuration.architecture,
      billedMs: Math.max(Math.ceil(endedAt - startedAt), 1),
      initMs: 0,
    },
    measurement: {
      source,
      measured: [
        "startedAt",
        "endedAt",
        "memoryMb (configuration)",
        "architecture (configuration)",
      ],
      derived: [
        "billedMs (the span, which includes the invoke's own latency: an upper bound)",
        "initMs (unknown: 0)",
        "coldStart (unknown: false)",
      ],
    },
  };
}
