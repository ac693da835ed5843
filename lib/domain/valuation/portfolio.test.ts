import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { coverageBps, valueAtMarkMicros } from "./coverage";
import { DAY_MS, dayNumber, utcDay } from "./days";
import { coverageBands, coverageDistribution, recentDailySeries, summarisePortfolio, watchStatusOf, type PortfolioLoanFigures } from "./portfolio";

const USD = 1_000_000n;
const usd = (dollars: number) => BigInt(dollars) * USD;

/** A loan with coverage computed the way the live figures compute it. */
function loan(state: string, collateralUsd: number, debtUsd: number, mark = 850_000, earlyWarningBps: number[] = [14_000, 13_000]): PortfolioLoanFigures {
  const collateralMicros = usd(collateralUsd);
  const debtMicros = usd(debtUsd);
  return { state, collateralMicros, debtMicros, collateralValueMicros: valueAtMarkMicros(collateralMicros, mark), coverageBps: coverageBps({ collateralMicros, markPpm: mark, debtMicros }), earlyWarningBps };
}

describe("watchStatusOf: which open loans need the analyst", () => {
  it.each([
    ["ACTIVE at 150% is just active", loan("ACTIVE", 176_471, 100_000), "ACTIVE"],
    ["ACTIVE at exactly 140% is not yet an early warning", { state: "ACTIVE", coverageBps: 14_000, earlyWarningBps: [14_000, 13_000] }, "ACTIVE"],
    ["ACTIVE at 139.99% is an early warning", { state: "ACTIVE", coverageBps: 13_999, earlyWarningBps: [14_000, 13_000] }, "EARLY_WARNING"],
    ["levels in any order: the highest counts", { state: "ACTIVE", coverageBps: 13_500, earlyWarningBps: [13_000, 14_000] }, "EARLY_WARNING"],
    ["ACTIVE below maintenance (state not yet moved) is still flagged", { state: "ACTIVE", coverageBps: 12_000, earlyWarningBps: [14_000] }, "EARLY_WARNING"],
    ["infinite coverage (no debt) is never a warning", { state: "ACTIVE", coverageBps: null, earlyWarningBps: [14_000] }, "ACTIVE"],
    ["no early-warning levels configured", { state: "ACTIVE", coverageBps: 10_000, earlyWarningBps: [] }, "ACTIVE"],
    ["MARGIN_CALL stays MARGIN_CALL", { state: "MARGIN_CALL", coverageBps: 12_000, earlyWarningBps: [14_000] }, "MARGIN_CALL"],
    ["DELINQUENT stays DELINQUENT whatever its coverage", { state: "DELINQUENT", coverageBps: 13_000, earlyWarningBps: [14_000] }, "DELINQUENT"],
    ["FROZEN stays FROZEN", { state: "FROZEN", coverageBps: 10_500, earlyWarningBps: [14_000] }, "FROZEN"],
  ])("%s", (_label, input, status) => {
    expect(watchStatusOf(input)).toBe(status);
  });
});

