#!/usr/bin/env node
import { runStrategy, runStrategyAsync } from "../adapters/runsApiClient.js";
/**
 * `npx compare` (bin/compare.js): parses the command line and hands it to the comparison
 * (cli/comparison.ts), the forecast alone, or `compare fetch`; a bad flag is one line and exit 1.
 */
import { InvalidInputError } from "../lib/errors.js";
import { type CompareIo, compare, forecastOnly } from "./comparison.js";
import { fetchCommand } from "./fetchCommand.js";
import { isFetchCommand, parseFetchOptions } from "./fetchOptions.js";
import { RunsInterruptedError } from "./interruptedRuns.js";
import { parseCompareOptions, USAGE } from "./options.js";
import { createProgress } from "./progress.js";
import { writeReports } from "./reportFiles.js";
import { openSession } from "./session.js";

const io: CompareIo = {
  openSession,
  runStrategy,
  runStrategyAsync,
  print: (line) => console.log(line),
  say: (line) => console.error(line),
  createProgress: () => createProgress(),
  writeReports,
  nodeVersion: process.version,
};

try {
  const argv = process.argv.slice(2);
  if (isFetchCommand(argv)) await fetchCommand(parseFetchOptions(argv));
  else {
    const options = parseCompareOptions(argv);
    if (options.help) console.log(USAGE);
    else if (options.forecast.forecastOnly) forecastOnly(options, io);
    else process.exitCode = await compare(options, io);
  }
} catch (error) {
  // A Ctrl-C: what was left running is said already, and the exit is under way.
  if (error instanceof RunsInterruptedError) process.exitCode = 130;
  else {
    const message =
      error instanceof InvalidInputError
        ? `${error.field}: ${error.problem}`
        : error instanceof Error
          ? error.message
          : String(error);
    console.error(`compare: ${message.split("\n")[0]}`);
    process.exitCode = 1;
  }
}
