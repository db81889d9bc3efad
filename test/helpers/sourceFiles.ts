import { readdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";

export const projectRoot = resolve(import.meta.dirname, "../..");
/** The project's own TypeScript sources (not tests, not examples). */
export const SOURCE_DIRS = ["lib", "functions", "adapters", "cli", "bench", "localEnvironment"];

/** Every .ts file under `dir`, recursively. */
export function sourceFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((entry) => {
    const path = join(dir, entry);
    if (statSync(path).isDirectory()) return sourceFiles(path);
    return path.endsWith(".ts") ? [path] : [];
  });
}
