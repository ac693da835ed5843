import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { coverageBps, markPpm } from "./coverage";
import { assertMarkRatio, gcd, markRatio, markRatioFromPpm, markRatioToPpm, parMarkRatio, resolveMark, toMarkRatio } from "./mark";

describe("markRatio = min(1, index now / index at origination) × (1 − fee), exactly, in lowest terms", () => {
  test.each([
    // label, index now, index at origination, fee bps, numerator, denominator
    ["at origination with a 15% fee: 8,500/10,000 = 17/20", 2_000_000n, 2_000_000n, 1_500, 17n, 20n],
    ["an index above origination is capped at par less the fee", 2_100_000n, 2_000_000n, 1_500, 17n, 20n],
    ["index 2/3 of origination: 2/3 × 17/20 = 17/30 (566,666.67 ppm)", 2_000_000n, 3_000_000n, 1_500, 17n, 30n],
    ["index 2.0/2.4: 5/6 × 17/20 = 17/24 (708,333.33 ppm)", 2_000_000n, 2_400_000n, 1_500, 17n, 24n],
    ["no fee: the index ratio itself, 1.5/2 = 3/4", 1_500_000n, 2_000_000n, 0, 3n, 4n],
    ["an index of 0 is worthless: 0/1", 0n, 2_000_000n, 1_500, 0n, 1n],
    ["a 100% fee is worthless: 0/1", 2_000_000n, 2_000_000n, 10_000, 0n, 1n],
  ])("%s", (_label, indexNowMicros, indexAtOriginationMicros, redistributionFeeBps, numerator, denominator) => {
    expect(markRatio({ indexNowMicros, indexAtOriginationMicros, redistributionFeeBps })).toEqual({ numerator, denominator });
  });

  test("markPpm is the ratio's floor in ppm, for display: 17/30 → 566,666; 17/24 → 708,333", () => {
    expect(markRatioToPpm({ numerator: 17n, denominator: 30n })).toBe(566_666);
    expect(markPpm({ indexNowMicros: 2_000_000n, indexAtOriginationMicros: 2_400_000n, redistributionFeeBps: 1_500 })).toBe(708_333);
  });

  test("par less the fee, without an index: 15% → 17/20", () => {
    expect(parMarkRatio(1_500)).toEqual({ numerator: 17n, denominator: 20n });
  });

  test("a ppm mark is the ratio ppm / 10⁶: 850,000 → 17/20; 566,666 → 283,333/500,000", () => {
    expect(markRatioFromPpm(850_000)).toEqual({ numerator: 17n, denominator: 20n });
    expect(markRatioFromPpm(566_666)).toEqual({ numerator: 283_333n, denominator: 500_000n });
    expect(toMarkRatio(850_000)).toEqual({ numerator: 17n, denominator: 20n });
  });

  test.each([
    ["a zero denominator", { numerator: 0n, denominator: 0n }],
    ["a mark above par", { numerator: 3n, denominator: 2n }],
    ["a negative mark", { numerator: -1n, denominator: 2n }],
    ["numbers instead of bigints", { numerator: 1, denominator: 2 } as unknown as { numerator: bigint; denominator: bigint }],
  ])("refuses %s", (_label, mark) => {
    expect(() => assertMarkRatio(mark)).toThrow(RangeError);
  });

  test("takes the mark once: both or neither of mark and markPpm is refused", () => {
    expect(() => resolveMark({ mark: { numerator: 1n, denominator: 2n }, markPpm: 500_000 })).toThrow(RangeError);
    expect(() => resolveMark({})).toThrow(RangeError);
  });

  test("coverage at the exact mark is never below coverage at its ppm floor, and differs by at most 1 bps per 10⁴ ppm of rounding (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 1n, max: 10n ** 9n }), fc.integer({ min: 0, max: 10_000 }), fc.bigInt({ min: 0n, max: 10n ** 13n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), (now, origin, fee, collateral, debt) => {
        const index = { indexNowMicros: now, indexAtOriginationMicros: origin, redistributionFeeBps: fee };
        const exact = coverageBps({ collateralMicros: collateral, mark: markRatio(index), debtMicros: debt })!;
        const floored = coverageBps({ collateralMicros: collateral, markPpm: markPpm(index), debtMicros: debt })!;
        expect(exact).toBeGreaterThanOrEqual(floored);
      }),
      { numRuns: 1_000, seed: 29 },
    );
  });
});

describe("gcd (doubles while both terms fit in one, bigints past that)", () => {
  const slowGcd = (a: bigint, b: bigint): bigint => (b === 0n ? a : slowGcd(b, a % b));
  test.each([
    ["8,500 and 10,000", 8_500n, 10_000n, 500n],
    ["coprime", 17n, 30n, 1n],
    ["with 0", 0n, 42n, 42n],
    ["both at 2⁵³ − 1 (the last exact double)", 2n ** 53n - 1n, 2n ** 53n - 1n, 2n ** 53n - 1n],
    ["one past it (the bigint path)", 2n ** 53n, 2n ** 20n * 3n, 2n ** 20n],
    ["large terms, a large common factor", 123_456_789n * 10n ** 20n, 987_654_321n * 10n ** 20n, 9n * 10n ** 20n],
  ])("%s", (_label, a, b, divisor) => {
    expect(gcd(a, b)).toBe(divisor);
    expect(slowGcd(a, b)).toBe(divisor);
  });

  test("equals Euclid on bigints for any terms, on both sides of 2⁵³ (property)", () => {
    const term = fc.oneof(fc.bigInt({ min: 0n, max: 2n ** 53n - 1n }), fc.bigInt({ min: 0n, max: 2n ** 80n }), fc.bigInt({ min: 0n, max: 100_000n }));
    fc.assert(
      fc.property(term, term, (a, b) => {
        expect(gcd(a, b)).toBe(slowGcd(a, b));
      }),
      { numRuns: 2_000 },
    );
  });
});
