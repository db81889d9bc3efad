import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { z } from "zod";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

const PackageJson = z.object({
  engines: z.object({ node: z.string() }),
  devDependencies: z.record(z.string(), z.string()),
  allowScripts: z.record(z.string(), z.boolean()),
});

const PackageLock = z.object({
  packages: z.record(
    z.string(),
    z.object({
      name: z.string().optional(),
      version: z.string().optional(),
      hasInstallScript: z.boolean().optional(),
    }),
  ),
});

function readJson(file: string): unknown {
  return JSON.parse(readFileSync(join(projectRoot, file), "utf8"));
}

describe("The install", () => {
  it("brings the Node the functions run on: the `node` dev dependency is the template's nodejs<major>.x, and engines ask for it", () => {
    const pkg = PackageJson.parse(readJson("package.json"));
    const template = readFileSync(join(projectRoot, "serverless.yml"), "utf8");
    const [, runtimeMajor] = template.match(/^ {2}runtime: nodejs(\d+)\.x$/m) ?? [];

    const [nodeMajor] = (pkg.devDependencies.node ?? "").split(".");

    expect(nodeMajor).toBe(runtimeMajor);
    expect(pkg.engines.node).toBe(`>=${runtimeMajor}`);
  });

  it("has every dependency's install script reviewed in allowScripts (approved or denied), so `npm ci` warns of none", () => {
    const { allowScripts } = PackageJson.parse(readJson("package.json"));
    const { packages } = PackageLock.parse(readJson("package-lock.json"));

    const unreviewed = Object.entries(packages)
      .filter(([, entry]) => entry.hasInstallScript)
      .map(([path, entry]) => ({
        name: entry.name ?? path.slice(path.lastIndexOf("node_modules/") + "node_modules/".length),
        version: entry.version,
      }))
      .filter(
        ({ name, version }) => !(name in allowScripts) && !(`${name}@${version}` in allowScripts),
      )
      .map(({ name, version }) => `${name}@${version}`);

    expect(unreviewed).toEqual([]);
  });
});
