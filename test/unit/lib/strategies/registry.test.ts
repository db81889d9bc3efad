import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it, vi } from "vitest";
import { UsageMeter } from "../../../../lib/cost/UsageMeter.js";
import { InvalidInputError } from "../../../../lib/errors.js";
import { parseStrategy } from "../../../../lib/runRequest.js";
import { BASELINE_STRATEGY, STRATEGIES } from "../../../../lib/strategies/names.js";
import { STRATEGY_REGISTRY, strategyNamed } from "../../../../lib/strategies/registry.js";
import type { Transports } from "../../../../lib/strategies/types.js";
import { systemClock } from "../../../../lib/systemClock.js";
import { SEED_WORKFLOW } from "../../../../lib/workflow/defaults.js";
import { planRun } from "../../../../lib/workflow/plan.js";
import { projectRoot, SOURCE_DIRS, sourceFiles } from "../../../helpers/sourceFiles.js";

/** Where the names are spelled: the strategies' names and descriptions (the registry adds code). */
const NAMES_FILE = "lib/strategies/names.ts";

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
      .filter((file) => file !== NAMES_FILE)
      .filter((file) => spelled.test(readFileSync(join(projectRoot, file), "utf8")));

    // Assess
    expect(offenders).toEqual([]);
  });

  it.each(STRATEGY_REGISTRY)(
    "$name, when run, asks for one transport at most, of a platform piece it needs",
    async (strategy) => {
      // Prepare
      const refused = new Error("transport refused by the test");
      const transports = {
        lambda: vi.fn<Transports["lambda"]>().mockRejectedValue(refused),
        sqs: vi.fn<Transports["sqs"]>().mockRejectedValue(refused),
        functionDirectory: vi.fn<Transports["functionDirectory"]>().mockRejectedValue(refused),
        stepfunctions: vi.fn<Transports["stepfunctions"]>().mockRejectedValue(refused),
        durableExecutions: vi.fn<Transports["durableExecutions"]>().mockRejectedValue(refused),
      } satisfies Transports;
      const plan = planRun({
        runId: "r",
        strategy: strategy.name,
        workflow: SEED_WORKFLOW,
        scale: 0.001,
      });
      const context = { clock: systemClock, budgetMs: 10_000, meter: new UsageMeter() };

      // Act
      const outcome = await strategy.run(plan, context, transports).catch((error) => error);

      // Assess
      const asked = Object.entries(transports)
        .filter(([, factory]) => factory.mock.calls.length > 0)
        .map(([piece]) => piece);
      expect(asked.length).toBeLessThanOrEqual(1);
      expect(strategy.needs).toEqual(expect.arrayContaining(asked));
      expect(outcome === refused).toBe(asked.length === 1);
    },
  );
});