describe("summarisePortfolio", () => {
  it("an empty book has no debt, no value and infinite coverage", () => {
    expect(summarisePortfolio([])).toEqual({
      openLoans: 0,
      totalDebtMicros: 0n,
      collateralMicros: 0n,
      collateralValueMicros: 0n,
      debtWeightedCoverageBps: null,
      expectedRecoveryMicros: 0n,
      uncoveredDebtMicros: 0n,
      loansByWatchStatus: { EARLY_WARNING: 0, MARGIN_CALL: 0, DELINQUENT: 0, FROZEN: 0 },
    });
  });

  it.each([
    // label, loans, total debt, collateral value, weighted coverage bps, recovery, uncovered
    ["one loan at 170%: recovery is the whole debt", [loan("ACTIVE", 200_000, 100_000)], usd(100_000), usd(170_000), 17_000, usd(100_000), 0n],
    ["one loan at 85% (under water): recovery is the value, the rest uncovered", [loan("FROZEN", 100_000, 100_000)], usd(100_000), usd(85_000), 8_500, usd(85_000), usd(15_000)],
    [
      "weighted by debt, not averaged per loan: $100k at 170% and $300k at 85% → 106.25%",
      [loan("ACTIVE", 200_000, 100_000), loan("MARGIN_CALL", 300_000, 300_000)],
      usd(400_000),
      usd(170_000 + 255_000),
      10_625,
      usd(100_000 + 255_000),
      usd(45_000),
    ],
    [
      "a loan without debt adds value but no weight (its coverage is infinite)",
      [loan("ACTIVE", 200_000, 100_000), loan("ACTIVE", 50_000, 0)],
      usd(100_000),
      usd(170_000 + 42_500),
      17_000,
      usd(100_000),
      0n,
    ],
    [
      "each loan at its own mark: 0.85 and 0.425 (the index halved since origination)",
      [loan("ACTIVE", 100_000, 50_000, 850_000), loan("ACTIVE", 100_000, 50_000, 425_000)],
      usd(100_000),
      usd(85_000 + 42_500),
      12_750,
      usd(50_000 + 42_500),
      usd(7_500),
    ],
  ])("%s", (_label, loans, debt, value, coverage, recovery, uncovered) => {
    const summary = summarisePortfolio(loans);
    expect(summary.totalDebtMicros).toBe(debt);
    expect(summary.collateralValueMicros).toBe(value);
    expect(summary.debtWeightedCoverageBps).toBe(coverage);
    expect(summary.expectedRecoveryMicros).toBe(recovery);
    expect(summary.uncoveredDebtMicros).toBe(uncovered);
    expect(summary.expectedRecoveryMicros + summary.uncoveredDebtMicros).toBe(summary.totalDebtMicros);
  });

  it("weights each loan's coverage as shown by its debt, rounding once", () => {
    const a = { state: "ACTIVE", collateralMicros: 30n, debtMicros: 10n, collateralValueMicros: 25n, coverageBps: 25_000, earlyWarningBps: [] };
    const b = { state: "ACTIVE", collateralMicros: 30n, debtMicros: 30n, collateralValueMicros: 25n, coverageBps: 8_333, earlyWarningBps: [] };
    // (25,000 × 10 + 8,333 × 30) / 40 = 12,499.75 → 12,499.
    expect(summarisePortfolio([a, b]).debtWeightedCoverageBps).toBe(12_499);
    // Recovery takes each loan's own value, capped at its own debt: min(10, 25) + min(30, 25).
    expect(summarisePortfolio([a, b]).expectedRecoveryMicros).toBe(35n);
  });

  it("agrees with the loan's own coverage when the book is one loan, whatever the numbers", () => {
    for (const [c, d, m] of [
      [123_456_789n, 98_765_432n, 849_999],
      [1n, 3n, 1_000_000],
      [10n ** 15n, 7n, 850_000],
    ] as const) {
      const coverage = coverageBps({ collateralMicros: c, markPpm: m, debtMicros: d });
      const figures = { state: "ACTIVE", collateralMicros: c, debtMicros: d, collateralValueMicros: valueAtMarkMicros(c, m), coverageBps: coverage, earlyWarningBps: [] };
      expect(summarisePortfolio([figures]).debtWeightedCoverageBps).toBe(coverage);
    }
  });

  it("counts loans per watch status (early warning, margin call, delinquent, frozen)", () => {
    const summary = summarisePortfolio([
      loan("ACTIVE", 200_000, 100_000), // 170%: fine
      loan("ACTIVE", 160_000, 100_000), // 136%: early warning
      loan("ACTIVE", 155_000, 100_000), // 131.75%: early warning
      loan("MARGIN_CALL", 140_000, 100_000),
      loan("DELINQUENT", 200_000, 100_000),
      loan("FROZEN", 120_000, 100_000),
      loan("FROZEN", 100_000, 100_000),
    ]);
    expect(summary.loansByWatchStatus).toEqual({ EARLY_WARNING: 2, MARGIN_CALL: 1, DELINQUENT: 1, FROZEN: 2 });
    expect(summary.openLoans).toBe(7);
  });

  it.each([
    ["negative debt", { ...loan("ACTIVE", 1, 1), debtMicros: -1n }],
    ["collateral valued above par", { ...loan("ACTIVE", 1, 1), collateralValueMicros: 1_000_001n }],
    ["a loan with debt and infinite coverage", { ...loan("ACTIVE", 1, 1), coverageBps: null }],
    ["a fractional coverage", { ...loan("ACTIVE", 1, 1), coverageBps: 85.5 }],
  ])("refuses %s", (_label, bad) => {
    expect(() => summarisePortfolio([bad])).toThrow(RangeError);
  });
});

describe("coverageBands", () => {
  it("cuts at 100%, every threshold, 150%, 175% and 200% with the default thresholds", () => {
    expect(coverageBands().map((b) => [b.fromBps, b.toBps, b.zone])).toEqual([
      [0, 10_000, "liquidation"],
      [10_000, 11_000, "liquidation"],
      [11_000, 12_500, "margin-call"],
      [12_500, 13_000, "early-warning"],
      [13_000, 14_000, "early-warning"],
      [14_000, 15_000, "healthy"],
      [15_000, 17_500, "healthy"],
      [17_500, 20_000, "healthy"],
      [20_000, null, "healthy"],
    ]);
  });

  it.each([
    ["a maintenance of 130% moves the margin-call zone's top edge", { liquidationBps: 11_000, maintenanceBps: 13_000, earlyWarningBps: [14_000] }, [0, 10_000, 11_000, 13_000, 14_000, 15_000, 17_500, 20_000]],
    ["a threshold on a fixed edge is not doubled", { liquidationBps: 10_000, maintenanceBps: 15_000, earlyWarningBps: [] }, [0, 10_000, 15_000, 17_500, 20_000]],
  ])("%s", (_label, thresholds, edges) => {
    const bands = coverageBands(thresholds);
    expect(bands.map((b) => b.fromBps)).toEqual(edges);
    // Whatever the thresholds: contiguous from 0 to ∞, and no band straddles maintenance or liquidation.
    bands.forEach((band, i) => expect(band.toBps).toBe(bands[i + 1]?.fromBps ?? null));
    for (const band of bands) {
      for (const threshold of [thresholds.liquidationBps, thresholds.maintenanceBps]) expect(band.fromBps < threshold && (band.toBps ?? Infinity) > threshold).toBe(false);
    }
  });
});

