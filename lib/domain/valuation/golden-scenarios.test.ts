// Golden multi-step scenarios: each figure below was worked out by hand with exact fractions (the
// working is in the comment beside it), never read off the functions under test.

import { describe, expect, test } from "vitest";
import { coverageBps, markPpm, valueAtMarkMicros } from "./coverage";
import { liquidationWaterfall, planPartialLiquidation, type LiquidationWaterfall } from "./liquidation";
import { projectDaysToMarginCall, whatIf, type ProjectionInput } from "./projection";
import { protectiveFreezeMicros } from "./protective-freeze";

const USD = 1_000_000n;
const ORIGIN_INDEX = 2_000_000n; // $2.00 per H100-hour at origination
const FEE_BPS = 1_500;
const MAINTENANCE_BPS = 12_500;

// ───────────────────────────── (c) protective freeze ─────────────────────────────

describe("golden (c): a protective freeze holds exactly the credits that cover the debt at 125%", () => {
  // $180,000 of collateral, $100,000 of debt, index at origination (mark 0.85): coverage 153%.
  const loan = { collateralMicros: 180_000n * USD, debtMicros: 100_000n * USD, markPpm: 850_000 };
  // ⌈100,000,000,000 × 1.25 / 0.85⌉ = ⌈125,000,000,000 / 0.85⌉ = ⌈147,058,823,529.41⌉ = 147,058,823,530 µUSD
  const PROTECTIVE = 147_058_823_530n;

  test("step 1: the protective amount, and what stays spendable", () => {
    expect(protectiveFreezeMicros({ ...loan, maintenanceBps: MAINTENANCE_BPS })).toBe(PROTECTIVE);
    // 180,000,000,000 − 147,058,823,530
    expect(loan.collateralMicros - PROTECTIVE).toBe(32_941_176_470n);
  });

  test("step 2: the frozen credits are worth debt × 125%, and 1 µUSD fewer would not be", () => {
    // 147,058,823,530 × 0.85 = 125,000,000,000.5 → 125,000,000,000 = 1.25 × 100,000,000,000
    expect(valueAtMarkMicros(PROTECTIVE, 850_000)).toBe(125_000n * USD);
    // 147,058,823,529 × 0.85 = 124,999,999,999.65 → 124,999,999,999 < 125,000,000,000
    expect(valueAtMarkMicros(PROTECTIVE - 1n, 850_000)).toBe(124_999_999_999n);
  });

  // The borrower keeps spending $1,000/day of the unfrozen $32,941.18; no interest in this scenario.
  const afterFreeze: ProjectionInput = {
    now: new Date("2026-03-01T12:00:00Z"),
    collateralMicros: loan.collateralMicros,
    frozenMicros: PROTECTIVE,
    debtMicros: loan.debtMicros,
    interestMicrosPerDay: 0n,
    burnMicrosPerDay: 1_000n * USD,
    installments: [],
    indexNowMicros: ORIGIN_INDEX,
    indexAtOriginationMicros: ORIGIN_INDEX,
    redistributionFeeBps: FEE_BPS,
    indexTrendMicrosPerDay: 0n,
    maintenanceBps: MAINTENANCE_BPS,
    horizonDays: 90,
  };

  test("step 3: spending runs into the frozen floor on day 33 and coverage settles at exactly 125%: no margin call", () => {
    const projection = projectDaysToMarginCall(afterFreeze);
    expect(projection.daysToMarginCall).toBeNull();
    // day 32: 180,000 − 32,000 = 148,000 > 147,058.82 → 148,000 × 0.85 / 100,000 = 125.8% → 12,580
    expect(projection.series[32]).toMatchObject({ collateralMicros: 148_000n * USD, coverageBps: 12_580 });
    // day 33: 147,000 < 147,058.82, so the burn stops at the frozen credits:
    // 147,058,823,530 × 850,000 / (100,000,000,000 × 100) = 12,500.00000005 → 12,500
    expect(projection.series[33]).toMatchObject({ collateralMicros: PROTECTIVE, coverageBps: 12_500 });
    expect(projection.series[90]).toMatchObject({ collateralMicros: PROTECTIVE, coverageBps: 12_500 });
  });

  test("step 4: but it was sized at today's mark: an index 1% lower brings a margin call on day 32", () => {
    // index 2,000,000 × 0.99 = 1,980,000 → mark 0.99 × 0.85 = 0.8415 → 180,000 × 0.8415 = 151,470 → 151.47% now.
    // Margin call once C × 0.8415 < 125,000 ⇔ C < 148,544.27: day 31 has 149,000 (125,383.5 → 12,538),
    // day 32 has 148,000 (124,542 → 12,454); at the floor on day 33, 147,058,823,530 × 0.8415 = 125,000,000,000.5 × 0.99
    // = 123,750,000,000.495 against 100,000,000,000 → 12,375.
    const shocked = whatIf(afterFreeze, { indexShockBps: -100 });
    expect(shocked.markPpmNow).toBe(841_500);
    expect(shocked.coverageBpsNow).toBe(15_147);
    expect(shocked.daysToMarginCall).toBe(32);
    expect([31, 32, 33].map((day) => shocked.series[day].coverageBps)).toEqual([12_538, 12_454, 12_375]);
  });
});

