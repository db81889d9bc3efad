import { describe, expect, inject, it } from "vitest";
import { ApiError, runStrategy } from "../../adapters/runsApiClient.js";
import { STRATEGIES } from "../../lib/strategies/names.js";
import type { Workflow } from "../../lib/workflow/types.js";
import { refusalOf } from "../helpers/rejection.js";

const apiUrl = inject("apiUrl");
const api = { apiKey: inject("apiKey") };
/** Inline's tasks run in its own process: a killed environment would be the run itself. */
const WITH_ENVIRONMENTS = STRATEGIES.filter((name) => name !== "inline");

/** The query's environment is killed half-way through its first attempt. */
const crashing = (id: string, retries: number): Workflow => ({
  retries,
  tasks: [
    { id: `${id}q`, fn: "queryData", deps: [], durationMs: 100, fault: "crash" },
    { id: `${id}p`, fn: "processData", deps: [`${id}q`], durationMs: 100 },
  ],
});

describe("a task whose execution environment is killed", () => {
  it.each(WITH_ENVIRONMENTS)(
    "%s recovers with retries, by its platform's mechanism, and reports the attempts",
    async (strategy) => {
      const report = await runStrategy(apiUrl, strategy, { workflow: crashing(strategy, 1) }, api);

      expect(report.error).toBeUndefined();
      expect(report.status).toBe("succeeded");
      const query = report.tasks.find((task) => task.id === `${strategy}q`);
      expect(query?.attempts).toBe(2);
      // processData received the query's output of the attempt that succeeded.
      const processed = report.tasks.find((task) => task.id === `${strategy}p`);
      expect(processed?.output).toMatchObject({
        digests: { [`${strategy}q`]: query?.outputDigest },
      });
    },
    60_000,
  );

  it.each(WITH_ENVIRONMENTS.filter((name) => name !== "queue"))(
    "%s without retries fails naming the task and the crash",
    async (strategy) => {
      const report = await runStrategy(
        apiUrl,
        strategy,
        { workflow: crashing(`${strategy}0`, 0) },
        api,
      );

      expect(report.status).toBe("failed");
      expect(report.error?.taskId).toBe(`${strategy}0q`);
      expect(`${report.error?.type} ${report.error?.message}`).toMatch(/exit/i);
    },
    60_000,
  );

  it("inline refuses the fault before the run: a 400 naming it, its tasks' environment being the orchestrator's own", async () => {
    const error = await refusalOf(
      runStrategy(apiUrl, "inline", { workflow: crashing("inline", 1) }, api),
    );

    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).message).toMatch(/answered 400/);
    expect((error as ApiError).message).toMatch(/workflow\.tasks\[0\]\.fault/);
  });
});
