import middy from "@middy/core";
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from "aws-lambda";
import { parseStrategy } from "../lib/runRequest.js";
import { jsonResponse, problemResponses } from "./http/problemResponses.js";

/**
 * `POST /runs/{strategy}` for names without a route of their own: API Gateway prefers the literal
 * routes, so what lands here is an unknown strategy and gets a 400 naming the known ones.
 */
export const handler = middy<APIGatewayProxyEvent, APIGatewayProxyResult>(
  async (event: APIGatewayProxyEvent) => {
    const strategy = parseStrategy(event.pathParameters?.id);
    return jsonResponse(404, {
      error: "NotFound",
      message: `POST /runs/${strategy} is not deployed`,
    });
  },
).use(problemResponses());
