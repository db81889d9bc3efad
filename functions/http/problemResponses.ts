import type { MiddlewareObj } from "@middy/core";
import type { APIGatewayProxyResult } from "aws-lambda";
import { InvalidInputError } from "../../lib/errors.js";

const JSON_HEADERS = { "Content-Type": "application/json" };

export function jsonResponse(statusCode: number, body: unknown): APIGatewayProxyResult {
  return { statusCode, headers: JSON_HEADERS, body: JSON.stringify(body) };
}

/**
 * The one place where errors become HTTP responses: invalid input is a 400 naming the field,
 * anything else a 500 with a JSON body (and the details in the log, not the response).
 */
export function problemResponses(): MiddlewareObj<unknown, APIGatewayProxyResult> {
  return {
    onError: async (request) => {
      const { error } = request;
      if (error instanceof InvalidInputError) {
        request.response = jsonResponse(400, {
          error: "InvalidInput",
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
