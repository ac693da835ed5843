import { describe, expect, it } from "vitest";
import {
  BPS_DENOMINATOR,
  ceilDiv,
  floorDiv,
  formatBps,
  formatMicros,
  MICROS_PER_USD,
  microsFromString,
  microsToString,
  MoneyParseError,
  mulBps,
  mulPpm,
  parseUsdToMicros,
  PPM,
  requestCostMicros,
} from "./index";

describe("constants", () => {
  it("name the three integer scales", () => {
    expect([MICROS_PER_USD, BPS_DENOMINATOR, PPM]).toEqual([1_000_000n, 10_000n, 1_000_000n]);
  });
});

describe("ceilDiv and floorDiv are exact for every sign of the numerator", () => {
  it.each([
    ["exact division", 10n, 5n, 2n, 2n],
    ["7 / 2 lies between 3 and 4", 7n, 2n, 4n, 3n],
    ["−7 / 2 lies between −4 and −3 (truncation would give −3 for both)", -7n, 2n, -3n, -4n],
    ["−1 / 3 lies between −1 and 0", -1n, 3n, 0n, -1n],
    ["−6 / 3 is exact", -6n, 3n, -2n, -2n],
    ["−1,000,001 / 1,000,000", -1_000_001n, 1_000_000n, -1n, -2n],
    ["zero", 0n, 3n, 0n, 0n],
    ["one micro over a dollar", 1_000_001n, 1_000_000n, 2n, 1n],
    ["one micro under a dollar", 999_999n, 1_000_000n, 1n, 0n],
    ["denominator 1 is the identity", -42n, 1n, -42n, -42n],
    ["beyond Number's exact range", 2n ** 70n + 1n, 2n, 2n ** 69n + 1n, 2n ** 69n],
  ])("%s: %s / %s → ceil %s, floor %s", (_label, numerator, denominator, ceil, floor) => {
    expect(ceilDiv(numerator, denominator)).toBe(ceil);
    expect(floorDiv(numerator, denominator)).toBe(floor);
  });

  it.each([
    ["zero", 0n],
    ["negative", -2n],
  ])("refuses a %s denominator with a RangeError", (_label, denominator) => {
    expect(() => ceilDiv(1n, denominator)).toThrow(RangeError);
    expect(() => floorDiv(1n, denominator)).toThrow(RangeError);
  });
});

describe("requestCostMicros = ceil((in × inPrice + out × outPrice) / 1,000,000)", () => {
  it.each([
    ["1 token at 0.15 $/M rounds up to 1 µUSD", 1, 0, 150_000n, 0n, 1n],
    ["1 output token at 0.60 $/M rounds up to 1 µUSD", 0, 1, 150_000n, 600_000n, 1n],
    ["1M input tokens at $0.15/M cost exactly $0.15", 1_000_000, 0, 150_000n, 600_000n, 150_000n],
    ["1,000 in at $3/M and 500 out at $15/M cost 10,500 µUSD", 1_000, 500, 3_000_000n, 15_000_000n, 10_500n],
    ["7 in at $0.10/M + 3 out at $0.40/M = 1.9 µUSD rounds up to 2", 7, 3, 100_000n, 400_000n, 2n],
    ["rounding happens once on the sum: 0.5 + 0.5 µUSD is 1, not 2", 5, 5, 100_000n, 100_000n, 1n],
    ["no tokens cost nothing", 0, 0, 3_000_000n, 15_000_000n, 0n],
    ["a free model costs nothing", 123_456, 654_321, 0n, 0n, 0n],
    ["128k context at $15/M in and 4k out at $75/M", 128_000, 4_096, 15_000_000n, 75_000_000n, 2_227_200n],
    ["huge counts stay exact in BigInt", Number.MAX_SAFE_INTEGER, 0, 1_000_000n, 0n, BigInt(Number.MAX_SAFE_INTEGER)],
  ])("%s", (_label, inputTokens, outputTokens, inputPrice, outputPrice, expected) => {
    expect(requestCostMicros({ inputTokens, outputTokens, inputPriceMicrosPerMTokens: inputPrice, outputPriceMicrosPerMTokens: outputPrice })).toBe(expected);
  });

  it.each([
    ["a negative input count", -1, 0],
    ["a fractional input count", 1.5, 0],
    ["NaN output tokens", 0, Number.NaN],
    ["infinite output tokens", 0, Number.POSITIVE_INFINITY],
    ["an unsafe integer", 2 ** 60, 0],
  ])("refuses %s", (_label, inputTokens, outputTokens) => {
    expect(() => requestCostMicros({ inputTokens, outputTokens, inputPriceMicrosPerMTokens: 1n, outputPriceMicrosPerMTokens: 1n })).toThrow(RangeError);
  });

  it("refuses a negative price", () => {
    expect(() => requestCostMicros({ inputTokens: 1, outputTokens: 1, inputPriceMicrosPerMTokens: -1n, outputPriceMicrosPerMTokens: 1n })).toThrow(/cannot be negative/);
  });
});

