import { readFileSync } from "node:fs";
import { forecastRuns } from "./lib/forecast/forecastRuns.ts";
import { platformParametersSchema } from "./lib/forecast/parameters.ts";
import { strategyNamed } from "./lib/strategies/registry.ts";
import { planRun } from "./lib/workflow/plan.ts";
const parameters = platformParametersSchema.parse(JSON.parse(readFileSync("bench/results/parameters-local-latest.json", "utf8")));
const workflow = { tasks: Array.from({ length: 80 }, (_, i) => ({ id: `w${i}`, fn: "writeLog" as const, deps: [], durationMs: 50 })) };
for (const cost of [0, 20, 100, 200]) {
  const t = performance.now();
  const p = { ...parameters, stack: { ...parameters.stack!, throttledInvokeCpuMs: { value: cost, source: "" } } };
  const plan = planRun({ runId: "x", strategy: "fanout", workflow, scale: 1 });
  const runs = forecastRuns(plan, "fanout", strategyNamed("fanout").model, { parameters: p, seed: 1 }, 9);
  console.log(cost, runs.map(r => Math.round(r.report.overheadMs)).join(","), (performance.now() - t).toFixed(0), "ms");
}
