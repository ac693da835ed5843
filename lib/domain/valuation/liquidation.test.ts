import { describe, expect, test } from "vitest";
import { coverageBps } from "./coverage";
import { fullLiquidationSaleMicros, liquidationWaterfall, partialLiquidationMicros, planLiquidation, planPartialLiquidation, saleProceedsMicros, type LiquidationWaterfall } from "./liquidation";

const USD = 1_000_000n;

describe("planPartialLiquidation: the least sale x = ⌈(R·D − C·m) / (m·(R − 1))⌉ that restores R, capped at what can be sold", () => {
  test.each([
    // label, C, D, mark ppm, R bps, sellable now, expected { sell, required, restored }
    // (1.25 × 68,000 − 120,000 × 0.68) / (0.68 × 0.25) = (85,000 − 81,600) / 0.17 = 20,000 USD exactly
    ["120% → 125% at 0.68: sell exactly $20,000", 120_000n * USD, 68_000n * USD, 680_000, 12_500, 120_000n * USD, 20_000n * USD, 20_000n * USD, true],
    // (1.25 × 100,000 − 135,000 × 0.85) / (0.85 × 0.25) = 10,250 / 0.2125 = 48,235.294117647… USD → formula 48,235,294,118;
    // that sale raises ⌊41,000,000,000.3⌋ = 41,000,000,000 and leaves 86,764,705,882 × 0.85 = 73,749,999,999.7 of value
    // against 59,000,000,000 of debt, ×1.25 = 73,750,000,000 > value: 12,499 bps. One µUSD more raises
    // ⌊41,000,000,001.15⌋ = 41,000,000,001: value 73,749,999,998.85 ≥ 1.25 × 58,999,999,999 = 73,749,999,998.75.
    ["114.75% → 125% at 0.85: the formula's 48,235,294,118 µUSD falls 1 bps short after the proceeds round down, so 48,235,294,119", 135_000n * USD, 100_000n * USD, 850_000, 12_500, 135_000n * USD, 48_235_294_119n, 48_235_294_119n, true],
    ["the cap: only $10,000 can be sold now, $20,000 is needed", 120_000n * USD, 68_000n * USD, 680_000, 12_500, 10_000n * USD, 10_000n * USD, 20_000n * USD, false],
    ["already at R: 150,000 × 0.85 / 100,000 = 127.5% sells nothing", 150_000n * USD, 100_000n * USD, 850_000, 12_500, 150_000n * USD, 0n, 0n, true],
    // 100,000 × 0.85 / 100,000 = 85%: selling at 0.85 only makes coverage worse; no sale restores 125%.
    ["underwater (85%): no sale restores R, everything that can be sold is", 100_000n * USD, 100_000n * USD, 850_000, 12_500, 60_000n * USD, 60_000n * USD, null, false],
    // At exactly 100%: (1.25 × 100,000 − 100,000) / (1 × 0.25) = 100,000 = everything, which clears the debt (coverage ∞).
    ["exactly 100% at par: selling everything clears the debt", 100_000n * USD, 100_000n * USD, 1_000_000, 12_500, 100_000n * USD, 100_000n * USD, 100_000n * USD, true],
    ["worthless credits: nothing restores R", 100n * USD, 10n * USD, 0, 12_500, 100n * USD, 100n * USD, null, false],
    ["no debt sells nothing", 100n * USD, 0n, 850_000, 12_500, 100n * USD, 0n, 0n, true],
  ])("%s", (_label, collateralMicros, debtMicros, mark, targetBps, sellableMicros, sell, required, restored) => {
    const plan = planPartialLiquidation({ collateralMicros, debtMicros, markPpm: mark, targetBps, sellableMicros });
    expect(plan).toEqual({ sellMicros: sell, requiredMicros: required, isTargetRestored: restored });
    expect(partialLiquidationMicros({ collateralMicros, debtMicros, markPpm: mark, targetBps, sellableMicros })).toBe(sell);
  });

  test("after the $20,000 sale coverage is exactly 125%, and 1 µUSD less leaves 124.99%", () => {
    // x: collateral 100,000 × 0.68 = 68,000 of value; debt 68,000 − 13,600 = 54,400; 68,000 / 54,400 = 1.25.
    expect(coverageBps({ collateralMicros: 100_000n * USD, markPpm: 680_000, debtMicros: 54_400n * USD })).toBe(12_500);
    // x − 1: value 100,000,000,001 × 0.68 = 68,000,000,000.68; proceeds ⌊19,999,999,999 × 0.68⌋ = 13,599,999,999,
    // debt 54,400,000,001; × 1.25 = 68,000,000,001.25 > value → below 125%.
    expect(saleProceedsMicros(20_000n * USD - 1n, 680_000)).toBe(13_599_999_999n);
    expect(coverageBps({ collateralMicros: 100_000n * USD + 1n, markPpm: 680_000, debtMicros: 54_400n * USD + 1n })).toBe(12_499);
  });

  test.each([
    ["a target of 100% (R − 1 = 0)", { targetBps: 10_000 }],
    ["more to sell than the collateral", { sellableMicros: 200n * USD }],
    ["a negative debt", { debtMicros: -1n }],
  ])("refuses %s", (_label, override) => {
    expect(() => planPartialLiquidation({ collateralMicros: 100n * USD, debtMicros: 90n * USD, markPpm: 850_000, targetBps: 12_500, sellableMicros: 100n * USD, ...override })).toThrow(RangeError);
  });
});