// ───────────────────────────── (d) partial liquidation ─────────────────────────────

type PartialScenario = {
  label: string;
  indexNowMicros: bigint;
  collateralMicros: bigint;
  frozenMicros: bigint;
  interestAccruedMicros: bigint;
  principalOutstandingMicros: bigint;
  expected: {
    markPpm: number;
    coverageBeforeBps: number;
    sellMicros: bigint;
    isTargetRestored: boolean;
    waterfall: Pick<LiquidationWaterfall, "proceedsMicros" | "platformRevenueMicros" | "interestPaidMicros" | "principalPaidMicros" | "principalOutstandingAfterMicros" | "debtAfterMicros">;
    coverageAfterBps: number;
    /** Coverage had one µUSD less been sold (only when the target is restored). */
    coverageAfterOneLessBps?: number;
  };
};

const partialScenarios: PartialScenario[] = [
  {
    // Index down 20%: mark 0.8 × 0.85 = 0.68. C $120,000 fully frozen, D = $1,000 interest + $67,000 principal.
    // Coverage 120,000 × 0.68 / 68,000 = 81,600 / 68,000 = 120%.
    // x = (1.25 × 68,000 − 81,600) / (0.68 × 0.25) = 3,400 / 0.17 = 20,000 USD exactly.
    // Proceeds 20,000 × 0.68 = 13,600 (revenue 6,400): interest 1,000, principal 12,600 → principal left 54,400.
    // After: 100,000 × 0.68 / 54,400 = 68,000 / 54,400 = 1.25 → 12,500.
    // One µUSD less: value 100,000,000,001 × 0.68 = 68,000,000,000.68; proceeds ⌊13,599,999,999.32⌋ = 13,599,999,999,
    // debt 54,400,000,001; 1.25 × 54,400,000,001 = 68,000,000,001.25 > value → 12,499.
    label: "d1: 120% → exactly 125% by selling $20,000 at 0.68",
    indexNowMicros: 1_600_000n,
    collateralMicros: 120_000n * USD,
    frozenMicros: 120_000n * USD,
    interestAccruedMicros: 1_000n * USD,
    principalOutstandingMicros: 67_000n * USD,
    expected: {
      markPpm: 680_000,
      coverageBeforeBps: 12_000,
      sellMicros: 20_000n * USD,
      isTargetRestored: true,
      waterfall: { proceedsMicros: 13_600n * USD, platformRevenueMicros: 6_400n * USD, interestPaidMicros: 1_000n * USD, principalPaidMicros: 12_600n * USD, principalOutstandingAfterMicros: 54_400n * USD, debtAfterMicros: 54_400n * USD },
      coverageAfterBps: 12_500,
      coverageAfterOneLessBps: 12_499,
    },
  },
  {
    // Index at origination: mark 0.85. C $135,000 frozen, D = $500 interest + $99,500 principal = $100,000.
    // Coverage 135,000 × 0.85 / 100,000 = 114,750 / 100,000 = 114.75%.
    // Formula: (1.25 × 100,000 − 114,750) / (0.85 × 0.25) = 10,250 / 0.2125 = 48,235.294117647… → 48,235,294,118 µUSD.
    // At that x the proceeds are ⌊48,235,294,118 × 0.85⌋ = ⌊41,000,000,000.3⌋ = 41,000,000,000, leaving debt 59,000,000,000
    // and value 86,764,705,882 × 0.85 = 73,749,999,999.7 < 1.25 × 59,000,000,000 = 73,750,000,000 → 12,499: 1 µUSD more is needed.
    // x = 48,235,294,119: proceeds ⌊41,000,000,001.15⌋ = 41,000,000,001 (revenue 48,235,294,119 − 41,000,000,001 = 7,235,294,118);
    // interest 500,000,000, principal 40,500,000,001 → left 99,500,000,000 − 40,500,000,001 = 58,999,999,999;
    // value 86,764,705,881 × 0.85 = 73,749,999,998.85 ≥ 1.25 × 58,999,999,999 = 73,749,999,998.75 → 12,500.
    label: "d2: 114.75% → 125% at 0.85 needs 1 µUSD more than the formula because the proceeds round down",
    indexNowMicros: ORIGIN_INDEX,
    collateralMicros: 135_000n * USD,
    frozenMicros: 135_000n * USD,
    interestAccruedMicros: 500n * USD,
    principalOutstandingMicros: 99_500n * USD,
    expected: {
      markPpm: 850_000,
      coverageBeforeBps: 11_475,
      sellMicros: 48_235_294_119n,
      isTargetRestored: true,
      waterfall: { proceedsMicros: 41_000_000_001n, platformRevenueMicros: 7_235_294_118n, interestPaidMicros: 500n * USD, principalPaidMicros: 40_500_000_001n, principalOutstandingAfterMicros: 58_999_999_999n, debtAfterMicros: 58_999_999_999n },
      coverageAfterBps: 12_500,
      coverageAfterOneLessBps: 12_499,
    },
  },
  {
    // As d1, but only $10,000 is frozen: the sale is capped there and does not restore 125%.
    // Proceeds 10,000 × 0.68 = 6,800 (revenue 3,200): interest 1,000, principal 5,800 → 61,200 left.
    // After: 110,000 × 0.68 / 61,200 = 74,800 / 61,200 = 1.2222… → 12,222.
    label: "d3: only $10,000 frozen: the sale is capped and coverage reaches only 122.22%",
    indexNowMicros: 1_600_000n,
    collateralMicros: 120_000n * USD,
    frozenMicros: 10_000n * USD,
    interestAccruedMicros: 1_000n * USD,
    principalOutstandingMicros: 67_000n * USD,
    expected: {
      markPpm: 680_000,
      coverageBeforeBps: 12_000,
      sellMicros: 10_000n * USD,
      isTargetRestored: false,
      waterfall: { proceedsMicros: 6_800n * USD, platformRevenueMicros: 3_200n * USD, interestPaidMicros: 1_000n * USD, principalPaidMicros: 5_800n * USD, principalOutstandingAfterMicros: 61_200n * USD, debtAfterMicros: 61_200n * USD },
      coverageAfterBps: 12_222,
    },
  },
];

