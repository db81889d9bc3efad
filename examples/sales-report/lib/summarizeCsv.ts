import { CsvError, type InfoRecord, parse } from "csv-parse/sync";
import { MalformedRowError } from "./errors.js";
import { fromCents, toCents } from "./money.js";
import type { PartSummary, SalesTotal } from "./schemas.js";

/** The columns of a sales part, in the order data.ts writes them. */
export const SALES_COLUMNS = ["date", "region", "product", "units", "unitPrice"] as const;
type SalesRow = Record<(typeof SALES_COLUMNS)[number], string>;

const DATE = /^\d{4}-\d{2}-\d{2}$/;
/** A non-negative amount with at most two decimals: prices are quoted in cents. */
const PRICE = /^\d+(\.\d{1,2})?$/;

interface Tally {
  units: number;
  cents: number;
}

function addTo(tallies: Map<string, Tally>, name: string, units: number, cents: number): void {
  const tally = tallies.get(name) ?? { units: 0, cents: 0 };
  tally.units += units;
  tally.cents += cents;
  tallies.set(name, tally);
}

/** Tallies as the summary's `{ name: { units, revenue } }`, sorted by name so equal data gives equal JSON. */
export function totalsByName(tallies: Map<string, Tally>): Record<string, SalesTotal> {
  return Object.fromEntries(
    [...tallies.entries()]
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
      .map(([name, { units, cents }]) => [name, { units, revenue: fromCents(cents) }]),
  );
}

function checkHeader(key: string, header: string[]): string[] {
  const missing = SALES_COLUMNS.filter((column) => !header.includes(column));
  if (missing.length > 0) {
    throw new MalformedRowError(
      key,
      1,
      `the header lacks ${missing.join(", ")} (expected ${SALES_COLUMNS.join(",")})`,
    );
  }
  return header;
}

function parseRows(key: string, text: string): Array<{ info: InfoRecord; record: SalesRow }> {
  try {
    return parse<{ info: InfoRecord; record: SalesRow }>(text, {
      columns: (header: string[]) => checkHeader(key, header),
      info: true,
      skip_empty_lines: true,
      trim: true,
    });
  } catch (error) {
    if (error instanceof CsvError) {
      const line = typeof error.lines === "number" ? error.lines : 0;
      throw new MalformedRowError(key, line, error.message, { cause: error });
    }
    throw error;
  }
}

/**
 * Summarises one CSV part (header `date,region,product,units,unitPrice`): rows, units and revenue
 * overall, by region and by product. A row that is not a sale (a bad date, units that are not a
 * positive integer, a price that is not an amount) fails the whole part, naming its line: a
 * report that silently skipped rows would look right and be wrong.
 */
export function summarizeCsv(key: string, text: string): PartSummary {
  const byRegion = new Map<string, Tally>();
  const byProduct = new Map<string, Tally>();
  let units = 0;
  let cents = 0;
  const rows = parseRows(key, text);
  for (const { info, record } of rows) {
    const line = info.lines;
    if (!DATE.test(record.date))
      throw new MalformedRowError(key, line, `date "${record.date}" is not YYYY-MM-DD`);
    if (!record.region) throw new MalformedRowError(key, line, "region is empty");
    if (!record.product) throw new MalformedRowError(key, line, "product is empty");
    const rowUnits = Number(record.units);
    if (!(/^\d+$/.test(record.units) && rowUnits > 0)) {
      throw new MalformedRowError(key, line, `units "${record.units}" is not a positive integer`);
    }
    if (!PRICE.test(record.unitPrice)) {
      throw new MalformedRowError(key, line, `unitPrice "${record.unitPrice}" is not an amount`);
    }
    const rowCents = rowUnits * toCents(Number(record.unitPrice));
    units += rowUnits;
    cents += rowCents;
    addTo(byRegion, record.region, rowUnits, rowCents);
    addTo(byProduct, record.product, rowUnits, rowCents);
  }
  return {
    key,
    rows: rows.length,
    units,
    revenue: fromCents(cents),
    byRegion: totalsByName(byRegion),
    byProduct: totalsByName(byProduct),
  };
}
