import { describe, expect, it } from "vitest";
import { formatDuration, parseDuration } from "../../../lib/durationText.js";

describe("Function: parseDuration", () => {
  it.each([
    ["1500ms", 1500],
    ["2s", 2000],
    ["1.5s", 1500],
    ["3m", 180_000],
    ["3min", 180_000],
    [" 90 s ", 90_000],
  ])("reads %j", (text, ms) => {
    expect(parseDuration(text)).toBe(ms);
  });

  it("reads a plain number in the unit given, and refuses it without one", () => {
    expect(parseDuration("90", { plainUnit: "s" })).toBe(90_000);
    expect(() => parseDuration("90")).toThrow(
      "expected a duration such as 1500ms, 2s or 3m; got '90'",
    );
  });

  it.each(["0s", "-2s", "2h", "soon", ""])("refuses %j", (text) => {
    expect(() => parseDuration(text, { plainUnit: "s" })).toThrow(/expected a duration/);
  });
});

describe("Function: formatDuration", () => {
  it.each([
    [45_000, "45 s"],
    [118_400, "1m 58s"],
    [120_000, "2m"],
  ])("formats %d ms as %j", (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });
});
