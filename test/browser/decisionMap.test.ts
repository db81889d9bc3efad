import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import { resolve } from "node:path";
import { pathToFileURL } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CSS } from "../../lib/report/html/htmlCss.js";
import { renderDecisionMapSection } from "../../lib/report/html/htmlDecisionMap.js";
import { STRATEGIES } from "../../lib/strategies/names.js";
import { type OpenedPage, openInChromium } from "../helpers/chromium.js";
import { aDecisionMap } from "../helpers/decisionMap.js";

const RESULTS = resolve(import.meta.dirname, "../../test-results");
const PAGE = resolve(RESULTS, "decision-map.html");
const SCREENSHOT = resolve(RESULTS, "decision-map.png");
const VIEWPORT = { width: 1280, height: 800 };

/** The section alone in a page styled as the report is. */
const pageOf = (section: string): string => `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<link rel="icon" href="data:,">
<title>Decision map</title>
<style>${CSS}</style>
</head>
<body>
<main>
${section}
</main>
</body>
</html>
`;

describe("decision map in headless Chromium", () => {
  const fileUrl = pathToFileURL(PAGE).href;
  let opened: OpenedPage | undefined;
  let page: Page;
  let requests: string[] = [];
  let consoleErrors: string[] = [];

  beforeAll(async () => {
    await mkdir(RESULTS, { recursive: true });
    await writeFile(PAGE, pageOf(renderDecisionMapSection(aDecisionMap())));
    opened = await openInChromium(fileUrl, VIEWPORT);
    ({ page, requests, consoleErrors } = opened);
  }, 60_000);

  afterAll(async () => {
    await opened?.browser.close();
  });

  it("shows the map's SVG, on screen and not empty", async () => {
    // Act
    const svg = page.locator("#decision-map svg[role='img']");
    const box = await svg.boundingBox();

    // Assess
    await expect(svg.isVisible()).resolves.toBe(true);
    expect(box?.width).toBeGreaterThan(0);
    expect(box?.height).toBeGreaterThan(0);
  });

  it("draws one cell per point, each on screen", async () => {
    // Prepare
    const cells = await page.locator("#decision-map rect.cell").all();

    // Act
    const boxes = await Promise.all(cells.map((cell) => cell.boundingBox()));

    // Assess
    expect(cells).toHaveLength(9);
    for (const box of boxes) expect(box?.width).toBeGreaterThan(10);
  });

  it("lists the six strategies in the legend", async () => {
    // Act
    const names = await page
      .locator("#decision-map-legend .map-strategy")
      .evaluateAll((items) => items.map((item) => item.textContent));

    // Assess
    expect(names).toEqual([...STRATEGIES]);
  });

  it("loads nothing but the file itself and logs no errors", () => {
    expect(requests).toEqual([fileUrl]);
    expect(consoleErrors).toEqual([]);
  });

  it("saves a screenshot of the section for people to look at", async () => {
    // Act
    await page.locator("#decision-map").screenshot({ path: SCREENSHOT });

    // Assess
    expect(existsSync(SCREENSHOT)).toBe(true);
  });
});
