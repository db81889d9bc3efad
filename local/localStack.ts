import { spawn } from "node:child_process";
import { join } from "node:path";

export interface LocalStackHandle {
  /** False when a LocalStack was already running: then stopping leaves it alone. */
  startedByUs: boolean;
  stop(): Promise<void>;
}

function runScript(projectRoot: string, script: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [join(projectRoot, "localstack", script)], {
      cwd: projectRoot,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("error", reject);
    child.once("exit", (code) => {
      if (code === 0) resolve(output);
      else reject(new Error(`localstack/${script} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}

/**
 * Starts LocalStack 4.14.0 the way this machine allows (Docker compose, or host mode from a
 * Python venv) through localstack/start.sh, which reuses one that is already running.
 */
export async function startLocalStack(projectRoot: string): Promise<LocalStackHandle> {
  const output = await runScript(projectRoot, "start.sh");
  const startedByUs = !output.includes("(reused)");
  return {
    startedByUs,
    stop: async () => {
      if (startedByUs) await runScript(projectRoot, "stop.sh");
    },
  };
}
