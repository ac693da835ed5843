import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { coverageBps, cureAmountsMicros, markPpm, MAX_COVERAGE_BPS, valueAtMarkMicros } from "./coverage";

const USD = 1_000_000n;
const ORIGIN = 2_000_000n; // $2.00 per GPU-hour at origination

describe("markPpm = min(1, index now / index at origination) × (1 − fee), rounded down once", () => {
  test.each([
    // label, index now (µUSD), fee bps, expected ppm — each from now × (10,000 − fee) × 100 / origin
    ["a credit at par with the index unchanged at 15% fee marks 0.85", 2_000_000n, 1_500, 850_000],
    ["index up 5% does not lift the mark above 0.85 (min(1, 1.05) = 1)", 2_100_000n, 1_500, 850_000],
    ["index down 15% at 15% fee: 0.85 × 0.85 = 0.7225", 1_700_000n, 1_500, 722_500],
    ["index down 20% at 15% fee marks a credit at 0.68", 1_600_000n, 1_500, 680_000],
    ["index down 30% at 15% fee: 0.70 × 0.85 = 0.595", 1_400_000n, 1_500, 595_000],
    ["index at $1.733333: 1,733,333 × 0.425 = 736,666.525 ppm rounds down to 736,666", 1_733_333n, 1_500, 736_666],
    ["rounds once: 1,600,003 × 0.425 = 680,001.275 → 680,001 (per factor: ⌊800,001.5⌋ × 0.85 = 680,000.85 → 680,000)", 1_600_003n, 1_500, 680_001],
    ["no fee: the mark is the index ratio, 1.5 / 2 = 0.75", 1_500_000n, 0, 750_000],
    ["a 100% fee makes every credit worthless", 2_000_000n, 10_000, 0],
    ["an index of 0 makes every credit worthless", 0n, 1_500, 0],
    ["1 µUSD of index against $2: 0.425 ppm rounds down to 0", 1n, 1_500, 0],
  ])("%s", (_label, indexNowMicros, redistributionFeeBps, expected) => {
    expect(markPpm({ indexNowMicros, indexAtOriginationMicros: ORIGIN, redistributionFeeBps })).toBe(expected);
  });

  test.each([
    ["a zero origination index", { indexNowMicros: 1n, indexAtOriginationMicros: 0n, redistributionFeeBps: 1_500 }],
    ["a negative index", { indexNowMicros: -1n, indexAtOriginationMicros: ORIGIN, redistributionFeeBps: 1_500 }],
    ["a fee above 100%", { indexNowMicros: 1n, indexAtOriginationMicros: ORIGIN, redistributionFeeBps: 10_001 }],
    ["a fractional fee", { indexNowMicros: 1n, indexAtOriginationMicros: ORIGIN, redistributionFeeBps: 15.5 }],
  ])("refuses %s", (_label, input) => {
    expect(() => markPpm(input)).toThrow(RangeError);
  });

  test("is the floor of the exact value: mark × origin ≤ now × kept × 100 < (mark + 1) × origin (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.integer({ min: 0, max: 10_000 }), (now, origin, fee) => {
        const mark = BigInt(markPpm({ indexNowMicros: now, indexAtOriginationMicros: origin, redistributionFeeBps: fee }));
        const capped = now < origin ? now : origin;
        const exactTimesOrigin = capped * BigInt(10_000 - fee) * 100n;
        expect(mark * origin <= exactTimesOrigin).toBe(true);
        expect(exactTimesOrigin < (mark + 1n) * origin).toBe(true);
      }),
      { numRuns: 1_000, seed: 7 },
    );
  });
});

describe("coverageBps = collateral × mark / debt, in bps, rounded down; null = no debt", () => {
  test.each([
    // label, collateral, mark ppm, debt, expected
    ["$180,000 of credits at 0.85 against $100,000: 153,000 / 100,000 = 153%", 180_000n * USD, 850_000, 100_000n * USD, 15_300],
    ["$120,000 at 0.68 against $68,000: 81,600 / 68,000 = 120%", 120_000n * USD, 680_000, 68_000n * USD, 12_000],
    ["$1.249999 at par against $1 shows 124.99%, never rounded up to 125%", 1_249_999n, 1_000_000, USD, 12_499],
    ["$1 at 0.85 against $0.70: 1.2142857… → 12,142 bps", USD, 850_000, 700_000n, 12_142],
    ["no collateral is 0%", 0n, 850_000, USD, 0],
    ["worthless credits are 0%", 100n * USD, 0, USD, 0],
    ["no debt is infinite coverage", 100n * USD, 850_000, 0n, null],
    ["no debt and no collateral is still infinite", 0n, 850_000, 0n, null],
    ["1 µUSD of debt against $300,000 (2.55 × 10¹⁵ bps) is capped at the Int column's maximum", 300_000n * USD, 850_000, 1n, MAX_COVERAGE_BPS],
  ])("%s", (_label, collateralMicros, mark, debtMicros, expected) => {
    expect(coverageBps({ collateralMicros, markPpm: mark, debtMicros })).toBe(expected);
  });

  test.each([
    ["negative collateral", { collateralMicros: -1n, markPpm: 850_000, debtMicros: USD }],
    ["negative debt", { collateralMicros: USD, markPpm: 850_000, debtMicros: -1n }],
    ["a mark above par (85,000,000 ppm)", { collateralMicros: USD, markPpm: 85_000_000, debtMicros: USD }],
    ["a fractional mark", { collateralMicros: USD, markPpm: 850_000.5, debtMicros: USD }],
    ["a number where µUSD must be a bigint", { collateralMicros: 5 as unknown as bigint, markPpm: 850_000, debtMicros: USD }],
  ])("refuses %s", (_label, input) => {
    expect(() => coverageBps(input)).toThrow(RangeError);
  });

  test("more collateral never lowers coverage, more debt never raises it (property)", () => {
    const micros = fc.bigInt({ min: 0n, max: 10n ** 13n });
    fc.assert(
      fc.property(micros, micros, fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.integer({ min: 0, max: 1_000_000 }), (collateral, extra, debt, extraDebt, mark) => {
        const base = coverageBps({ collateralMicros: collateral, markPpm: mark, debtMicros: debt })!;
        expect(coverageBps({ collateralMicros: collateral + extra, markPpm: mark, debtMicros: debt })!).toBeGreaterThanOrEqual(base);
        expect(coverageBps({ collateralMicros: collateral, markPpm: mark, debtMicros: debt + extraDebt })!).toBeLessThanOrEqual(base);
      }),
      { numRuns: 500, seed: 11 },
    );
  });
});

