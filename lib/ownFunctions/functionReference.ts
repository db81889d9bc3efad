/**
 * A Lambda function as a workflow node names it: a name, `name:alias` (or version), a partial
 * ARN (`123456789012:function:name`) or a full ARN. Lambda's own FunctionName pattern, anchored.
 */
export const FUNCTION_REFERENCE_PATTERN =
  /^(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-\d{1}:)?(\d{12}:)?(function:)?([a-zA-Z0-9-_.]+)(:(\$LATEST|[a-zA-Z0-9-_]+))?$/;

/**
 * The largest `payload` a node may carry, as JSON: what Step Functions lets a state hold and an
 * SQS message carry (256 KB), so the same workflow fits every strategy before its deps' outputs
 * are added. Lambda's own 6 MB invoke limit is checked on the whole event, as it is sent.
 */
export const MAX_PAYLOAD_BYTES = 256 * 1024;

/** The function's name without account, region or qualifier: what the deploy parameter lists. */
export function functionNameOf(reference: string): string {
  const match = FUNCTION_REFERENCE_PATTERN.exec(reference);
  return match?.[7] ?? reference;
}
