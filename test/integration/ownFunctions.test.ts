import { LambdaClient } from "@aws-sdk/client-lambda";
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { SQSClient } from "@aws-sdk/client-sqs";
import { beforeAll, describe, expect, inject, it } from "vitest";
import { ApiError, runStrategy } from "../../adapters/runsApiClient.js";
import { invokesFunctions } from "../../lib/ownFunctions/applicability.js";
import type { RunReport } from "../../lib/runReport/types.js";
import { STRATEGIES } from "../../lib/strategies/names.js";
import { strategyNamed } from "../../lib/strategies/registry.js";
import type { Workflow } from "../../lib/workflow/types.js";
import { localClientOptions } from "../../localEnvironment/localClients.js";
import { queueDepth } from "../../localEnvironment/queueDepth.js";
import {
  createFixtureFunctions,
  exampleWorkflow,
  FIXTURE_FUNCTIONS,
} from "../helpers/ownFunctions.js";
import { refusalOf } from "../helpers/rejection.js";

const apiUrl = inject("apiUrl");
const api = { apiKey: inject("apiKey") };
const INVOKING = STRATEGIES.filter((name) => invokesFunctions(strategyNamed(name)));
/** Where each strategy's figures for an own function come from (lib/ownFunctions/measurement.ts). */
const SOURCE = {
  sequential: "REPORT line",
  fanout: "REPORT line",
  queue: "REPORT line",
  stepfunctions: "execution timestamps",
  durable: "execution timestamps",
} as const;

const s3 = new S3Client({ ...localClientOptions(), forcePathStyle: true });

const single = (id: string, fn: string, extra: object = {}): Workflow => ({
  tasks: [{ id, function: fn, deps: [], ...extra }],
});

beforeAll(async () => {
  await createFixtureFunctions(new LambdaClient(localClientOptions()));
}, 120_000);

describe("the user's own functions as workflow nodes (examples/sales-report)", () => {
  it.each(INVOKING)(
    "%s runs the example: 24 parts summarised in parallel, merged and stored, outputs flowing between the real functions",
    async (strategy) => {
      const report: RunReport = await runStrategy(
        apiUrl,
        strategy,
        { workflow: exampleWorkflow() },
        api,
      );

      expect(report.error).toBeUndefined();
      expect(report.status).toBe("succeeded");
      const byId = new Map(report.tasks.map((task) => [task.id, task]));
      const summaries = report.tasks.filter((task) => task.id.startsWith("summarize"));
      expect(summaries).toHaveLength(24);
      // storeReport wrote exactly what merge returned (too big for the report, 3 KB): its digest
      // is merge's, and in it mergeSummaries' digest of each input as it received it is what
      // each summarizePart returned.
      const merge = byId.get("merge");
      const stored = byId.get("store")?.output as { bucket: string; key: string; digest: string };
      expect(stored.digest).toBe(merge?.outputDigest);
      const object = await s3.send(
        new GetObjectCommand({ Bucket: stored.bucket, Key: stored.key }),
      );
      const written = JSON.parse((await object.Body?.transformToString()) ?? "{}");
      expect(written).toMatchObject({ parts: 24, rows: 48_000 });
      for (const task of summaries) expect(written.digests[task.id]).toBe(task.outputDigest);
      // Billed from Lambda's own figures, at each function's real configuration.
      for (const task of report.tasks) {
        expect(task.function).toMatch(/^sales-report-local-/);
        expect(task.measurement?.source).toBe(SOURCE[strategy as keyof typeof SOURCE]);
        expect(task.billing?.architecture).toBe("arm64");
        expect(task.billing?.billedMs).toBeGreaterThan(0);
      }
      expect(summaries.every((task) => task.billing?.memoryMb === 512)).toBe(true);
      expect(byId.get("merge")?.billing?.memoryMb).toBe(1024);
      if (SOURCE[strategy as keyof typeof SOURCE] === "REPORT line") {
        expect(summaries.every((task) => (task.billing?.maxMemoryUsedMb ?? 0) > 0)).toBe(true);
      }
      expect(report.cost?.totalUsd).toBeGreaterThan(0);
    },
    120_000,
  );

  it("inline cannot run them: a 400 naming the task's function, before anything runs", async () => {
    const error = await refusalOf(
      runStrategy(apiUrl, "inline", { workflow: exampleWorkflow() }, api),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/answered 400/);
    expect((error as ApiError).message).toMatch(/workflow\.tasks\[0\]\.function/);
    expect((error as ApiError).message).toMatch(/cannot invoke a Lambda function/);
  });
});

