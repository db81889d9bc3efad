import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyResult } from "aws-lambda";
import {
  InvalidInputError,
  RequestTooLargeError,
  RunIdConflictError,
  UnsupportedContentTypeError,
} from "../../lib/errors.js";
import {
  FunctionNotAllowedError,
  NotApplicableError,
} from "../../lib/ownFunctions/ownFunctions.js";

const JSON_HEADERS = { "Content-Type": "application/json" };

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/** The status and `error` code of each kind of invalid input; plain InvalidInputError is a 400. */
function statusOf(error: InvalidInputError): { statusCode: number; code: string } {
  if (error instanceof RequestTooLargeError) return { statusCode: 413, code: "RequestTooLarge" };
  if (error instanceof UnsupportedContentTypeError) {
    return { statusCode: 415, code: "UnsupportedMediaType" };
  }
  if (error instanceof FunctionNotAllowedError)
    return { statusCode: 403, code: "FunctionNotAllowed" };
  if (error instanceof NotApplicableError) return { statusCode: 400, code: "NotApplicable" };
  if (error instanceof RunIdConflictError) return { statusCode: 409, code: "Conflict" };
  return { statusCode: 400, code: "InvalidInput" };
}

/**
 * The one place where errors become HTTP responses: invalid input is a 4xx naming the field and
 * the problem (400, or 413 for a body over the size read, 415 for a body not declared JSON, 403
 * for an own function the deploy did not allow),
 * anything else a 500 with a JSON body (and the details in the log, not the response).
 */
export function problemResponses(): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (error instanceof InvalidInputError) {
        const { statusCode, code } = statusOf(error);
        request.response = jsonResponse(statusCode, {
          error: code,
          field: error.field,
          problem: error.problem,
          message: error.message,
        });
        return;
      }
      console.error("unhandled error", error);
      request.response = jsonResponse(500, {
        error: "InternalError",
        message: "the run could not be carried out; see the orchestrator's log",
      });
    },
  };
}
