import { execFile } from "node:child_process";
import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/**
 * The compare command as a user runs it (`node bin/compare.js`), with its exit code, stdout and
 * stderr. Only for what runs without the local stack: a bad flag, --forecast-only, --help.
 */
export async function compareCommand(
  args: string[],
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ["bin/compare.js", ...args],
      { cwd: projectRoot, env: { ...process.env, CI: "1" } },
    );
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}
