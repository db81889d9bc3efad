/**
 * The benches' own flags, checked one way: a bad value is one line naming the flag and what it
 * takes, and exit code 2 (the benches are scripts, not the product's CLI).
 */
import { type ParseArgsConfig, parseArgs } from "node:util";

export interface BenchFlags<Values> {
  values: Values;
  /** The arguments that are not flags (only for a bench that takes them). */
  positionals: string[];
  /** Says `bench:<name>: message` and exits 2. */
  fail(message: string): never;
  /** A whole number from `min` to `max`. */
  wholeNumber(flag: string, min: number, max: number): number;
  /** A number from `min` to `max`. */
  number(flag: string, min: number, max: number): number;
  /** One of `known`. */
  oneOf<T extends string>(flag: string, known: readonly T[]): T;
  /** A comma-separated list whose every item is one of `known`; undefined when the flag is absent. */
  listOf<T extends string>(flag: string, known: readonly T[]): T[] | undefined;
}

/** Parses `process.argv` with `options` for the bench called `name`. */
export function benchFlags<Options extends NonNullable<ParseArgsConfig["options"]>>(
  name: string,
  options: Options,
  takesPositionals = false,
) {
  const fail = (message: string): never => {
    console.error(`bench:${name}: ${message}`);
    process.exit(2);
  };
  let parsed: ReturnType<typeof parseArgs<{ options: Options; allowPositionals: true }>>;
  try {
    parsed = parseArgs({ options, allowPositionals: true });
  } catch (error) {
    return fail((error as Error).message);
  }
  const { values, positionals } = parsed;
  if (!takesPositionals && positionals.length > 0) {
    return fail(`unexpected argument '${positionals[0]}'`);
  }
  const raw = (flag: string) => {
    const value = (values as Record<string, unknown>)[flag];
    return typeof value === "string" ? value : undefined;
  };
  const flags: BenchFlags<typeof values> = {
    values,
    positionals,
    fail,
    wholeNumber(flag, min, max) {
      const text = raw(flag) ?? "";
      const value = Number(text);
      if (!(/^\d+$/.test(text.trim()) && value >= min && value <= max)) {
        fail(`--${flag} must be a whole number from ${min} to ${max}, got '${raw(flag)}'`);
      }
      return value;
    },
    number(flag, min, max) {
      const text = raw(flag) ?? "";
      const value = Number(text);
      if (!(text.trim() !== "" && Number.isFinite(value) && value >= min && value <= max)) {
        fail(`--${flag} must be from ${min} to ${max}, got '${raw(flag)}'`);
      }
      return value;
    },
    oneOf(flag, known) {
      const text = raw(flag);
      if (!known.includes(text as (typeof known)[number])) {
        fail(`--${flag} must be one of ${known.join(", ")}, got '${text}'`);
      }
      return text as (typeof known)[number];
    },
    listOf(flag, known) {
      const text = raw(flag);
      if (text === undefined) return undefined;
      const items = text.split(",").map((item) => item.trim());
      for (const item of items) {
        if (!known.includes(item as (typeof known)[number])) {
          fail(`--${flag}: unknown '${item}' (known: ${known.join(", ")})`);
        }
      }
      return items as Array<(typeof known)[number]>;
    },
  };
  return flags;
}