describe("golden (d): partial liquidation sells the least amount that restores maintenance", () => {
  test.each(partialScenarios.map((s) => [s.label, s] as const))("%s", (_label, s) => {
    const mark = markPpm({ indexNowMicros: s.indexNowMicros, indexAtOriginationMicros: ORIGIN_INDEX, redistributionFeeBps: FEE_BPS });
    expect(mark).toBe(s.expected.markPpm);
    const debt = s.interestAccruedMicros + s.principalOutstandingMicros;
    expect(coverageBps({ collateralMicros: s.collateralMicros, markPpm: mark, debtMicros: debt })).toBe(s.expected.coverageBeforeBps);

    const plan = planPartialLiquidation({ collateralMicros: s.collateralMicros, debtMicros: debt, markPpm: mark, targetBps: MAINTENANCE_BPS, sellableMicros: s.frozenMicros });
    expect(plan.sellMicros).toBe(s.expected.sellMicros);
    expect(plan.isTargetRestored).toBe(s.expected.isTargetRestored);

    const sale = (sold: bigint) => liquidationWaterfall({ soldMicros: sold, markPpm: mark, interestAccruedMicros: s.interestAccruedMicros, principalOutstandingMicros: s.principalOutstandingMicros, kind: "PARTIAL" });
    const waterfall = sale(plan.sellMicros);
    expect(waterfall).toMatchObject({ ...s.expected.waterfall, surplusMicros: 0n, lossMicros: 0n, interestAccruedAfterMicros: 0n });
    expect(coverageBps({ collateralMicros: s.collateralMicros - plan.sellMicros, markPpm: mark, debtMicros: waterfall.debtAfterMicros })).toBe(s.expected.coverageAfterBps);

    if (s.expected.coverageAfterOneLessBps !== undefined) {
      expect(s.expected.coverageAfterBps).toBeGreaterThanOrEqual(MAINTENANCE_BPS);
      const oneLess = sale(plan.sellMicros - 1n);
      expect(coverageBps({ collateralMicros: s.collateralMicros - plan.sellMicros + 1n, markPpm: mark, debtMicros: oneLess.debtAfterMicros })).toBe(s.expected.coverageAfterOneLessBps);
      expect(s.expected.coverageAfterOneLessBps).toBeLessThan(MAINTENANCE_BPS);
    }
  });
});

// ───────────────────────────── (e) full liquidation ─────────────────────────────

