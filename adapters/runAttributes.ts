import type { MessageAttributeValue } from "@aws-sdk/client-sqs";

/** Every message names its run and task, so a queue can be inspected without parsing bodies. */
export function runAttributes(message: {
  runId: string;
  taskId: string;
}): Record<string, MessageAttributeValue> {
  return {
    runId: { DataType: "String", StringValue: message.runId },
    taskId: { DataType: "String", StringValue: message.taskId },
  };
}
