import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { TestProject } from "vitest/node";
import { startLocalEnvironment } from "../../localEnvironment/startLocalEnvironment.js";
import { EXAMPLE_SERVICE, exampleFunctions, FIXTURE_FUNCTIONS } from "../helpers/ownFunctions.js";

declare module "vitest" {
  export interface ProvidedContext {
    apiUrl: string;
    /** The deployed stage's API key: every /runs route is private (serverless.yml). */
    apiKey: string;
    workQueueUrl: string;
    deadLetterQueueUrl: string;
    replyQueuePrefix: string;
  }
}

const projectRoot = resolve(dirname(fileURLToPath(import.meta.url)), "../..");

/** The real local stack, once for all integration tests: the service deployed into LocalStack. */
export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const environment = await startLocalEnvironment(projectRoot, {
    log: (line) => console.log(`[local stack] ${line}`),
    // The example's functions and the fixtures ownFunctions.test.ts creates (one of them never
    // exists): the deploy parameter, as a user would pass it.
    ownService: join(projectRoot, EXAMPLE_SERVICE),
    invokableFunctions: [...exampleFunctions(), ...Object.values(FIXTURE_FUNCTIONS)],
  });
  project.provide("apiUrl", environment.apiUrl);
  project.provide("apiKey", environment.apiKey ?? "");
  project.provide("workQueueUrl", environment.queues?.get("WorkQueue")?.url ?? "");
  project.provide("deadLetterQueueUrl", environment.queues?.get("DeadLetterQueue")?.url ?? "");
  project.provide("replyQueuePrefix", environment.replyQueuePrefix);
  return () => environment.stop();
}
