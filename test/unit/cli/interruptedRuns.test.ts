import { describe, expect, it } from "vitest";
import { describeInterruptedRuns } from "../../../cli/interruptedRuns.js";

const API = "https://abc123.execute-api.eu-west-1.amazonaws.com/dev";
const QUEUE_RUN = { runId: "compare-20261205T101112Z-3f9a-queue-3", strategy: "queue" } as const;
const DURABLE_RUN = {
  runId: "compare-20261205T101112Z-3f9a-durable-4",
  strategy: "durable",
} as const;

describe("Function: describeInterruptedRuns", () => {
  it("gives, for each run left going, the compare --fetch line and the curl line with the key from LAB_API_KEY", () => {
    const lines = describeInterruptedRuns([QUEUE_RUN, DURABLE_RUN], {
      apiUrl: API,
      ownLocalStack: false,
    });

    expect(lines).toEqual([
      `Ctrl-C: 2 runs left going at ${API}; fetch each later with:`,
      `  queue ${QUEUE_RUN.runId}`,
      `    npx compare --fetch ${QUEUE_RUN.runId} --url ${API}`,
      `    curl -H "x-api-key: $LAB_API_KEY" ${API}/runs/${QUEUE_RUN.runId}`,
      `  durable ${DURABLE_RUN.runId}`,
      `    npx compare --fetch ${DURABLE_RUN.runId} --url ${API}`,
      `    curl -H "x-api-key: $LAB_API_KEY" ${API}/runs/${DURABLE_RUN.runId}`,
    ]);
  });

  it("says the runs end with a local stack the command started, and how to leave them going", () => {
    const lines = describeInterruptedRuns([QUEUE_RUN], {
      apiUrl: "http://127.0.0.1:4566/restapis/x/local/_user_request_",
      ownLocalStack: true,
    });

    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(QUEUE_RUN.runId);
    expect(lines[0]).toMatch(/ends with the local stack this command started/);
    expect(lines[0]).toMatch(/npm run serve/);
    expect(lines[0]).not.toMatch(/--fetch/);
  });

  it("says nothing when no run is under way", () => {
    expect(describeInterruptedRuns([], { apiUrl: API, ownLocalStack: false })).toEqual([]);
  });
});
