import { describe, expect, it } from "vitest";
import { AWS_PARAMETERS } from "../../../lib/forecast/awsParameters.js";
import { forecastStrategies } from "../../../lib/forecast/forecastSummary.js";
import { buildReportDocument } from "../../../lib/report/buildReportDocument.js";
import type { ReportDocument } from "../../../lib/report/document.js";
import type { LatencyTarget } from "../../../lib/report/recommendation.js";
import { DEFAULT_MAX_ROUNDS, DEFAULT_MIN_ROUNDS } from "../../../lib/report/stoppingRule.js";
import { renderTerminal } from "../../../lib/report/terminal/renderTerminal.js";
import { STRATEGIES } from "../../../lib/strategies/names.js";
import { STRATEGY_REGISTRY } from "../../../lib/strategies/registry.js";
import { SEED_WORKFLOW } from "../../../lib/workflow/defaults.js";
import { T0 } from "../../helpers/factories.js";
import { seedRuns } from "../../helpers/reportDocument.js";

/** Eight rounds of a jitter each, as the stopping rule might end with. */
const JITTERS_MS = [0, 37, 81, 12, 55, 23, 90, 4];

/**
 * A realistic comparison of all six strategies: a warm-up and eight measured runs each of the
 * seed workflow, the forecast on AWS (at a rate), the rounds' record, the local stack's profile.
 */
function aSixStrategyComparison(target?: LatencyTarget): ReportDocument {
  const forecast = forecastStrategies(SEED_WORKFLOW, STRATEGY_REGISTRY, {
    parameters: AWS_PARAMETERS,
    runs: 10,
    seed: 1,
    scale: 1,
    ratePerSecond: 10_000 / 86_400,
    rateRuns: 20,
  });
  return buildReportDocument({
    generatedAt: new Date(T0).toISOString(),
    environment: {
      apiUrl: "http://127.0.0.1:4566/restapis/abcdef1234/local/_user_request_",
      description: "LocalStack 4.14.0 in host mode with this project's Lambda executor",
      latencyProfile: { name: "local", description: "profile local: no latency added" },
      platform: "local",
    },
    settings: {
      scale: 1,
      runs: JITTERS_MS.length,
      warmup: 1,
      extraLogs: 0,
      strategies: [...STRATEGIES],
      tasks: SEED_WORKFLOW.tasks.length,
    },
    runs: seedRuns(STRATEGIES, JITTERS_MS),
    forecast,
    ...(target ? { target } : {}),
    ratePerSecond: 10_000 / 86_400,
    rounds: {
      mode: "untilDecided",
      rounds: JITTERS_MS.length,
      reason: "decided",
      why: "fastest and cheapest named (95 % intervals exclude zero)",
      elapsedMs: 104_000,
      settings: { budgetMs: 120_000, minRounds: DEFAULT_MIN_ROUNDS, maxRounds: DEFAULT_MAX_ROUNDS },
    },
  });
}

const tooWide = (text: string) => text.split("\n").filter((line) => line.length > 100);

describe("Function: renderTerminal", () => {
  it("fits every line outside the Gantt charts in 100 columns, for six strategies", () => {
    // Act
    const { summary, gantts } = renderTerminal(
      aSixStrategyComparison({ percentile: 95, maxMs: 5000 }),
    );

    // Assess
    expect(gantts).toHaveLength(STRATEGIES.length);
    expect(summary).toMatch(/^\| strategy +\| runs \|/m);
    expect(tooWide(summary)).toEqual([]);
  });

  it("fits 100 columns without a target too (the balanced pick)", () => {
    expect(tooWide(renderTerminal(aSixStrategyComparison()).summary)).toEqual([]);
  });

  it("gives every column with --wide, past 100 columns", () => {
    // Act
    const { summary } = renderTerminal(aSixStrategyComparison(), { wide: true });

    // Assess
    expect(summary).toMatch(/\| efficiency \|/);
    expect(tooWide(summary).length).toBeGreaterThan(0);
  });

  it("leads with the answer: the recommendation, the fastest, the cheapest and how sure, as bullets, then the table", () => {
    // Act
    const lines = renderTerminal(
      aSixStrategyComparison({ percentile: 95, maxMs: 5000 }),
    ).summary.split("\n");

    // Assess
    const bullets = lines.filter((line) => line.startsWith("- "));
    expect(lines[0]).toMatch(
      /^- For p95 ≤ 5 s: \w+, the cheapest whose p95 \(measured locally\) meets it/,
    );
    expect(bullets.some((line) => /is fastest: median wall/.test(line))).toBe(true);
    expect(bullets.some((line) => /cheapest/.test(line))).toBe(true);
    expect(bullets.some((line) => line.startsWith("- How sure: 8 rounds in 1m 44s, stopped"))).toBe(
      true,
    );
    const answer = lines.slice(0, lines.indexOf(""));
    expect(answer.every((line) => /^(- | {2}\S)/.test(line))).toBe(true);
    expect(answer.length).toBeLessThanOrEqual(12);
    expect(lines.findIndex((line) => line.startsWith("| strategy"))).toBeGreaterThan(answer.length);
  });

  it("lists every alternative against the target, cheapest first, with its cost a month at the rate", () => {
    // Act
    const { summary } = renderTerminal(aSixStrategyComparison({ percentile: 95, maxMs: 4000 }));

    // Assess
    expect(summary.replaceAll("\n", " ")).toContain(
      "Against p95 ≤ 4 s (p95 measured locally, over the runs the table uses; cost modelled, a month at 300,000 runs):",
    );
    expect(summary).toMatch(/^strategy +p95 ms +vs p95 ≤ 4 s +cost\/1M runs +a month$/m);
    expect(summary).toMatch(/^sequential +4,\d{3} +misses by \d+ +\$[\d.]+ +\$[\d.]+$/m);
    expect(summary).toMatch(/^inline +3,\d{3} +meets, \d+ to spare +\$[\d.]+ +\$[\d.]+$/m);
  });
});