describe("an own function that cannot run fails clearly, naming the task", () => {
  it.each(INVOKING)("%s: a function not allowed by the deploy is a 403", async (strategy) => {
    const error = await refusalOf(
      runStrategy(
        apiUrl,
        strategy,
        { workflow: single("notMine", "concurrency-lab-local-writeLog") },
        api,
      ),
    );

    expect((error as ApiError).message).toMatch(/403/);
    expect((error as ApiError).message).toMatch(/task 'notMine'.*invokableFunctions/);
  });

  it.each(INVOKING)("%s: a function that does not exist is a 400", async (strategy) => {
    const error = await refusalOf(
      runStrategy(apiUrl, strategy, { workflow: single("ghost", FIXTURE_FUNCTIONS.missing) }, api),
    );

    expect((error as ApiError).message).toMatch(/400/);
    expect((error as ApiError).message).toMatch(
      /task 'ghost'.*no Lambda function.*deploy it first/,
    );
  });

  it.each(INVOKING)(
    "%s: a function that throws fails the run with its own error",
    async (strategy) => {
      const report = await runStrategy(
        apiUrl,
        strategy,
        { workflow: single("thrower", FIXTURE_FUNCTIONS.throws) },
        api,
      );

      expect(report.status).toBe("failed");
      expect(report.error).toMatchObject({ taskId: "thrower", type: "TypeError" });
      expect(report.error?.message).toMatch(/fixture failed on purpose/);
    },
    60_000,
  );

  it.each(INVOKING)(
    "%s: a function past its timeout fails the run, naming it",
    async (strategy) => {
      const report = await runStrategy(
        apiUrl,
        strategy,
        { workflow: single("sleeper", FIXTURE_FUNCTIONS.sleeps) },
        api,
      );

      expect(report.status).toBe("failed");
      expect(report.error?.taskId).toBe("sleeper");
      expect(report.error?.message).toMatch(/timed out after 1\.00 seconds/);
    },
    60_000,
  );

  it.each(["sequential", "fanout"] as const)(
    "%s: an event over Lambda's 6 MB invoke limit is refused before it is sent, naming the task",
    async (strategy) => {
      // Two built-in tasks' outputs of 3.5 MB each, both the own function's inputs.
      const workflow: Workflow = {
        tasks: [
          { id: "a", fn: "queryData", deps: [], durationMs: 1, outputBytes: 3_500_000 },
          { id: "b", fn: "queryData", deps: [], durationMs: 1, outputBytes: 3_500_000 },
          { id: "echo", function: FIXTURE_FUNCTIONS.echo, deps: ["a", "b"] },
        ],
      };

      const report = await runStrategy(apiUrl, strategy, { workflow }, api);

      expect(report.status).toBe("failed");
      expect(report.error?.taskId).toBe("echo");
      expect(report.error?.message).toMatch(/echo's event is [\d,]+ bytes, over the .*6,291,456/);
    },
    60_000,
  );

  it("the queue leaves nothing on its work queue after own functions failed", async () => {
    const sqs = new SQSClient(localClientOptions());
    const depth = await queueDepth(sqs, inject("workQueueUrl"));
    expect(depth).toBe(0);
  });
});
