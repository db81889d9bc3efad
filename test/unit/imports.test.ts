import { readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { projectRoot, SOURCE_DIRS, sourceFiles } from "../helpers/sourceFiles.js";

describe("The sources' imports", () => {
  it("give every name one import path: no module hands on another's names", () => {
    // Prepare
    const reexport = /^export\s+(type\s+)?(\*|\{[^}]*\})\s+from\s/m;
    const files = SOURCE_DIRS.flatMap((dir) => sourceFiles(join(projectRoot, dir)));

    // Act
    const offenders = files
      .filter((file) => reexport.test(readFileSync(file, "utf8")))
      .map((file) => relative(projectRoot, file));

    // Assess
    expect(offenders).toEqual([]);
  });
});