describe("liquidationWaterfall: proceeds pay interest, then principal; surplus to the startup; a FULL liquidation's shortfall is a loss", () => {
  const waterfall = (w: Partial<LiquidationWaterfall>): LiquidationWaterfall => ({
    proceedsMicros: 0n,
    platformRevenueMicros: 0n,
    interestPaidMicros: 0n,
    principalPaidMicros: 0n,
    surplusMicros: 0n,
    lossMicros: 0n,
    interestAccruedAfterMicros: 0n,
    principalOutstandingAfterMicros: 0n,
    debtAfterMicros: 0n,
    ...w,
  });

  test.each([
    // 180,000 × 0.85 = 153,000; revenue 180,000 − 153,000 = 27,000; 153,000 − 1,280 − 100,000 = 51,720 surplus
    ["FULL with a surplus: $180,000 at 0.85 against $1,280 interest + $100,000 principal", 180_000n * USD, 850_000, 1_280n * USD, 100_000n * USD, "FULL", waterfall({ proceedsMicros: 153_000n * USD, platformRevenueMicros: 27_000n * USD, interestPaidMicros: 1_280n * USD, principalPaidMicros: 100_000n * USD, surplusMicros: 51_720n * USD })],
    // 120,000 × 0.595 = 71,400; revenue 48,600; interest 2,000; principal 71,400 − 2,000 = 69,400; left 98,000 − 69,400 = 28,600
    ["FULL with a shortfall: $120,000 at 0.595 against $2,000 + $98,000 loses $28,600", 120_000n * USD, 595_000, 2_000n * USD, 98_000n * USD, "FULL", waterfall({ proceedsMicros: 71_400n * USD, platformRevenueMicros: 48_600n * USD, interestPaidMicros: 2_000n * USD, principalPaidMicros: 69_400n * USD, lossMicros: 28_600n * USD })],
    ["PARTIAL, the same sale: no loss, $28,600 stays owed", 120_000n * USD, 595_000, 2_000n * USD, 98_000n * USD, "PARTIAL", waterfall({ proceedsMicros: 71_400n * USD, platformRevenueMicros: 48_600n * USD, interestPaidMicros: 2_000n * USD, principalPaidMicros: 69_400n * USD, principalOutstandingAfterMicros: 28_600n * USD, debtAfterMicros: 28_600n * USD })],
    // 1,000 × 0.5 = 500 < 2,000 of interest: all to interest, 1,500 of interest left
    ["PARTIAL proceeds below the accrued interest pay interest only", 1_000n * USD, 500_000, 2_000n * USD, 50_000n * USD, "PARTIAL", waterfall({ proceedsMicros: 500n * USD, platformRevenueMicros: 500n * USD, interestPaidMicros: 500n * USD, interestAccruedAfterMicros: 1_500n * USD, principalOutstandingAfterMicros: 50_000n * USD, debtAfterMicros: 51_500n * USD })],
    // 1,000,001 × 0.85 = 850,000.85 → 850,000; revenue 150,001
    ["proceeds round down: 1,000,001 µUSD at 0.85 raise 850,000 and the platform keeps 150,001", 1_000_001n, 850_000, 0n, 10n * USD, "PARTIAL", waterfall({ proceedsMicros: 850_000n, platformRevenueMicros: 150_001n, principalPaidMicros: 850_000n, principalOutstandingAfterMicros: 9_150_000n, debtAfterMicros: 9_150_000n })],
    ["FULL at par, proceeds exactly the debt: no surplus, no loss", 100_000n * USD, 1_000_000, 0n, 100_000n * USD, "FULL", waterfall({ proceedsMicros: 100_000n * USD, principalPaidMicros: 100_000n * USD })],
    ["nothing sold in a FULL liquidation writes the whole debt off", 0n, 850_000, 5n, 10n, "FULL", waterfall({ lossMicros: 15n })],
  ] as const)("%s", (_label, soldMicros, mark, interestAccruedMicros, principalOutstandingMicros, kind, expected) => {
    expect(liquidationWaterfall({ soldMicros, markPpm: mark, interestAccruedMicros, principalOutstandingMicros, kind })).toEqual(expected);
  });

  test("refuses a kind other than FULL or PARTIAL", () => {
    expect(() => liquidationWaterfall({ soldMicros: 1n, markPpm: 1, interestAccruedMicros: 0n, principalOutstandingMicros: 0n, kind: "ALL" as "FULL" })).toThrow(RangeError);
  });
});

