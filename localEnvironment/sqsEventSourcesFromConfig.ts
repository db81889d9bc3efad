import type { ResolvedServerlessConfig } from "./resolveServerlessConfig.js";

/** One `sqs` event of a function in serverless.yml, with AWS's defaults applied. */
export interface SqsEventSource {
  functionKey: string;
  functionName: string;
  /** The queue as `!GetAtt <LogicalId>.Arn`, or as a literal ARN. */
  queueLogicalId?: string;
  queueArn?: string;
  batchSize: number;
  maximumBatchingWindowSeconds: number;
  reportBatchItemFailures: boolean;
  /** `maximumConcurrency`: the most batches the mapping runs at once (AWS: 2-1,000). */
  maximumConcurrency?: number;
}

interface SqsEventSettings {
  arn: unknown;
  batchSize?: number;
  maximumBatchingWindow?: number;
  functionResponseType?: string;
  maximumConcurrency?: number;
}

const DEFAULT_BATCH_SIZE = 10;

function queueReference(arn: unknown): Pick<SqsEventSource, "queueLogicalId" | "queueArn"> {
  if (typeof arn === "string") return { queueArn: arn };
  const getAtt = (arn as { "Fn::GetAtt"?: unknown[] } | undefined)?.["Fn::GetAtt"];
  if (Array.isArray(getAtt) && getAtt[1] === "Arn") return { queueLogicalId: String(getAtt[0]) };
  throw new Error(
    `unsupported sqs event arn ${JSON.stringify(arn)}: use a string or !GetAtt X.Arn`,
  );
}

/**
 * Reads every `sqs` event of the resolved serverless configuration, `enabled: false` ones too: on
 * the local stage LocalStack's own mapping is turned off (serverless.yml) so that ours feeds the
 * function instead.
 */
export function sqsEventSourcesFromConfig(config: ResolvedServerlessConfig): SqsEventSource[] {
  const service = typeof config.service === "string" ? config.service : config.service.name;
  return Object.entries(config.functions ?? {}).flatMap(([functionKey, definition]) =>
    (definition.events ?? [])
      .filter((event) => event.sqs !== undefined)
      .map((event) => {
        const raw = event.sqs as string | SqsEventSettings;
        return typeof raw === "string" ? { arn: raw } : raw;
      })
      .map((settings) => ({
        functionKey,
        functionName: definition.name ?? `${service}-${config.provider.stage}-${functionKey}`,
        ...queueReference(settings.arn),
        batchSize: settings.batchSize ?? DEFAULT_BATCH_SIZE,
        maximumBatchingWindowSeconds: settings.maximumBatchingWindow ?? 0,
        reportBatchItemFailures: settings.functionResponseType === "ReportBatchItemFailures",
        ...(settings.maximumConcurrency === undefined
          ? {}
          : { maximumConcurrency: settings.maximumConcurrency }),
      })),
  );
}