describe("coverageDistribution", () => {
  it.each([
    ["109.99% sits in the liquidation zone", 10_999, 10_000],
    ["exactly 110% is above liquidation, in the margin-call band", 11_000, 11_000],
    ["124.99% is still a margin call", 12_499, 11_000],
    ["exactly 125% (maintenance) is out of it", 12_500, 12_500],
    ["0% (worthless collateral) is the first band", 0, 0],
    ["250% is the top band", 25_000, 20_000],
    ["infinite coverage (no debt) is the top band", null, 20_000],
  ])("%s", (_label, coverage, bandFrom) => {
    const totals = coverageDistribution([{ coverageBps: coverage, debtMicros: 7n }]);
    const hit = totals.filter((band) => band.loans > 0);
    expect(hit.map((band) => [band.fromBps, band.loans, band.debtMicros])).toEqual([[bandFrom, 1, 7n]]);
  });

  it("adds up loans and debt per band, and every loan lands in exactly one band", () => {
    const loans = [
      { coverageBps: 10_500, debtMicros: usd(150_000) },
      { coverageBps: 12_050, debtMicros: usd(160_000) },
      { coverageBps: 12_100, debtMicros: usd(40_000) },
      { coverageBps: 18_000, debtMicros: usd(400_000) },
    ];
    const totals = coverageDistribution(loans);
    expect(totals.find((b) => b.fromBps === 11_000)).toMatchObject({ loans: 2, debtMicros: usd(200_000), zone: "margin-call" });
    expect(totals.find((b) => b.fromBps === 10_000)).toMatchObject({ loans: 1, debtMicros: usd(150_000), zone: "liquidation" });
    expect(totals.reduce((n, b) => n + b.loans, 0)).toBe(4);
    expect(totals.reduce((sum, b) => sum + b.debtMicros, 0n)).toBe(usd(750_000));
  });
});

describe("recentDailySeries (the 7-day burn's input)", () => {
  const spend = new Map([
    ["2026-02-22", 1n],
    ["2026-02-23", 2n],
    ["2026-02-28", 7n],
    ["2026-03-01", 99n], // today: incomplete, never counted
  ]);
  const now = new Date("2026-03-01T12:00:00Z");
  it.each([
    ["the 7 complete days before today, zeros for days without spend", undefined, [1n, 2n, 0n, 0n, 0n, 0n, 7n]],
    ["not before the loan's activation day", new Date("2026-02-27T18:00:00Z"), [0n, 7n]],
    ["activated today: no history yet", new Date("2026-03-01T01:00:00Z"), []],
    ["activated at the first window day's midnight: the whole day counts", new Date("2026-02-22T00:00:00Z"), [1n, 2n, 0n, 0n, 0n, 0n, 7n]],
    ["a millisecond before the second day: the first day still counts", new Date("2026-02-22T23:59:59.999Z"), [1n, 2n, 0n, 0n, 0n, 0n, 7n]],
    ["at the second day's midnight: from it", new Date("2026-02-23T00:00:00Z"), [2n, 0n, 0n, 0n, 0n, 7n]],
    ["activated long before (1969)", new Date("1969-12-31T23:00:00Z"), [1n, 2n, 0n, 0n, 0n, 0n, 7n]],
  ])("%s", (_label, since, series) => {
    expect(recentDailySeries(spend, { now, since })).toEqual(series);
  });

  it("starts at since's UTC day, as dayNumber(utcDay(since)) counts it, for any instant (property)", () => {
    const start = Date.parse("2026-02-15T00:00:00Z");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20 * DAY_MS }), (offset) => {
        const since = new Date(start + offset);
        const firstDay = dayNumber(utcDay(since));
        const expected = [...Array(7).keys()].map((i) => dayNumber("2026-02-22") + i).filter((day) => day >= firstDay).map((day) => spend.get(utcDay(day * DAY_MS)) ?? 0n);
        expect(recentDailySeries(spend, { now, since })).toEqual(expected);
      }),
      { numRuns: 500 },
    );
  });

  it("refuses an invalid since", () => {
    expect(() => recentDailySeries(spend, { now, since: new Date(Number.NaN) })).toThrow(RangeError);
  });
});
