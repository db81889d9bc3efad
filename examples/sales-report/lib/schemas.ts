import { z } from "zod";

/**
 * What every function receives: its workflow node's payload with its deps' outputs under `inputs`,
 * keyed by dep task id. A node without deps may get `{}` or no `inputs` at all.
 */
const inputs = z.record(z.string(), z.unknown()).default({});

/** A dep's output to read: the one named by `from`, or the only one there is. */
const from = z.string().min(1).optional();

export const listPartsEvent = z.object({
  prefix: z.string().default("data/"),
});

export const summarizePartEvent = z.object({
  part: z.number().int().min(0),
  from,
  inputs,
});

export const mergeSummariesEvent = z.object({ inputs });

export const storeReportEvent = z.object({
  key: z.string().min(1).default("reports/latest.json"),
  from,
  inputs,
});

export const partList = z.object({
  bucket: z.string(),
  keys: z.array(z.string()),
  totalBytes: z.number(),
});
export type PartList = z.infer<typeof partList>;

const salesTotal = z.object({ units: z.number(), revenue: z.number() });
export type SalesTotal = z.infer<typeof salesTotal>;

export const partSummary = z.object({
  key: z.string(),
  rows: z.number().int().min(0),
  units: z.number(),
  revenue: z.number(),
  byRegion: z.record(z.string(), salesTotal),
  byProduct: z.record(z.string(), salesTotal),
});
export type PartSummary = z.infer<typeof partSummary>;

export const mergedReport = z.object({
  parts: z.number().int(),
  rows: z.number().int(),
  units: z.number(),
  revenue: z.number(),
  byRegion: z.record(z.string(), salesTotal),
  byProduct: z.record(z.string(), salesTotal),
  topProducts: z.array(salesTotal.extend({ product: z.string() })),
  /** sha256 hex of each input's JSON as received, by dep id: what the orchestrator digests too. */
  digests: z.record(z.string(), z.string()),
});
export type MergedReport = z.infer<typeof mergedReport>;

export interface StoredReport {
  bucket: string;
  key: string;
  bytes: number;
  digest: string;
}