describe("fullLiquidationSaleMicros: the least sale whose proceeds pay the debt, ⌈D / m⌉", () => {
  test.each([
    ["$80 at 0.85: ⌈94,117,647.06⌉ = 94,117,648", 80n * USD, { numerator: 17n, denominator: 20n }, 94_117_648n],
    ["at par: exactly the debt", 80n * USD, { numerator: 1n, denominator: 1n }, 80n * USD],
    ["no debt sells nothing", 0n, { numerator: 17n, denominator: 20n }, 0n],
    ["worthless credits: no sale pays", 80n * USD, { numerator: 0n, denominator: 1n }, null],
  ])("%s", (_label, debtMicros, mark, expected) => {
    expect(fullLiquidationSaleMicros({ debtMicros, mark })).toBe(expected);
  });
});

describe("planLiquidation refuses inconsistent figures", () => {
  const base = { scope: "FULL" as const, collateralMicros: 100n * USD, frozenMicros: 40n * USD, interestAccruedMicros: 0n, principalOutstandingMicros: 80n * USD, maintenanceBps: 12_500, markPpm: 850_000 };
  test.each([
    ["frozen credits above the collateral", { frozenMicros: 101n * USD }],
    ["more freezable now than is unfrozen", { freezableNowMicros: 61n * USD }],
    ["an unknown scope", { scope: "ALL" as "FULL" }],
  ])("%s", (_label, override) => {
    expect(() => planLiquidation({ ...base, ...override })).toThrow(RangeError);
  });

  test("PARTIAL restores maintenance + 5 points by default, or + a given hysteresis", () => {
    expect(planLiquidation({ ...base, scope: "PARTIAL" }).targetBps).toBe(13_000);
    expect(planLiquidation({ ...base, scope: "PARTIAL", hysteresisBps: 0 }).targetBps).toBe(12_500);
  });
});
