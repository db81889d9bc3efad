import type { Context } from "aws-lambda";
import type { RunRecordStore, RunStarter } from "../lib/ports.js";
import { runRecordsConfig } from "./config.js";
import type { RunServices } from "./http/createRunHandler.js";

let records: RunRecordStore | undefined;

/** The run records' store, built on first use and kept for the environment's next invocations. */
export async function runRecordStore(): Promise<RunRecordStore> {
  const { S3RunRecordStore } = await import("../adapters/S3RunRecordStore.js");
  records ??= new S3RunRecordStore(runRecordsConfig().RUN_RECORDS_BUCKET);
  return records;
}

/** A worker's timeout less what it needs besides the task: the longest task it can run. */
const WORKER_MARGIN_S = 2;

/** The AWS services every orchestrator records and starts its runs with. */
export const awsRunServices: RunServices = {
  records: runRecordStore,
  starter: async (context: Context): Promise<RunStarter> => {
    const { LambdaRunStarter } = await import("../adapters/LambdaRunStarter.js");
    return new LambdaRunStarter(context.invokedFunctionArn);
  },
  longestTask: () => {
    const workerTimeoutS = runRecordsConfig().WORKER_TIMEOUT_SECONDS;
    return workerTimeoutS === undefined
      ? undefined
      : {
          ms: (workerTimeoutS - WORKER_MARGIN_S) * 1000,
          limit: `the queue worker's timeout of ${workerTimeoutS} s (serverless.yml)`,
        };
  },
};