describe("valueAtMarkMicros rounds down", () => {
  test.each([
    ["$1.000001 at 0.85 is 850,000.85 µUSD → 850,000", 1_000_001n, 850_000, 850_000n],
    ["$180,000 at 0.85 is exactly $153,000", 180_000n * USD, 850_000, 153_000n * USD],
    ["1 µUSD at 0.999999 is 0", 1n, 999_999, 0n],
  ])("%s", (_label, credits, mark, expected) => {
    expect(valueAtMarkMicros(credits, mark)).toBe(expected);
  });
});

describe("cureAmountsMicros: the least repayment or pledge that reaches a target coverage", () => {
  test.each([
    // C $148,000, D $101,280 at 0.85 (value $125,800), target 130% (maintenance + 5 points):
    //   repay: the debt may be at most ⌊125,800,000,000 / 1.3⌋ = ⌊96,769,230,769.23⌋ = 96,769,230,769,
    //          so repay 101,280,000,000 − 96,769,230,769 = 4,510,769,231 µUSD;
    //   pledge: collateral must reach ⌈1.3 × 101,280,000,000 / 0.85⌉ = ⌈154,898,823,529.41⌉ = 154,898,823,530,
    //          so pledge 154,898,823,530 − 148,000,000,000 = 6,898,823,530 µUSD.
    ["margin call at 124.21%, target 130%", 148_000n * USD, 101_280n * USD, 850_000, 13_000, 4_510_769_231n, 6_898_823_530n],
    // 180,000 × 0.85 / 100,000 = 153% ≥ 130%: nothing to do.
    ["already above the target", 180_000n * USD, 100_000n * USD, 850_000, 13_000, 0n, 0n],
    // Worthless credits: only repaying everything (coverage ∞) cures; no pledge can.
    ["a mark of 0", 50n * USD, 10n * USD, 0, 13_000, 10n * USD, null],
    // Exact: $125 of credits at par against $100 = 125%; target 130% → debt ≤ 125/1.3 = 96.153846… → 96,153,846;
    //   repay 100,000,000 − 96,153,846 = 3,846,154; collateral ≥ 130,000,000 → pledge 5,000,000.
    ["at par, 125% → 130%", 125n * USD, 100n * USD, 1_000_000, 13_000, 3_846_154n, 5n * USD],
  ])("%s", (_label, collateralMicros, debtMicros, mark, targetBps, repay, pledge) => {
    const cure = cureAmountsMicros({ collateralMicros, debtMicros, markPpm: mark, targetBps });
    expect(cure).toEqual({ repayMicros: repay, pledgeMicros: pledge });
    expect(coverageBps({ collateralMicros, markPpm: mark, debtMicros: debtMicros - repay }) ?? Infinity).toBeGreaterThanOrEqual(targetBps);
    if (pledge !== null) expect(coverageBps({ collateralMicros: collateralMicros + pledge, markPpm: mark, debtMicros })!).toBeGreaterThanOrEqual(targetBps);
  });

  test("each amount is the least that works: 1 µUSD less falls short (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 10_000, max: 20_000 }), (collateral, debt, mark, target) => {
        const { repayMicros, pledgeMicros } = cureAmountsMicros({ collateralMicros: collateral, debtMicros: debt, markPpm: mark, targetBps: target });
        const meets = (c: bigint, d: bigint) => (coverageBps({ collateralMicros: c, markPpm: mark, debtMicros: d }) ?? Infinity) >= target;
        expect(meets(collateral, debt - repayMicros)).toBe(true);
        if (repayMicros > 0n) expect(meets(collateral, debt - repayMicros + 1n)).toBe(false);
        expect(meets(collateral + pledgeMicros!, debt)).toBe(true);
        if (pledgeMicros! > 0n) expect(meets(collateral + pledgeMicros! - 1n, debt)).toBe(false);
      }),
      { numRuns: 1_000, seed: 13 },
    );
  });
});
