import { describe, expect, it } from "vitest";
import { formatNumber, formatRatio, formatUsd } from "../../../lib/report/text/formatNumber.js";

describe("Function: formatUsd", () => {
  it.each([
    [0.000138, "$0.000138"],
    [0.00013799999999999999, "$0.000138"],
    [0.0000571123, "$0.0000571"],
    [0.0000008, "$0.000000800"],
    [0.5, "$0.500"],
    [137.806, "$137.81"],
    [0, "$0"],
  ])("formats %d as %s: three significant digits below a dollar, cents above", (value, text) => {
    expect(formatUsd(value)).toBe(text);
  });
});

describe("Function: formatRatio and formatNumber", () => {
  it("formats ratios with two decimals and counts with thousands separators", () => {
    expect(formatRatio(1.5)).toBe("1.50x");
    expect(formatNumber(6012.4)).toBe("6,012");
  });
});
