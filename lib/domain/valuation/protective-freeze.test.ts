import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { valueAtMarkMicros } from "./coverage";
import { protectiveFreezeMicros } from "./protective-freeze";

const USD = 1_000_000n;

describe("protectiveFreezeMicros = min(collateral, ⌈debt × maintenance / mark⌉)", () => {
  test.each([
    // label, collateral, debt, maintenance bps, mark ppm, expected
    // 100,000 × 1.25 / 0.85 = 147,058.823529… USD → ⌈147,058,823,529.41⌉ µUSD
    ["$100,000 of debt at 125% and a 0.85 mark freezes 147,058,823,530 µUSD of $180,000", 180_000n * USD, 100_000n * USD, 12_500, 850_000, 147_058_823_530n],
    // 100,000 × 1.25 / 0.68 = 183,823.53 USD > 180,000: everything
    ["at a 0.68 mark the need (183,823,529,412 µUSD) exceeds the collateral: all $180,000", 180_000n * USD, 100_000n * USD, 12_500, 680_000, 180_000n * USD],
    ["exact at par: $100,000 × 1.25 = $125,000", 180_000n * USD, 100_000n * USD, 12_500, 1_000_000, 125_000n * USD],
    ["1 µUSD of debt at 125% and 0.85 rounds 1.47 up to 2 µUSD", 10n * USD, 1n, 12_500, 850_000, 2n],
    ["no debt freezes nothing", 180_000n * USD, 0n, 12_500, 850_000, 0n],
    ["worthless credits (mark 0) freeze everything", 180_000n * USD, 100_000n * USD, 12_500, 0, 180_000n * USD],
    ["no collateral freezes nothing", 0n, 100_000n * USD, 12_500, 850_000, 0n],
  ])("%s", (_label, collateralMicros, debtMicros, maintenanceBps, mark, expected) => {
    expect(protectiveFreezeMicros({ collateralMicros, debtMicros, maintenanceBps, markPpm: mark })).toBe(expected);
  });

  test("the frozen credits' value covers debt × maintenance, and 1 µUSD less would not (property)", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 0n, max: 10n ** 12n }), fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 10_000, max: 20_000 }), fc.integer({ min: 1, max: 1_000_000 }), (collateral, debt, maintenance, mark) => {
        const frozen = protectiveFreezeMicros({ collateralMicros: collateral, debtMicros: debt, maintenanceBps: maintenance, markPpm: mark });
        expect(frozen <= collateral).toBe(true);
        // value × 10⁴ vs debt × maintenance, exactly: frozen × mark / 10⁶ ≥ debt × maintenance / 10⁴
        const covers = (credits: bigint) => credits * BigInt(mark) * 10_000n >= debt * BigInt(maintenance) * 1_000_000n;
        if (frozen < collateral) {
          expect(covers(frozen)).toBe(true);
          expect(covers(frozen - 1n)).toBe(false);
        } else {
          expect(covers(collateral - 1n)).toBe(false);
        }
      }),
      { numRuns: 1_000, seed: 17 },
    );
  });

  test("the value check in µUSD: 147,058,823,530 at 0.85 is worth 125,000,000,000.5 → $125,000 (rounded down)", () => {
    expect(valueAtMarkMicros(147_058_823_530n, 850_000)).toBe(125_000n * USD);
    expect(valueAtMarkMicros(147_058_823_529n, 850_000)).toBe(124_999_999_999n);
  });
});
