import { InvalidInputError } from "../lib/errors.js";

/**
 * A flag's value through one of lib's parsers (parseRate, parseDuration, parseLatencyTarget),
 * which throw a plain Error saying what they expected: it becomes an InvalidInputError naming
 * the flag, the CLI's one-line error.
 *
 * @example
 * parsedFlag("--rate", "50/s", parseRate); // 50
 */
export function parsedFlag<T>(flag: string, raw: string, parse: (text: string) => T): T {
  try {
    return parse(raw);
  } catch (error) {
    throw new InvalidInputError(flag, (error as Error).message);
  }
}
