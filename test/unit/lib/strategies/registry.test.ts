import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../../../lib/errors.js";
import { parseStrategy } from "../../../../lib/runRequest.js";
import {
  BASELINE_STRATEGY,
  STRATEGIES,
  STRATEGY_REGISTRY,
  strategyNamed,
} from "../../../../lib/strategies/registry.js";

const projectRoot = resolve(import.meta.dirname, "../../../..");
/** Source folders whose code must read strategy names from the registry, never spell them. */
const SOURCE_DIRS = ["lib", "functions", "adapters", "cli", "bench", "local"];
const REGISTRY_FILE = "lib/strategies/registry.ts";

function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}

describe("Module: strategy registry", () => {
  it("lists each strategy once, with its analog, how it runs, its platform needs and a runner", () => {
    expect(new Set(STRATEGIES).size).toBe(STRATEGY_REGISTRY.length);
    for (const strategy of STRATEGY_REGISTRY) {
      expect(strategy.analog.length).toBeGreaterThan(0);
      expect(strategy.how.length).toBeGreaterThan(0);
      expect(Array.isArray(strategy.needs)).toBe(true);
      expect(typeof strategy.run).toBe("function");
      expect(strategyNamed(strategy.name)).toBe(strategy);
    }
    expect(STRATEGIES).toContain(BASELINE_STRATEGY);
  });

  it("is what the routes accept: every registered name, and nothing else", () => {
    for (const name of STRATEGIES) expect(parseStrategy(name)).toBe(name);
    expect(() => parseStrategy("threads")).toThrow(InvalidInputError);
  });

  it("is the only place in the sources that spells a strategy's name", () => {
    // Prepare
    const names = STRATEGIES.join("|");
    // Quoted as a string literal; `backticked` names in comments are documentation.
    const spelled = new RegExp(`["'](${names})["']`);
    const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(projectRoot, dir)));

    // Act
    const offenders = files
      .map((file) => relative(projectRoot, file))
      .filter((file) => file !== REGISTRY_FILE)
      .filter((file) => spelled.test(readFileSync(join(projectRoot, file), "utf8")));

    // Assess
    expect(offenders).toEqual([]);
  });
});
