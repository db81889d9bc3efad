import { describe, expect, it } from "vitest";
import { parseCompareOptions } from "../../../cli/options.js";
import { InvalidInputError } from "../../../lib/errors.js";

const parsed = (...argv: string[]) => parseCompareOptions(argv).localStack;

describe("Function: parseCompareOptions, the local stack's flags", () => {
  it("defaults to the local profile, seed 1 and AWS's queue scaling", () => {
    expect(parsed()).toEqual({ latencyProfile: "local", latencySeed: 1, queueScaling: "aws" });
  });

  it("takes --profile aws, a seed and a fixed worker pool", () => {
    expect(parsed("--profile", "aws", "--latency-seed", "7", "--queue-scaling", "12")).toEqual({
      latencyProfile: "aws",
      latencySeed: 7,
      queueScaling: "12",
    });
  });

  it.each([
    [["--profile", "azure"], "--profile", /local or aws/],
    [["--latency-seed", "x"], "--latency-seed", /whole number/],
    [["--queue-scaling", "0"], "--queue-scaling", /"aws" or a whole number/],
    [
      ["--profile", "aws", "--url", "https://x.execute-api.us-east-1.amazonaws.com/dev"],
      "--profile",
      /local stack only/,
    ],
  ])("refuses %j, naming the flag", (argv, field, problem) => {
    let error: unknown;
    try {
      parseCompareOptions(argv);
    } catch (caught) {
      error = caught;
    }

    expect(error).toBeInstanceOf(InvalidInputError);
    expect(error).toMatchObject({ field });
    expect((error as InvalidInputError).problem).toMatch(problem);
  });
});
