/**
 * A queue that does not exist (any more). The SDK names it QueueDoesNotExist; the legacy
 * query-protocol code (still sent in `Code` by SQS's query-compatible JSON errors, and by some
 * emulators) is AWS.SimpleQueueService.NonExistentQueue.
 */
export function isQueueGone(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const code = (error as { Code?: unknown }).Code;
  return [error.name, code].some(
    (name) => name === "QueueDoesNotExist" || name === "AWS.SimpleQueueService.NonExistentQueue",
  );
}
