import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { UnsupportedContentTypeError } from "../../lib/errors.js";
import { quoteInput } from "../../lib/fieldPath.js";

/** `application/json`, with or without parameters (`; charset=utf-8`), in any letter case. */
const JSON_MEDIA_TYPE = /^application\/json\s*(;|$)/i;

/** A header's value whatever the case of its name (API Gateway passes the client's spelling). */
function headerValue(
  headers: APIGatewayProxyEvent["headers"] | null,
  name: string,
): string | undefined {
  const wanted = name.toLowerCase();
  const found = Object.entries(headers ?? {}).find(([key]) => key.toLowerCase() === wanted);
  return found?.[1];
}

/**
 * Accepts a request body only when it is declared JSON; the body itself (empty, malformed, too
 * big) is the parser's to judge, so an empty body is named as such whatever its Content-Type.
 * A body API Gateway base64-encoded (LocalStack does so for bytes that are not UTF-8) is decoded
 * first, so the parser sees what the client sent.
 *
 * @example
 * ```ts
 * export const handler = middy(handleRun).use(problemResponses()).use(jsonRequestBody());
 * ```
 */
export function jsonRequestBody(): MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult> {
  return {
    before: async (request) => {
      const { event } = request;
      if (event.isBase64Encoded && event.body) {
        event.body = Buffer.from(event.body, "base64").toString("utf8");
        event.isBase64Encoded = false;
      }
      if (!event.body?.trim()) return;
      const contentType = headerValue(event.headers, "content-type");
      if (contentType === undefined || !JSON_MEDIA_TYPE.test(contentType)) {
        const declared = contentType === undefined ? "is missing" : `is ${quoteInput(contentType)}`;
        throw new UnsupportedContentTypeError(
          "headers.Content-Type",
          `${declared}; send the body as application/json`,
          contentType,
        );
      }
    },
  };
}
