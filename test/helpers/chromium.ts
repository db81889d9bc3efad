import { existsSync } from "node:fs";
import { type Browser, chromium, type Page } from "playwright-core";

/** Debian's Chromium: playwright-core drives it and never downloads a browser of its own. */
function chromiumPath(): string {
  const path = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
  if (!existsSync(path)) {
    throw new Error(
      `Chromium not found at ${path}: install it with \`apt-get install chromium\` ` +
        "(CI does so in .ci/run), or point CHROMIUM_PATH at a Chromium executable.",
    );
  }
  return path;
}

/** A page open in headless Chromium, with every request it made and every error it logged. */
export interface OpenedPage {
  browser: Browser;
  page: Page;
  requests: string[];
  consoleErrors: string[];
}

/** Opens `url` in headless Chromium at `viewport`, recording its requests and console errors. */
export async function openInChromium(
  url: string,
  viewport: { width: number; height: number },
): Promise<OpenedPage> {
  const browser = await chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ["--no-sandbox"],
  });
  const page = await browser.newPage({ viewport });
  const requests: string[] = [];
  const consoleErrors: string[] = [];
  page.on("request", (request) => requests.push(request.url()));
  page.on("console", (message) => {
    if (message.type() === "error") consoleErrors.push(message.text());
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await page.goto(url, { waitUntil: "load" });
  return { browser, page, requests, consoleErrors };
}
