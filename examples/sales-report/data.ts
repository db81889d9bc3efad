import { xoroshiro128plus } from "pure-rand/generator/xoroshiro128plus";
import { SALES_COLUMNS } from "./lib/summarizeCsv.js";

/** One object to upload into the example's bucket. */
export interface ExampleObject {
  key: string;
  body: string;
}

export const PART_COUNT = 24;
/** Exactly, so the merged report has 24 x 2,000 = 48,000 rows: a check needs no other number. */
export const ROWS_PER_PART = 2_000;
/** The same seed, the same files: the report's totals can be checked from one run to the next. */
const SEED = 20_240_101;

const REGIONS = [
  { name: "North", weight: 3 },
  { name: "South", weight: 2 },
  { name: "East", weight: 4 },
  { name: "West", weight: 5 },
  { name: "Central", weight: 1 },
];

/** List prices in USD; a sale may carry a discount off them. */
const PRODUCTS = [
  { name: "USB-C Cable", price: 9.99, weight: 10 },
  { name: "Wireless Mouse", price: 24.99, weight: 8 },
  { name: "Mechanical Keyboard", price: 89.0, weight: 4 },
  { name: "27in Monitor", price: 249.0, weight: 2 },
  { name: "Laptop Stand", price: 39.5, weight: 5 },
  { name: "Webcam HD", price: 59.99, weight: 4 },
  { name: "Noise-Cancelling Headphones", price: 179.0, weight: 2 },
  { name: "Portable SSD 1TB", price: 109.99, weight: 3 },
  { name: "Desk Lamp", price: 34.25, weight: 5 },
  { name: "Ergonomic Chair", price: 329.0, weight: 1 },
  { name: "Docking Station", price: 149.99, weight: 2 },
  { name: "Notebook Pack", price: 6.49, weight: 9 },
];

const DISCOUNTS = [0, 0, 0, 0, 0, 0.05, 0.1, 0.15];

/** Uniform numbers in [0, 1) from a seeded generator (as test/helpers/seededRandom.ts). */
function seededRandom(seed: number): () => number {
  const generator = xoroshiro128plus(seed);
  return () => (generator.next() >>> 0) / 0x1_0000_0000;
}

function pickWeighted<T extends { weight: number }>(items: T[], random: () => number): T {
  const total = items.reduce((sum, item) => sum + item.weight, 0);
  let point = random() * total;
  for (const item of items) {
    point -= item.weight;
    if (point < 0) return item;
  }
  return items[items.length - 1] as T;
}

function pick<T>(items: T[], random: () => number): T {
  return items[Math.floor(random() * items.length)] as T;
}

/** Part n holds month n from January 2024: part-00 is 2024-01, part-23 is 2025-12. */
function monthOfPart(part: number): { year: number; month: number; days: number } {
  const year = 2024 + Math.floor(part / 12);
  const month = (part % 12) + 1;
  return { year, month, days: new Date(Date.UTC(year, month, 0)).getUTCDate() };
}

/** Small orders are the common ones: units 1-20, weighted towards 1. */
function orderUnits(random: () => number): number {
  return 1 + Math.floor(random() ** 2 * 20);
}

function partCsv(part: number, random: () => number): string {
  const { year, month, days } = monthOfPart(part);
  const rows = ROWS_PER_PART;
  const lines: string[] = [SALES_COLUMNS.join(",")];
  for (let row = 0; row < rows; row++) {
    // rows in date order, as an export of daily sales would be
    const day = 1 + Math.floor((row * days) / rows);
    const date = `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
    const product = pickWeighted(PRODUCTS, random);
    const unitPrice = (product.price * (1 - pick(DISCOUNTS, random))).toFixed(2);
    const region = pickWeighted(REGIONS, random).name;
    lines.push([date, region, product.name, orderUnits(random), unitPrice].join(","));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * The example's data, generated rather than committed: 24 CSV parts `data/part-00.csv` ...
 * `data/part-23.csv`, one month of synthetic daily sales each (2,000 rows, 5 regions, 12
 * products). Deterministic: every call returns the same bytes. localEnvironment/deployExample.ts uploads
 * what this returns after each deploy.
 */
export function exampleData(): ExampleObject[] {
  const random = seededRandom(SEED);
  return Array.from({ length: PART_COUNT }, (_, part) => ({
    key: `data/part-${String(part).padStart(2, "0")}.csv`,
    body: partCsv(part, random),
  }));
}