type FullScenario = {
  label: string;
  indexNowMicros: bigint;
  frozenMicros: bigint;
  interestAccruedMicros: bigint;
  principalOutstandingMicros: bigint;
  expected: { markPpm: number; coverageBeforeBps: number; partialSaleRestores: boolean; waterfall: LiquidationWaterfall };
};

const fullScenarios: FullScenario[] = [
  {
    // A delinquent loan liquidated at par: mark 0.85, all $180,000 frozen and sold; debt $1,280 + $100,000.
    // Coverage 153,000 / 101,280 = 1.51066… → 15,106. Proceeds 180,000 × 0.85 = 153,000; revenue 27,000;
    // interest 1,280, principal 100,000; surplus 153,000 − 101,280 = 51,720 back to the startup.
    label: "e1: a surplus of $51,720 returns to the startup",
    indexNowMicros: ORIGIN_INDEX,
    frozenMicros: 180_000n * USD,
    interestAccruedMicros: 1_280n * USD,
    principalOutstandingMicros: 100_000n * USD,
    expected: {
      markPpm: 850_000,
      coverageBeforeBps: 15_106,
      partialSaleRestores: true,
      waterfall: { proceedsMicros: 153_000n * USD, platformRevenueMicros: 27_000n * USD, interestPaidMicros: 1_280n * USD, principalPaidMicros: 100_000n * USD, surplusMicros: 51_720n * USD, lossMicros: 0n, interestAccruedAfterMicros: 0n, principalOutstandingAfterMicros: 0n, debtAfterMicros: 0n },
    },
  },
  {
    // Index down 30%: mark 0.7 × 0.85 = 0.595. All $120,000 frozen and sold; debt $2,000 + $98,000.
    // Coverage 120,000 × 0.595 / 100,000 = 71,400 / 100,000 = 71.4% → 7,140: underwater, no partial sale restores 125%.
    // Proceeds 71,400; revenue 120,000 − 71,400 = 48,600; interest 2,000; principal 69,400; loss 98,000 − 69,400 = 28,600.
    label: "e2: a shortfall of $28,600 is recorded as a loss",
    indexNowMicros: 1_400_000n,
    frozenMicros: 120_000n * USD,
    interestAccruedMicros: 2_000n * USD,
    principalOutstandingMicros: 98_000n * USD,
    expected: {
      markPpm: 595_000,
      coverageBeforeBps: 7_140,
      partialSaleRestores: false,
      waterfall: { proceedsMicros: 71_400n * USD, platformRevenueMicros: 48_600n * USD, interestPaidMicros: 2_000n * USD, principalPaidMicros: 69_400n * USD, surplusMicros: 0n, lossMicros: 28_600n * USD, interestAccruedAfterMicros: 0n, principalOutstandingAfterMicros: 0n, debtAfterMicros: 0n },
    },
  },
];

describe("golden (e): full liquidation sells all frozen credits; proceeds pay interest, then principal", () => {
  test.each(fullScenarios.map((s) => [s.label, s] as const))("%s", (_label, s) => {
    const mark = markPpm({ indexNowMicros: s.indexNowMicros, indexAtOriginationMicros: ORIGIN_INDEX, redistributionFeeBps: FEE_BPS });
    expect(mark).toBe(s.expected.markPpm);
    const debt = s.interestAccruedMicros + s.principalOutstandingMicros;
    expect(coverageBps({ collateralMicros: s.frozenMicros, markPpm: mark, debtMicros: debt })).toBe(s.expected.coverageBeforeBps);
    const plan = planPartialLiquidation({ collateralMicros: s.frozenMicros, debtMicros: debt, markPpm: mark, targetBps: MAINTENANCE_BPS, sellableMicros: s.frozenMicros });
    expect(plan.isTargetRestored).toBe(s.expected.partialSaleRestores);

    const full = liquidationWaterfall({ soldMicros: s.frozenMicros, markPpm: mark, interestAccruedMicros: s.interestAccruedMicros, principalOutstandingMicros: s.principalOutstandingMicros, kind: "FULL" });
    expect(full).toEqual(s.expected.waterfall);
  });

  test("e2 sold as a PARTIAL liquidation instead: no loss is recorded and the $28,600 stays owed", () => {
    const partial = liquidationWaterfall({ soldMicros: 120_000n * USD, markPpm: 595_000, interestAccruedMicros: 2_000n * USD, principalOutstandingMicros: 98_000n * USD, kind: "PARTIAL" });
    expect(partial).toMatchObject({ lossMicros: 0n, principalOutstandingAfterMicros: 28_600n * USD, debtAfterMicros: 28_600n * USD });
  });
});
