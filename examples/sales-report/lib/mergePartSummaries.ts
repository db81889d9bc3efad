import { InvalidEventError } from "./errors.js";
import { jsonDigest } from "./jsonDigest.js";
import { fromCents, toCents } from "./money.js";
import { parseEvent } from "./parseEvent.js";
import { type MergedReport, type PartSummary, partSummary, type SalesTotal } from "./schemas.js";
import { totalsByName } from "./summarizeCsv.js";

const TOP_PRODUCTS = 5;

function addTotals(
  into: Map<string, { units: number; cents: number }>,
  totals: Record<string, SalesTotal>,
): void {
  for (const [name, { units, revenue }] of Object.entries(totals)) {
    const tally = into.get(name) ?? { units: 0, cents: 0 };
    tally.units += units;
    tally.cents += toCents(revenue);
    into.set(name, tally);
  }
}

/**
 * Merges part summaries, keyed by the dep id each came from, into one report with the top products
 * by revenue. `digests` holds the sha256 of each input's JSON exactly as received, to compare with
 * the digests the orchestrator reports for its deps' outputs. They are taken before parsing: zod's
 * copy drops unknown keys and puts keys in the schema's order, so its JSON may differ.
 */
export function mergePartSummaries(inputs: Record<string, unknown>): MergedReport {
  const byRegion = new Map<string, { units: number; cents: number }>();
  const byProduct = new Map<string, { units: number; cents: number }>();
  const digests: Record<string, string> = {};
  let rows = 0;
  let units = 0;
  let cents = 0;
  const ids = Object.keys(inputs).sort();
  if (ids.length === 0) throw new InvalidEventError("inputs", "no part summaries to merge");
  for (const id of ids) {
    const raw = inputs[id];
    digests[id] = jsonDigest(raw);
    const summary: PartSummary = parseEvent(partSummary, raw, `inputs.${id}`);
    rows += summary.rows;
    units += summary.units;
    cents += toCents(summary.revenue);
    addTotals(byRegion, summary.byRegion);
    addTotals(byProduct, summary.byProduct);
  }
  const products = totalsByName(byProduct);
  const topProducts = Object.entries(products)
    .map(([product, total]) => ({ product, ...total }))
    .sort((a, b) => b.revenue - a.revenue || (a.product < b.product ? -1 : 1))
    .slice(0, TOP_PRODUCTS);
  return {
    parts: ids.length,
    rows,
    units,
    revenue: fromCents(cents),
    byRegion: totalsByName(byRegion),
    byProduct: products,
    topProducts,
    digests,
  };
}
