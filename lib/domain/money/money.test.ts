import { describe, expect, it } from "vitest";
import { ceilDiv, floorDiv, formatBps, formatMicros, microsFromString, microsToString, MoneyParseError, mulBps, mulPpm, parseUsdToMicros, requestCostMicros } from "./index";

describe("ceilDiv and floorDiv", () => {
  it.each([
    ["exact division", 10n, 5n, 2n, 2n],
    ["positive remainder", 7n, 2n, 4n, 3n],
    ["negative remainder rounds toward +∞ / −∞", -7n, 2n, -3n, -4n],
    ["zero", 0n, 3n, 0n, 0n],
    ["one micro over", 1_000_001n, 1_000_000n, 2n, 1n],
  ])("%s: %s / %s", (_label, numerator, denominator, ceil, floor) => {
    expect(ceilDiv(numerator, denominator)).toBe(ceil);
    expect(floorDiv(numerator, denominator)).toBe(floor);
  });

  it("refuses a zero or negative denominator", () => {
    expect(() => ceilDiv(1n, 0n)).toThrow(RangeError);
    expect(() => floorDiv(1n, -2n)).toThrow(RangeError);
  });
});

describe("requestCostMicros = ceil((in × inPrice + out × outPrice) / 1,000,000)", () => {
  it.each([
    ["1 token at 0.15 $/M rounds up to 1 µUSD", 1, 0, 150_000n, 0n, 1n],
    ["1M input tokens at $0.15/M cost exactly $0.15", 1_000_000, 0, 150_000n, 600_000n, 150_000n],
    ["1,000 in at $3/M and 500 out at $15/M", 1_000, 500, 3_000_000n, 15_000_000n, 10_500n],
    ["no tokens cost nothing", 0, 0, 3_000_000n, 15_000_000n, 0n],
    ["7 in at $0.10/M + 3 out at $0.40/M = 1.9 µUSD rounds up to 2", 7, 3, 100_000n, 400_000n, 2n],
    ["free model costs nothing", 123_456, 654_321, 0n, 0n, 0n],
  ])("%s", (_label, inputTokens, outputTokens, inputPrice, outputPrice, expected) => {
    expect(requestCostMicros({ inputTokens, outputTokens, inputPriceMicrosPerMTokens: inputPrice, outputPriceMicrosPerMTokens: outputPrice })).toBe(expected);
  });

  it.each([[-1], [1.5], [Number.NaN]])("refuses a token count of %s", (tokens) => {
    expect(() => requestCostMicros({ inputTokens: tokens, outputTokens: 0, inputPriceMicrosPerMTokens: 1n, outputPriceMicrosPerMTokens: 1n })).toThrow(RangeError);
  });
});

describe("basis points and parts per million", () => {
  it.each([
    ["125% of $1 is $1.25", 1_000_000n, 12_500, "down", 1_250_000n],
    ["15% of 1 µUSD rounds down to 0", 1n, 1_500, "down", 0n],
    ["15% of 1 µUSD rounds up to 1", 1n, 1_500, "up", 1n],
    ["150% of $200,000", 200_000_000_000n, 15_000, "down", 300_000_000_000n],
  ] as const)("%s", (_label, amount, bps, rounding, expected) => {
    expect(mulBps(amount, bps, rounding)).toBe(expected);
  });

  it("mark of 0.85 (850,000 ppm) on $10 is $8.50", () => {
    expect(mulPpm(10_000_000n, 850_000, "down")).toBe(8_500_000n);
    expect(mulPpm(3n, 333_333, "up")).toBe(1n);
  });
});

describe("parseUsdToMicros", () => {
  it.each([
    ["12", 12_000_000n],
    ["12.5", 12_500_000n],
    ["1,234.567891", 1_234_567_891n],
    ["$1,000", 1_000_000_000n],
    [" 3.25 ", 3_250_000n],
    [".5", 500_000n],
    ["0.000001", 1n],
  ])("%j → %s µUSD", (input, expected) => {
    expect(parseUsdToMicros(input)).toBe(expected);
  });

  it.each([
    ["", "Enter an amount."],
    ["1.0000001", "more than 6 decimals"],
    ["12abc", "not an amount"],
    ["1.2.3", "not an amount"],
    ["-5", "cannot be negative"],
    ["1,23,4", "misplaced thousands"],
    ["9999999999999999", "too large"],
  ])("refuses %j with a precise message", (input, message) => {
    expect(() => parseUsdToMicros(input)).toThrow(MoneyParseError);
    expect(() => parseUsdToMicros(input)).toThrow(message);
  });

  it("accepts a negative amount only when asked", () => {
    expect(parseUsdToMicros("-5.25", { allowNegative: true })).toBe(-5_250_000n);
  });
});

describe("formatMicros (display only)", () => {
  it.each([
    ["zero", 0n, {}, "$0.00"],
    ["cents", 1_234_560_000n, {}, "$1,234.56"],
    ["half a cent rounds away from zero", 5_000n, {}, "$0.01"],
    ["negative uses a real minus sign", -5_000_000n, {}, "\u2212$5.00"],
    ["six decimals", 1n, { decimals: 6 }, "$0.000001"],
    ["whole dollars", 1_499_999n, { decimals: 0 }, "$1"],
    ["compact millions", 1_250_000_000_000n, { compact: true }, "$1.3M"],
    ["compact thousands", 12_300_000_000n, { compact: true }, "$12.3K"],
    ["compact leaves small amounts", 999_000_000n, { compact: true }, "$999.00"],
    ["explicit plus sign", 2_000_000n, { sign: true }, "+$2.00"],
  ])("%s", (_label, micros, options, expected) => {
    expect(formatMicros(micros, options)).toBe(expected);
  });

  it.each([
    [14_250, "142.50%"],
    [12_500, "125.00%"],
    [null, "∞"],
  ])("formatBps(%s) = %s", (bps, expected) => {
    expect(formatBps(bps)).toBe(expected);
  });
});

describe("wire format", () => {
  it("round-trips through strings without loss", () => {
    const big = 9_007_199_254_740_993n; // beyond Number's exact range
    expect(microsFromString(microsToString(big))).toBe(big);
    expect(microsFromString("-42")).toBe(-42n);
  });

  it.each([["1.5"], ["1e6"], [" 1"], [""], ["0x10"]])("refuses %j", (value) => {
    expect(() => microsFromString(value)).toThrow(MoneyParseError);
  });
});
