import type { RunReport, StrategyName } from "../lib/report/types.js";
import type { Workflow } from "../lib/workflow/types.js";

/** POST /runs/{strategy}: the report, or an Error carrying the API's own message. */
export async function runStrategy(
  apiUrl: string,
  strategy: StrategyName,
  body: { workflow?: Workflow; scale?: number },
): Promise<RunReport> {
  const response = await fetch(`${apiUrl}/runs/${strategy}`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) {
    throw new Error(`POST /runs/${strategy} answered ${response.status}: ${text.slice(0, 300)}`);
  }
  return JSON.parse(text) as RunReport;
}
