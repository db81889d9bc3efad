import { execFileSync } from "node:child_process";
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";
import {
  CreateFunctionCommand,
  DeleteFunctionCommand,
  InvokeCommand,
  LambdaClient,
  waitUntilFunctionActiveV2,
} from "@aws-sdk/client-lambda";
import AdmZip from "adm-zip";
import { afterAll, describe, expect, it } from "vitest";
import { localClientOptions } from "../../localEnvironment/localClients.js";

/**
 * The local Lambda runtime (localstack/executor) through LocalStack's own Lambda API, with small
 * functions made for each case: what the service's handlers never do on purpose (crash, fail to
 * load, outlive their timeout) must still end as Lambda ends it, and never hang.
 */
/** How the local stack runs environments (localstack/start.sh records it): thread or process. */
function localExecutor(): string {
  try {
    return (
      readFileSync(
        resolve(import.meta.dirname, "../../.local/localstack/lambda-executor"),
        "utf8",
      ).split(" ")[0] ?? "thread"
    );
  } catch {
    return "thread";
  }
}

const lambda = new LambdaClient({ ...localClientOptions(), maxAttempts: 1 });
const prefix = `lab-runtime-test-${randomUUID().slice(0, 8)}`;
const created: string[] = [];

const HANDLERS = {
  echo: `let invocations = 0;
export const handler = async (event, context) => {
  invocations += 1;
  if (event.sleepMs) await new Promise((resolve) => setTimeout(resolve, event.sleepMs));
  return { event, invocations, memory: context.memoryLimitInMB, remaining: context.getRemainingTimeInMillis() };
};`,
  failing: `class DiskFullError extends Error { constructor(m) { super(m); this.name = "DiskFullError"; } }
export const handler = async () => { throw new DiskFullError("no space left"); };`,
  crashing: `export const handler = async () => { process.exit(3); };`,
  broken: `export const handler = async () => {;`,
  hungry: `export const handler = async (event) => {
  if (event.allocate) { const kept = []; for (;;) kept.push(new Array(1e5).fill(kept.length)); }
  console.log("fed", JSON.stringify(event));
  return { fed: true };
};`,
};

async function deploy(kind: keyof typeof HANDLERS, timeout = 5, memorySize = 256): Promise<string> {
  const zip = new AdmZip();
  zip.addFile("index.mjs", Buffer.from(HANDLERS[kind]));
  const name = `${prefix}-${created.length}-${kind}`;
  await lambda.send(
    new CreateFunctionCommand({
      FunctionName: name,
      Runtime: "nodejs22.x",
      Handler: "index.handler",
      Role: "arn:aws:iam::000000000000:role/lab-runtime-test",
      Code: { ZipFile: zip.toBuffer() },
      Timeout: timeout,
      MemorySize: memorySize,
    }),
  );
  created.push(name);
  await waitUntilFunctionActiveV2({ client: lambda, maxWaitTime: 60 }, { FunctionName: name });
  return name;
}

async function invoke(name: string, event: unknown = {}) {
  const response = await lambda.send(
    new InvokeCommand({
      FunctionName: name,
      Payload: Buffer.from(JSON.stringify(event)),
      LogType: "Tail",
    }),
  );
  const text = new TextDecoder().decode(response.Payload);
  return {
    functionError: response.FunctionError,
    body: JSON.parse(text) as Record<string, unknown>,
    log: Buffer.from(response.LogResult ?? "", "base64").toString("utf8"),
  };
}

afterAll(async () => {
  for (const name of created) {
    await lambda.send(new DeleteFunctionCommand({ FunctionName: name })).catch(() => {});
  }
});

