import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { renderHtml } from "../../lib/report/html/renderHtml.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { type OpenedPage, openInChromium } from "../helpers/chromium.js";
import { aPayloadSweep, aReportDocument, aScaleSweep } from "../helpers/reportDocument.js";

const RESULTS = resolve(import.meta.dirname, "../../test-results");
const REPORT = resolve(RESULTS, "report.html");
const SCREENSHOT = resolve(RESULTS, "report.png");
const VIEWPORT = { width: 1280, height: 800 };

/** The seed runs with queue cut to its median measured run: a strategy without an interval. */
function withOneQueueRun(): RunReport[] {
  const { runs, comparison } = aReportDocument();
  const median = comparison.strategies.find((entry) => entry.strategy === "queue")?.medianRunId;
  return runs.filter((run) => run.strategy !== "queue" || run.warmup || run.runId === median);
}

describe("HTML report in headless Chromium", () => {
  const document = aReportDocument({
    runs: withOneQueueRun(),
    payloadSweep: aPayloadSweep(),
    scaleSweep: aScaleSweep(),
  });
  const fileUrl = pathToFileURL(REPORT).href;
  let opened: OpenedPage | undefined;
  let page: Page;
  let requests: string[] = [];
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(RESULTS, { recursive: true });
    await writeFile(REPORT, renderHtml(document));
    opened = await openInChromium(fileUrl, VIEWPORT);
    ({ page, requests, consoleErrors } = opened);
  }, 60_000);

  afterAll(async () => {
    await opened?.browser.close();
  });

  it("draws one Gantt per strategy", async () => {
    // Act
    const gantts = await page.locator("svg.gantt").count();

    // Assess
    expect(gantts).toBe(document.comparison.strategies.length);
  });

  it("draws one task row per task of each strategy's median run, in the run's order", async () => {
    for (const entry of document.comparison.strategies) {
      // Prepare
      const run = document.runs.find((candidate) => candidate.runId === entry.medianRunId);
      const rows = page.locator(`svg.gantt[data-strategy="${entry.strategy}"] g.task`);

      // Act
      const ids = await Promise.all((await rows.all()).map((row) => row.getAttribute("data-task")));

      // Assess
      expect(ids).toEqual(run?.tasks.map((task) => task.id));
    }
  });

  it("shows the verdict as a visible bullet per sentence, not one long line", async () => {
    // Act
    const bullets = page.locator("#verdict li");
    const texts = await bullets.allInnerTexts();

    // Assess
    expect(texts).toEqual(document.verdict);
    for (const bullet of await bullets.all()) expect(await bullet.isVisible()).toBe(true);
    expect(await page.locator("#verdict").evaluate((box) => box.tagName)).toBe("UL");
  });

  it("shows one comparison row per strategy", async () => {
    // Act
    const rows = await page.locator("#comparison tbody tr").count();

    // Assess
    expect(rows).toBe(document.comparison.strategies.length);
  });

  it("draws a visible error bar for each strategy with more than one run, and none for one run", async () => {
    // Prepare
    const expected = document.comparison.strategies
      .filter((entry) => entry.wallMs.count > 1)
      .map((entry) => entry.strategy);
    const bars = await page.locator("#wall-intervals line.error-bar").all();

    // Act
    const strategies = await Promise.all(bars.map((bar) => bar.getAttribute("data-strategy")));

    // Assess
    expect(expected).toEqual(["sequential", "fanout", "inline"]);
    expect(strategies).toEqual(expected);
    await expect(page.locator("#wall-interval-chart").isVisible()).resolves.toBe(true);
    await expect(
      page.locator('#wall-intervals g.wall-interval[data-strategy="queue"]').textContent(),
    ).resolves.toContain("one run: no interval");
  });

  it("draws each error bar across its strategy's median point, on screen", async () => {
    for (const strategy of ["sequential", "fanout", "inline"]) {
      // Prepare
      const row = page.locator(`#wall-intervals g.wall-interval[data-strategy="${strategy}"]`);

      // Act
      const bar = await row.locator("line.error-bar").boundingBox();
      const point = await row.locator("circle.median").boundingBox();

      // Assess: wider than its stroke, the median's centre between its ends
      if (!bar || !point) throw new Error(`${strategy}: no error bar or median point on screen`);
      const centre = point.x + point.width / 2;
      expect(bar.width, strategy).toBeGreaterThan(2);
      expect(centre, strategy).toBeGreaterThanOrEqual(bar.x);
      expect(centre, strategy).toBeLessThanOrEqual(bar.x + bar.width);
    }
  });

  it("shows the payload chart", async () => {
    await expect(page.locator("#payload-chart").isVisible()).resolves.toBe(true);
  });

  it("shows the scale chart", async () => {
    await expect(page.locator("#scale-chart").isVisible()).resolves.toBe(true);
  });

  it("needs no horizontal scrolling at 1280 px wide", async () => {
    // Act
    const scrollWidth = await page.evaluate<number>("document.documentElement.scrollWidth");

    // Assess
    expect(scrollWidth).toBeLessThanOrEqual(VIEWPORT.width);
  });

  it("loads nothing but the file itself and logs no errors", () => {
    expect(requests).toEqual([fileUrl]);
    expect(consoleErrors).toEqual([]);
  });

  it("saves a full-page screenshot for people to look at", async () => {
    // Act
    await page.screenshot({ path: SCREENSHOT, fullPage: true });

    // Assess
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