describe("mulBps and mulPpm round in the direction the caller names", () => {
  it.each([
    ["125% of $1 is $1.25", 1_000_000n, 12_500, "down", 1_250_000n],
    ["150% of $200,000 is $300,000", 200_000_000_000n, 15_000, "down", 300_000_000_000n],
    ["15% of 1 µUSD rounds down to 0", 1n, 1_500, "down", 0n],
    ["15% of 1 µUSD rounds up to 1", 1n, 1_500, "up", 1n],
    ["bps may be a bigint", 10_000n, 1n, "down", 1n],
    ["0 bps is nothing", 123_456n, 0, "up", 0n],
    ["a negative amount rounds toward −∞ when down", -1n, 1_500, "down", -1n],
    ["a negative amount rounds toward +∞ when up", -1n, 1_500, "up", 0n],
    ["an exact result ignores the direction", 20_000n, 5_000, "up", 10_000n],
  ] as const)("%s", (_label, amount, bps, rounding, expected) => {
    expect(mulBps(amount, bps, rounding)).toBe(expected);
  });

  it.each([
    ["a mark of 0.85 on $10 is $8.50", 10_000_000n, 850_000, "down", 8_500_000n],
    ["a third of 3 µUSD rounded up is 1", 3n, 333_333, "up", 1n],
    ["a third of 3 µUSD rounded down is 0", 3n, 333_333, "down", 0n],
    ["par (1,000,000 ppm) is the identity", 987_654_321n, 1_000_000n, "down", 987_654_321n],
  ] as const)("%s", (_label, amount, ppm, rounding, expected) => {
    expect(mulPpm(amount, ppm, rounding)).toBe(expected);
  });

  it.each([
    ["fractional bps", () => mulBps(100n, 1.5, "up")],
    ["NaN ppm", () => mulPpm(100n, Number.NaN, "down")],
  ])("refuses %s with a RangeError", (_label, call) => {
    expect(call).toThrow(RangeError);
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
    ["12.", 12_000_000n],
    ["0", 0n],
    ["0.000001", 1n],
    ["$0.10", 100_000n],
    ["1,000,000", 1_000_000_000_000n],
    ["1000000", 1_000_000_000_000n],
    ["1000000000000000", 10n ** 21n],
  ])("%j → %s µUSD", (input, expected) => {
    expect(parseUsdToMicros(input)).toBe(expected);
  });

  it.each([
    ["empty", "", "Enter an amount."],
    ["only spaces", "   ", "Enter an amount."],
    ["7 decimals", "1.0000001", "7 decimals; at most 6"],
    ["letters", "12abc", '"a", which is not a digit'],
    ["a currency code", "USD 5", '"U", which is not a digit'],
    ["two dots", "1.2.3", "2 decimal points"],
    ["a negative amount", "-5", "cannot be negative"],
    ["a negative amount after the dollar sign", "$-5", "cannot be negative"],
    ["a display-style negative", "\u2212$5.00", "cannot be negative"],
    ["misplaced thousands separators", "1,23,4", "misplaced thousands separators"],
    ["a leading comma", ",500", "misplaced thousands separators"],
    ["a comma among the decimals", "1.000,5", "comma after the decimal point"],
    ["just a dollar sign", "$", "no digits"],
    ["just a dot", ".", "no digits"],
    ["a space inside the number", "1 000", "a space inside the number"],
    ["a minus in the middle", "5-3", 'a misplaced "-"'],
    ["exponent notation", "1e6", '"e", which is not a digit'],
    ["one micro above 10^15 USD", "1000000000000000.000001", "too large"],
    ["far too large", "99999999999999999999", "too large"],
  ])("refuses %s (%j) with a precise message", (_label, input, message) => {
    expect(() => parseUsdToMicros(input)).toThrow(MoneyParseError);
    expect(() => parseUsdToMicros(input)).toThrow(message);
  });

  it.each([
    ["-5.25", -5_250_000n],
    ["-$1,000", -1_000_000_000n],
    ["$-0.000001", -1n],
    ["\u2212$5.00", -5_000_000n],
  ])("accepts %j as %s µUSD only with allowNegative", (input, expected) => {
    expect(parseUsdToMicros(input, { allowNegative: true })).toBe(expected);
  });

  it("still refuses two minus signs with allowNegative", () => {
    expect(() => parseUsdToMicros("--5", { allowNegative: true })).toThrow(MoneyParseError);
  });

  it("parses what formatMicros shows at full precision", () => {
    for (const micros of [0n, 1n, 1_234_567_891n, -5_000_000n]) {
      expect(parseUsdToMicros(formatMicros(micros, { decimals: 6 }), { allowNegative: true })).toBe(micros);
    }
  });
});

