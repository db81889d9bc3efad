import { describe, expect, it } from "vitest";
import { parseCompareOptions } from "../../../cli/options.js";
import { InvalidInputError } from "../../../lib/errors.js";
import { DEFAULT_BUDGET_MS } from "../../../lib/report/stoppingRule.js";
import { compareCommand } from "../../helpers/compareCommand.js";
import { thrownBy } from "../../helpers/rejection.js";

/** The flag an InvalidInputError from parsing `argv` names; fails the test when none is thrown. */
function refusedFlag(argv: string[]): string {
  const error = thrownBy(() => parseCompareOptions(argv, {}));
  if (!(error instanceof InvalidInputError)) throw new Error(`expected ${argv.join(" ")} refused`);
  return error.field;
}

describe("Function: parseCompareOptions, --slo", () => {
  it("reads the target's percentile and limit", () => {
    expect(parseCompareOptions(["--slo", "p99<=800ms"], {}).verdict.target).toEqual({
      percentile: 99,
      maxMs: 800,
    });
  });

  it("refuses a target it cannot read, naming --slo", () => {
    expect(refusedFlag(["--slo", "p90<=2s"])).toBe("--slo");
  });

  it("refuses --cost-weight beside --slo, and one outside 0 to 1", () => {
    expect(refusedFlag(["--slo", "p95<=2s", "--cost-weight", "0.3"])).toBe("--cost-weight");
    expect(refusedFlag(["--cost-weight", "1.5"])).toBe("--cost-weight");
    expect(parseCompareOptions(["--cost-weight", "0.25"], {}).verdict.costWeight).toBe(0.25);
  });

  it("keeps the table narrow unless --wide", () => {
    expect(parseCompareOptions([], {}).verdict.wide).toBe(false);
    expect(parseCompareOptions(["--wide"], {}).verdict.wide).toBe(true);
  });
});

describe("Function: parseCompareOptions, --runs and --budget", () => {
  it("runs until decided within the default budget without --runs", () => {
    expect(parseCompareOptions([], {}).rounds).toEqual({
      mode: "untilDecided",
      settings: { budgetMs: DEFAULT_BUDGET_MS, minRounds: 5, maxRounds: 30 },
    });
  });

  it.each([
    ["90s", 90_000],
    ["3m", 180_000],
    ["45", 45_000],
    ["1.5m", 90_000],
  ])("reads --budget %s", (budget, budgetMs) => {
    expect(parseCompareOptions(["--budget", budget], {}).rounds).toMatchObject({
      mode: "untilDecided",
      settings: { budgetMs },
    });
  });

  it("fixes the rounds exactly with --runs (or --repeat), and refuses --budget beside it", () => {
    expect(parseCompareOptions(["--runs", "5"], {}).rounds).toEqual({ mode: "fixed", rounds: 5 });
    expect(parseCompareOptions(["--repeat", "2"], {}).rounds).toEqual({ mode: "fixed", rounds: 2 });
    expect(refusedFlag(["--runs", "5", "--budget", "3m"])).toBe("--budget");
    expect(refusedFlag(["--budget", "soon"])).toBe("--budget");
  });
});

describe("Command: compare, a bad --slo", () => {
  it("is one line on stderr naming the flag, and a non-zero exit, before anything starts", async () => {
    // Act
    const { code, stdout, stderr } = await compareCommand(["--slo", "p95<2s"]);

    // Assess
    expect(code).toBe(1);
    expect(stdout).toBe("");
    expect(stderr.trimEnd().split("\n")).toEqual([
      "compare: --slo: expected p50, p95 or p99, '<=' and a duration with its unit, e.g. p95<=2s or p99<=800ms; got 'p95<2s'",
    ]);
  }, 30_000);
});
