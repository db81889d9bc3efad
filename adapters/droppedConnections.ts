/**
 * A pooled keep-alive socket the endpoint closed as it was reused answers nothing ("socket hang
 * up"): tried again like the SDK would, a few times. The SDK's own retries may be spent by then:
 * its retry quota drains fast when a wide fan-out meets 429s.
 */
export const MAX_DROPPED_CONNECTIONS = 3;

export function isDroppedConnection(error: unknown): boolean {
  const { name, code, message, $metadata } = (error ?? {}) as {
    name?: string;
    code?: string;
    message?: string;
    $metadata?: { httpStatusCode?: number };
  };
  if ($metadata?.httpStatusCode !== undefined) return false; // the endpoint answered
  return (
    name === "TimeoutError" ||
    code === "ECONNRESET" ||
    code === "EPIPE" ||
    /socket hang up/.test(message ?? "")
  );
}