describe("formatMicros (display only)", () => {
  it.each([
    ["zero", 0n, {}, "$0.00"],
    ["cents with thousands separators", 1_234_560_000n, {}, "$1,234.56"],
    ["millions", 1_234_567_890_000n, {}, "$1,234,567.89"],
    ["half a cent rounds away from zero", 5_000n, {}, "$0.01"],
    ["just under half a cent rounds down", 4_999n, {}, "$0.00"],
    ["minus half a cent rounds away from zero", -5_000n, {}, "\u2212$0.01"],
    ["negative uses a real minus sign (U+2212)", -5_000_000n, {}, "\u2212$5.00"],
    ["a negative that rounds to nothing shows no sign", -1n, {}, "$0.00"],
    ["a negative that rounds to nothing with 0 decimals", -1n, { decimals: 0 }, "$0"],
    ["six decimals", 1n, { decimals: 6 }, "$0.000001"],
    ["whole dollars round half away from zero", 1_500_000n, { decimals: 0 }, "$2"],
    ["whole dollars", 1_499_999n, { decimals: 0 }, "$1"],
    ["four decimals", 1_234_550n, { decimals: 4 }, "$1.2346"],
    ["compact millions", 1_234_567_000_000n, { compact: true }, "$1.2M"],
    ["compact rounds half away from zero", 1_250_000_000_000n, { compact: true }, "$1.3M"],
    ["compact thousands", 12_300_000_000n, { compact: true }, "$12.3K"],
    ["compact whole thousands drop the .0", 5_000_000_000n, { compact: true }, "$5K"],
    ["compact carries into the next unit", 999_960_000_000n, { compact: true }, "$1M"],
    ["compact billions", 2_500_000_000_000_000n, { compact: true }, "$2.5B"],
    ["compact negative", -12_300_000_000n, { compact: true }, "\u2212$12.3K"],
    ["compact leaves amounts under $1,000 alone", 999_000_000n, { compact: true }, "$999.00"],
    ["explicit plus sign", 2_000_000n, { sign: true }, "+$2.00"],
    ["no plus sign on zero", 0n, { sign: true }, "$0.00"],
    ["sign keeps the minus", -2_000_000n, { sign: true }, "\u2212$2.00"],
  ])("%s", (_label, micros, options, expected) => {
    expect(formatMicros(micros, options)).toBe(expected);
  });
});

describe("formatBps", () => {
  it.each([
    [14_250, undefined, "142.50%"],
    [12_500, undefined, "125.00%"],
    [1, undefined, "0.01%"],
    [0, undefined, "0.00%"],
    [-250, undefined, "\u22122.50%"],
    [14_255, 1, "142.6%"],
    [14_250, 0, "143%"],
    [1_000_000, undefined, "10000.00%"],
    [null, undefined, "∞"],
  ] as const)("formatBps(%s, %s) = %s", (bps, decimals, expected) => {
    expect(formatBps(bps, decimals)).toBe(expected);
  });
});

describe("wire format", () => {
  it.each([
    ["zero", 0n],
    ["a negative amount", -42n],
    ["beyond Number's exact range", 9_007_199_254_740_993n],
  ])("round-trips %s through a string without loss", (_label, micros) => {
    expect(microsFromString(microsToString(micros))).toBe(micros);
  });

  it.each([["1.5"], ["1e6"], [" 1"], ["1 "], [""], ["-"], ["+1"], ["0x10"], ["1,000"], ["\u22125"]])("refuses %j", (value) => {
    expect(() => microsFromString(value)).toThrow(MoneyParseError);
  });
});