describe("The local Lambda runtime (localstack/executor, the local stack's executor)", () => {
  it("runs a handler with its event and a Lambda context, keeping module state while warm", async () => {
    const name = await deploy("echo");

    const first = await invoke(name, { hello: "world" });
    const second = await invoke(name, { hello: "again" });

    expect(first.functionError).toBeUndefined();
    expect(first.body).toMatchObject({ event: { hello: "world" }, invocations: 1, memory: "256" });
    expect(first.body.remaining).toBeGreaterThan(0);
    expect(second.body).toMatchObject({ invocations: 2 });
  });

  it("reports a thrown error with the error's own name, as Lambda does", async () => {
    const name = await deploy("failing");

    const { functionError, body } = await invoke(name);

    expect(functionError).toBeDefined();
    expect(body).toMatchObject({ errorType: "DiskFullError", errorMessage: "no space left" });
  });

  it("ends an invocation at the function's timeout, and the next one gets a fresh environment", async () => {
    const name = await deploy("echo", 1);

    const timedOut = await invoke(name, { sleepMs: 3000 });
    const next = await invoke(name, {});

    expect(timedOut.functionError).toBeDefined();
    expect(timedOut.body).toMatchObject({ errorType: "Sandbox.Timedout" });
    expect(String(timedOut.body.errorMessage)).toContain("Task timed out after 1.00 seconds");
    expect(next.functionError).toBeUndefined();
    expect(next.body).toMatchObject({ invocations: 1 });
  });

  it("reports a crashed runtime, and the next invocation runs in a fresh environment", async () => {
    const crashing = await deploy("crashing");

    const crashed = await invoke(crashing);
    const again = await invoke(crashing);

    expect(crashed.functionError).toBeDefined();
    expect(crashed.body).toMatchObject({ errorType: "Runtime.ExitError" });
    expect(again.body).toMatchObject({ errorType: "Runtime.ExitError" });
  });

  it("reports a module that cannot load as an error, not a hang", async () => {
    const name = await deploy("broken");

    const { functionError, body } = await invoke(name);

    expect(functionError).toBeDefined();
    expect(JSON.stringify(body)).toMatch(/SyntaxError|Runtime\./);
  });

  it("runs concurrent invocations in parallel execution environments", async () => {
    const name = await deploy("echo");
    const started = Date.now();

    const results = await Promise.all(
      Array.from({ length: 10 }, () => invoke(name, { sleepMs: 1000 })),
    );

    expect(results.every((result) => result.functionError === undefined)).toBe(true);
    // Ten 1 s invocations one after another would take 10 s; cold starts of ten processes on a
    // 2-core machine take a few seconds, so the bound is generous.
    expect(Date.now() - started).toBeLessThan(8000);
    // each environment has its own module state, as separate sandboxes on AWS do
    expect(results.map((result) => result.body.invocations)).toEqual(Array(10).fill(1));
  });

  it("returns the invocation's own log lines and Lambda's REPORT line with LogType Tail", async () => {
    const name = await deploy("hungry", 5, 128);

    const { log } = await invoke(name, { meal: 1 });

    expect(log).toMatch(/\tINFO\tfed \{"meal":1\}\n/);
    expect(log).toMatch(
      /REPORT RequestId: \S+\tDuration: [\d.]+ ms\tBilled Duration: \d+ ms\tMemory Size: 128 MB\tMax Memory Used: \d+ MB/,
    );
  });

  it.skipIf(localExecutor() === "process")(
    "replaces a function's thread host that died, environments and all",
    async () => {
      const name = await deploy("echo");
      await invoke(name, {});
      const host = execFileSync("pgrep", ["-f", `threadHost.mjs ${name}$`], { encoding: "utf8" });
      process.kill(Number(host.trim().split("\n")[0]), "SIGKILL");

      const lost = await invoke(name, {});
      const next = await invoke(name, {});

      // the first invocation after it died may fail as a crashed runtime; none hangs, and a new
      // host's fresh environment (its first invocation) answers from then on
      expect([undefined, "Unhandled"]).toContain(lost.functionError);
      if (lost.functionError) expect(lost.body).toMatchObject({ errorType: "Runtime.ExitError" });
      expect(next.functionError).toBeUndefined();
      expect((lost.functionError ? next : lost).body).toMatchObject({ invocations: 1 });
    },
  );

  // The process executor (LAB_LAMBDA_EXECUTOR=process) enforces no memory limit.
  it.skipIf(localExecutor() === "process")(
    "stops an environment that outgrows the function's memory size, and starts a fresh one",
    async () => {
      const name = await deploy("hungry", 10, 128);

      const starved = await invoke(name, { allocate: true });
      const next = await invoke(name, {});

      expect(starved.functionError).toBeDefined();
      expect(starved.body).toMatchObject({ errorType: "Runtime.OutOfMemory" });
      expect(next.functionError).toBeUndefined();
      expect(next.body).toEqual({ fed: true });
    },
  );
});
