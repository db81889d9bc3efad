import { dirname, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startLocalEnvironment } from "../../local/startLocalEnvironment.js";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    workQueueUrl: string;
    deadLetterQueueUrl: string;
  }
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The real local stack, once for all integration tests: the service deployed into LocalStack. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const environment = await startLocalEnvironment(projectRoot, {
    log: (line) => console.log(`[local stack] ${line}`),
  });
  project.provide("apiUrl", environment.apiUrl);
  project.provide("workQueueUrl", environment.queues?.get("WorkQueue")?.url ?? "");
  project.provide("deadLetterQueueUrl", environment.queues?.get("DeadLetterQueue")?.url ?? "");
  return () => environment.stop();
}
