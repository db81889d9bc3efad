import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, resolve } from "node:path";
import type { ReportDocument } from "../lib/report/document.js";
import { renderHtml } from "../lib/report/html/renderHtml.js";
import { renderMarkdown } from "../lib/report/markdown/renderMarkdown.js";

/** Writes the report three ways: its document as JSON, Markdown and HTML. */
export function writeReports(
  out: { json: string; markdown: string; html: string },
  document: ReportDocument,
): void {
  const files: Array<[string, string]> = [
    [out.json, `${JSON.stringify(document, null, 2)}\n`],
    [out.markdown, renderMarkdown(document)],
    [out.html, renderHtml(document)],
  ];
  for (const [file, text] of files) {
    mkdirSync(dirname(resolve(file)), { recursive: true });
    writeFileSync(resolve(file), text);
  }
}
