import { describe, expect, it } from "vitest";
import { cellFailureOf, cellRequestOptions } from "../../../bench/cellOverhead.js";

describe("A cell's runs", () => {
  it("are sent with the API key and a signal that gives an unanswered run up", () => {
    // Act
    const options = cellRequestOptions({ apiKey: "key" });

    // Assess
    expect(options.apiKey).toBe("key");
    expect(options.signal.aborted).toBe(false);
  });

  it.each([
    [
      "an unanswered run",
      new DOMException("The operation was aborted due to timeout", "TimeoutError"),
      "no answer from the local stack within 3 minutes",
    ],
    ["any other failure", new Error("ECONNRESET\n    at socket"), "ECONNRESET"],
  ])("say why they stopped in one line: %s", (_, error, line) => {
    // Act + Assess
    expect(cellFailureOf(error)).toBe(line);
  });
});
