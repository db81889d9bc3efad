/**
 * `npm run bench:calibrate`: measures each hop of the platform the runs go to and writes the
 * parameter set the forecast reads (bench/calibration/calibratePlatform.ts does the measuring).
 * On the local stack it times the stack itself; with `--url` (a deployment on AWS) the same runs
 * calibrate the set against the user's own account.
 *
 * Writes bench/results/parameters-<name>-<timestamp>.json and parameters-<name>-latest.json
 * (`--out FILE` elsewhere; `--save` also replaces the project's own `local` set,
 * lib/forecast/parameterSets/local.json). Not a test: no assertions.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { parseArgs } from "node:util";
import { API_KEY_ENV } from "../adapters/runsApiClient.js";
import { openSession, projectRoot } from "../cli/session.js";
import { calibratePlatform } from "./calibration/calibratePlatform.js";

const { values } = parseArgs({
  options: {
    url: { type: "string" },
    "api-key": { type: "string" },
    runs: { type: "string", default: "5" },
    name: { type: "string" },
    out: { type: "string" },
    // Also keeps the set as the project's `local` set (lib/forecast/parameterSets/local.json).
    save: { type: "boolean", default: false },
  },
});
const runs = Number(values.runs);
if (!(Number.isInteger(runs) && runs > 0)) {
  console.error("bench:calibrate: --runs must be a positive integer");
  process.exit(2);
}
const target = await openSession({
  url: values.url,
  apiKey: values["api-key"] ?? process.env[API_KEY_ENV],
});
try {
  const { parameters, summary } = await calibratePlatform(target, {
    runs,
    ...(values.name ? { name: values.name } : {}),
  });
  const dir = join(projectRoot, "bench/results");
  mkdirSync(dir, { recursive: true });
  const text = `${JSON.stringify(parameters, null, 2)}\n`;
  const stamp = new Date().toISOString().replace(/[:.]/g, "-");
  const files = values.out
    ? [values.out]
    : [
        join(dir, `parameters-${parameters.name}-${stamp}.json`),
        join(dir, `parameters-${parameters.name}-latest.json`),
      ];
  if (values.save) files.push(join(projectRoot, "lib/forecast/parameterSets/local.json"));
  for (const file of files) writeFileSync(file, text);
  console.log([...summary, `written: ${files.join(", ")}`].join("\n"));
} finally {
  await target.stop();
}
