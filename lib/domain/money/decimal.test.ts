import { describe, expect, it } from "vitest";
import { microsToUsdDecimal } from "./decimal";
import { parseUsdToMicros } from "./index";

describe("microsToUsdDecimal writes exact dollars with every µUSD", () => {
  it.each([
    ["zero", 0n, "0.000000"],
    ["one µUSD", 1n, "0.000001"],
    ["one µUSD short of a dollar", 999_999n, "0.999999"],
    ["one dollar", 1_000_000n, "1.000000"],
    ["a dollar and a µUSD", 1_000_001n, "1.000001"],
    ["no thousands separators", 1_234_567_890_123n, "1234567.890123"],
    ["above 2^53 µUSD, where a float would round", 9_007_199_254_740_993n, "9007199254.740993"],
    ["far beyond a float's precision", 123_456_789_012_345_678_901_234n, "123456789012345678.901234"],
    ["a negative amount, ASCII minus", -5n, "-0.000005"],
    ["a negative dollar amount", -12_500_000n, "-12.500000"],
  ])("%s: %s µUSD → %s", (_label, micros, text) => {
    expect(microsToUsdDecimal(micros)).toBe(text);
  });

  it.each([0n, 1n, 999_999n, 1_000_000n, 987_654_321_987n, 9_007_199_254_740_993n])("%s µUSD reads back as the same amount", (micros) => {
    expect(parseUsdToMicros(microsToUsdDecimal(micros))).toBe(micros);
  });

  it("refuses a number (money never travels as a float)", () => {
    expect(() => microsToUsdDecimal(1.5 as unknown as bigint)).toThrow(TypeError);
  });
});
