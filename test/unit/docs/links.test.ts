import { existsSync, readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** The pages a reader follows from the README. */
const PAGES = [
  "README.md",
  ...readdirSync(join(projectRoot, "docs"))
    .filter((name) => name.endsWith(".md"))
    .map((name) => `docs/${name}`),
  "docs/research/durable-functions.md",
  "localstack/README.md",
  "examples/sales-report/README.md",
];

/** GitHub's anchor for a heading: lower case, punctuation dropped, spaces as hyphens. */
function slug(heading: string): string {
  return heading
    .toLowerCase()
    .replace(/[^a-z0-9 _-]/g, "")
    .replace(/ /g, "-");
}

function anchorsOf(file: string): Set<string> {
  const text = readFileSync(file, "utf8").replace(/```[\s\S]*?```/g, "");
  return new Set(
    [...text.matchAll(/^#{1,6} (.+)$/gm)].map((match) => slug((match[1] ?? "").trim())),
  );
}

/** Every relative link of a page (code blocks left out), with the page it is on. */
function linksOf(page: string): Array<{ page: string; target: string }> {
  const text = readFileSync(join(projectRoot, page), "utf8").replace(/```[\s\S]*?```/g, "");
  return [...text.matchAll(/\]\(([^)\s]+)\)/g)]
    .map((match) => match[1] ?? "")
    .filter((target) => !/^(https?:|mailto:)/.test(target))
    .map((target) => ({ page, target }));
}

describe("The README and the pages it links", () => {
  it("have every relative link resolve: the file, and the heading an anchor names", () => {
    const broken = PAGES.flatMap(linksOf).filter(({ page, target }) => {
      const [path = "", anchor] = target.split("#");
      const file =
        path === "" ? join(projectRoot, page) : resolve(dirname(join(projectRoot, page)), path);
      if (!existsSync(file)) return true;
      return anchor !== undefined && file.endsWith(".md") && !anchorsOf(file).has(anchor);
    });

    expect(broken.map(({ page, target }) => `${page}: ${target}`)).toEqual([]);
  });

  it("keeps the README's first screen short: two set-up commands, then where to go next", () => {
    const readme = readFileSync(join(projectRoot, "README.md"), "utf8");
    const [, commands = ""] = readme.match(/```bash\n([\s\S]*?)```/) ?? [];

    expect(commands.trim().split("\n")).toHaveLength(2);
    expect(readme.split("\n").length).toBeLessThan(120);
    expect(readme).toContain("## Where to go next");
    expect(relative(projectRoot, join(projectRoot, "README.md"))).toBe("README.md");
  });
});
