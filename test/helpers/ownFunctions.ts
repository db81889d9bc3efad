import { readFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CreateFunctionCommand,
  GetFunctionConfigurationCommand,
  type LambdaClient,
  ResourceConflictException,
} from "@aws-sdk/client-lambda";
import AdmZip from "adm-zip";
import { validateWorkflow } from "../../lib/workflow/dag.js";
import type { Workflow } from "../../lib/workflow/types.js";

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The example service of a user's own functions (examples/sales-report). */
export const EXAMPLE_SERVICE = "examples/sales-report";

export function exampleWorkflow(): Workflow {
  const file = join(projectRoot, EXAMPLE_SERVICE, "workflow.json");
  return validateWorkflow(JSON.parse(readFileSync(file, "utf8")), "workflow");
}

/** The functions the example's workflow names. */
export function exampleFunctions(): string[] {
  return [...new Set(exampleWorkflow().tasks.flatMap((task) => task.function ?? []))];
}

/** Own functions for the failure cases; `missing` is allowed by the deploy but never created. */
export const FIXTURE_FUNCTIONS = {
  throws: "lab-fixture-throws",
  sleeps: "lab-fixture-sleeps",
  echo: "lab-fixture-echo",
  missing: "lab-fixture-missing",
} as const;

const FIXTURE_CODE: Record<"throws" | "sleeps" | "echo", { code: string; timeout: number }> = {
  throws: {
    code: 'export const handler = async () => { throw new TypeError("fixture failed on purpose"); };',
    timeout: 3,
  },
  sleeps: {
    code: "export const handler = () => new Promise((done) => setTimeout(() => done('late'), 5000));",
    timeout: 1,
  },
  echo: { code: "export const handler = async (event) => event;", timeout: 3 },
};

/** Creates the fixtures (once: a second call finds them), as a user's own deployed functions. */
export async function createFixtureFunctions(lambda: LambdaClient): Promise<void> {
  for (const [key, { code, timeout }] of Object.entries(FIXTURE_CODE)) {
    const zip = new AdmZip();
    zip.addFile("index.mjs", Buffer.from(code));
    const name = FIXTURE_FUNCTIONS[key as keyof typeof FIXTURE_CODE];
    try {
      await lambda.send(
        new CreateFunctionCommand({
          FunctionName: name,
          Runtime: "nodejs22.x",
          Handler: "index.handler",
          Role: "arn:aws:iam::000000000000:role/lab-fixture",
          Code: { ZipFile: zip.toBuffer() },
          Timeout: timeout,
          MemorySize: 256,
          Architectures: ["arm64"],
        }),
      );
    } catch (error) {
      if (!(error instanceof ResourceConflictException)) throw error;
    }
  }
  // A created function is Pending until its environment is ready to take invokes.
  for (const name of Object.values(FIXTURE_FUNCTIONS).filter(
    (n) => n !== FIXTURE_FUNCTIONS.missing,
  )) {
    for (let attempt = 0; attempt < 60; attempt += 1) {
      const { State } = await lambda.send(
        new GetFunctionConfigurationCommand({ FunctionName: name }),
      );
      if (State === "Active") break;
      await new Promise((done) => setTimeout(done, 500));
    }
  }
}
