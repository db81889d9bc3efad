import { describe, expect, it } from "vitest";
import type { ReportForecast } from "../../../lib/forecast/forecastSummary.js";
import {
  describeForecast,
  renderForecastHtml,
  renderForecastMarkdown,
  renderForecastTable,
} from "../../../lib/report/sections/renderForecast.js";
import { aReportDocument } from "../../helpers/reportDocument.js";
import { aRateEntry, aReportForecast, aStrategyForecast } from "../../helpers/reportForecast.js";

const FORECAST: ReportForecast = aReportForecast({
  strategies: [
    aStrategyForecast(
      "fanout",
      { p50: 4045.4, p95: 4073, costPerRunUsd: 0.000138 },
      { overheadMs: 45 },
    ),
    {
      strategy: "durable",
      runs: 50,
      failed: 50,
      error: "LimitExceeded: the operations this workflow needs is 4,007",
    },
  ],
  rate: {
    perSecond: 2,
    runsPerMonth: 5_184_000,
    runs: 200,
    strategies: [
      aRateEntry("fanout", {
        p50: 4050,
        p95: 4500,
        costPerRunUsd: 0.000138,
        monthlyUsd: 715.4,
        coldRunShare: 0.05,
      }),
    ],
  },
});

describe("Module: renderForecast", () => {
  it("says it is modelled, names the parameter set and counts its assumptions", () => {
    expect(describeForecast(FORECAST)).toBe(
      "forecast (modelled, not measured): parameter set aws of 2026-12-06, 2 of its figures assumptions",
    );
  });

  it("fits a terminal: every line under 80 columns, a stopped strategy named with its limit", () => {
    const table = renderForecastTable(FORECAST);

    for (const line of table.split("\n")) expect(line.length).toBeLessThan(80);
    expect(table).toMatch(/fanout\s+4,045\s+4,073\s+\$138\.00/);
    expect(table).toMatch(/durable\s+stops: LimitExceeded/);
    expect(table).toMatch(/at 2 runs\/s \(5,184,000 a month\)/);
    expect(table).toMatch(/fanout .*5 % of runs cold, \$715\.40 a month/);
  });

  it("puts measured / forecast beside each strategy measured on the set's own platform", () => {
    const { comparison } = aReportDocument();
    const fanout = comparison.strategies.find((entry) => entry.strategy === "fanout");

    const table = renderForecastTable(FORECAST, comparison);

    expect(table).toMatch(/measured\/forecast/);
    expect(table).toContain(((fanout?.wallMs.median ?? 0) / 4045.4).toFixed(2));
    expect(renderForecastTable(FORECAST)).not.toMatch(/measured\/forecast/);
  });

  it("lists the assumptions in Markdown and HTML, the HTML escaped", () => {
    expect(renderForecastMarkdown(FORECAST).join("\n")).toMatch(
      /assumptions \(no published measurement\): lambda\.invokeRequest, sqs\.apiCall/,
    );
    const html = renderForecastHtml(FORECAST);
    expect(html).toContain("AWS us-east-1 &lt;arm64&gt;");
    expect(html).not.toContain("<arm64>");
    expect(html).toMatch(/modelled, not measured/);
  });
});
