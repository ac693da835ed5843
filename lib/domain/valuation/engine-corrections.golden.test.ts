// GOLDEN tests for the engine corrections of issue 14 (DESIGN.md, "Valuation and coverage" and
// "Freeze, unfreeze, liquidation"). Every figure was worked out by hand with exact fractions (the
// working is beside it), never read off the code under test. The service-level halves (freeze,
// liquidation and recompute against real databases) are in
// lib/server/collateral/engine-corrections.db.test.ts.

import { describe, expect, test } from "vitest";
import { coverageBps, cureAmountsMicros, markPpm } from "./coverage";
import { fullLiquidationSaleMicros, planLiquidation } from "./liquidation";
import { markRatio } from "./mark";
import { projectDaysToMarginCall, type ProjectionInput } from "./projection";
import { protectiveFreezeMicros } from "./protective-freeze";

const USD = 1_000_000n;

// ───────────────────────────── 1. the mark is an exact ratio, rounded once ─────────────────────────────

describe("golden 1: the mark is an exact ratio; flooring it to ppm first flips a threshold", () => {
  // Index at origination $3.00, now $2.00, fee 15%: mark = 2/3 × 0.85 = 17/30 = 0.56666…
  // Floored to ppm it is 566,666 (0.566666), 0.67 ppm below the truth.
  const index = { indexNowMicros: 2_000_000n, indexAtOriginationMicros: 3_000_000n, redistributionFeeBps: 1_500 };
  // C = 2,205,882,353 µUSD of credits against D = $1,000: C × 17/30 = 1,250,000,000.03… → 125.0000000033% ≥ 125%.
  // At 566,666 ppm: 2,205,882,353 × 0.566666 = 1,249,998,529.4… → 124.9998…% < 125%.
  const C = 2_205_882_353n;
  const D = 1_000n * USD;

  test("the exact mark is 17/30; its ppm floor (566,666) is only for display", () => {
    expect(markRatio(index)).toEqual({ numerator: 17n, denominator: 30n });
    expect(markPpm(index)).toBe(566_666);
  });

  test("coverage at the exact mark is 12,500 bps (at maintenance); at the floored ppm it would read 12,499", () => {
    expect(coverageBps({ collateralMicros: C, mark: markRatio(index), debtMicros: D })).toBe(12_500);
    expect(coverageBps({ collateralMicros: C, markPpm: 566_666, debtMicros: D })).toBe(12_499);
  });

  test("so the projection opens no margin call (the ppm-first code said: day 0)", () => {
    const flat: ProjectionInput = {
      now: new Date("2026-03-01T12:00:00Z"),
      collateralMicros: C,
      debtMicros: D,
      interestMicrosPerDay: 0n,
      burnMicrosPerDay: 0n,
      installments: [],
      ...index,
      indexTrendMicrosPerDay: 0n,
      maintenanceBps: 12_500,
      horizonDays: 30,
    };
    const projection = projectDaysToMarginCall(flat);
    expect(projection.daysToMarginCall).toBeNull();
    expect(projection.series[0]).toMatchObject({ markPpm: 566_666, coverageBps: 12_500 });
  });

  test("protective amount ⌈D × 1.25 × 30/17⌉ = ⌈2,205,882,352.94⌉ = 2,205,882,353 (ppm-first: 2,205,884,949, 2,596 µUSD too many)", () => {
    expect(protectiveFreezeMicros({ collateralMicros: 10n * D, debtMicros: D, maintenanceBps: 12_500, mark: markRatio(index) })).toBe(2_205_882_353n);
    expect(protectiveFreezeMicros({ collateralMicros: 10n * D, debtMicros: D, maintenanceBps: 12_500, markPpm: 566_666 })).toBe(2_205_884_949n);
  });

  test("cure to 130%: repay D − ⌊C × 17/30 / 1.3⌋ = 38,461,539; pledge ⌈1.3 × D × 30/17⌉ − C = 88,235,295", () => {
    // C × 17/30 = 1,250,000,000.0333 / 1.3 = 961,538,461.56 → 961,538,461; 10⁹ − 961,538,461 = 38,461,539.
    // 1.3 × 10⁹ × 30 / 17 = 2,294,117,647.06 → 2,294,117,648; − 2,205,882,353 = 88,235,295.
    expect(cureAmountsMicros({ collateralMicros: C, debtMicros: D, mark: markRatio(index), targetBps: 13_000 })).toEqual({ repayMicros: 38_461_539n, pledgeMicros: 88_235_295n });
  });

  test("the least sale paying $1,000 is ⌈10⁹ × 30/17⌉ = ⌈1,764,705,882.35⌉ = 1,764,705,883 (ppm-first: 1,764,707,959)", () => {
    expect(fullLiquidationSaleMicros({ debtMicros: D, mark: markRatio(index) })).toBe(1_764_705_883n);
    expect(fullLiquidationSaleMicros({ debtMicros: D, markPpm: 566_666 })).toBe(1_764_707_959n);
  });
});

// ───────────────────────────── 2. a full liquidation takes from all the collateral ─────────────────────────────

describe("golden 2: a full liquidation takes what it needs from all the loan's collateral, frozen first", () => {
  const mark = { numerator: 17n, denominator: 20n }; // 0.85: par less the 15% fee

  test("$40 frozen of $100 against $80 of debt: sells ⌈80/0.85⌉ = 94,117,648 µUSD (40,000,000 frozen + 54,117,648 frozen for the sale); no loss", () => {
    // 94,117,648 × 17/20 = 80,000,000.8 → proceeds 80,000,000 = D; 94,117,647 would raise 79,999,999.
    const plan = planLiquidation({ scope: "FULL", collateralMicros: 100n * USD, frozenMicros: 40n * USD, interestAccruedMicros: 0n, principalOutstandingMicros: 80n * USD, maintenanceBps: 12_500, mark });
    expect(plan).toMatchObject({
      requiredMicros: 94_117_648n,
      soldMicros: 94_117_648n,
      soldFromFrozenMicros: 40_000_000n,
      frozenForSaleMicros: 54_117_648n,
      returnedMicros: 0n,
      isTargetRestored: true,
      collateralAfterMicros: 5_882_352n,
      frozenAfterMicros: 0n,
      debtAfterMicros: 0n,
      coverageAfterBps: null,
      isBlockedByInFlight: false,
    });
    expect(plan.waterfall).toMatchObject({ proceedsMicros: 80n * USD, platformRevenueMicros: 14_117_648n, principalPaidMicros: 80n * USD, lossMicros: 0n });
  });

  test("$20 frozen of $50 against $2 interest + $60 principal: everything is sold, and only then is the $19.50 shortfall a loss", () => {
    // ⌈62 / 0.85⌉ = 72.94 USD > 50: all 50 sold (20 frozen + 30 frozen for the sale); proceeds 42.5;
    // interest 2, principal 40.5, loss 62 − 42.5 = 19.5 USD; nothing of the loan's collateral is left.
    const plan = planLiquidation({ scope: "FULL", collateralMicros: 50n * USD, frozenMicros: 20n * USD, interestAccruedMicros: 2n * USD, principalOutstandingMicros: 60n * USD, maintenanceBps: 12_500, mark });
    expect(plan).toMatchObject({ requiredMicros: 72_941_177n, soldMicros: 50n * USD, soldFromFrozenMicros: 20n * USD, frozenForSaleMicros: 30n * USD, isTargetRestored: false, collateralAfterMicros: 0n, isBlockedByInFlight: false });
    expect(plan.waterfall).toMatchObject({ proceedsMicros: 42_500_000n, interestPaidMicros: 2n * USD, principalPaidMicros: 40_500_000n, lossMicros: 19_500_000n });
  });

  test("the same loan with $5 of collateral held by a request in flight: no loss may be booked while collateral is left", () => {
    const plan = planLiquidation({ scope: "FULL", collateralMicros: 50n * USD, frozenMicros: 20n * USD, freezableNowMicros: 25n * USD, interestAccruedMicros: 2n * USD, principalOutstandingMicros: 60n * USD, maintenanceBps: 12_500, mark });
    expect(plan).toMatchObject({ soldMicros: 45n * USD, inFlightMicros: 5n * USD, collateralAfterMicros: 5n * USD, isBlockedByInFlight: true });
  });
});

// ───────────────────────────── 3. a partial liquidation restores maintenance + hysteresis ─────────────────────────────

describe("golden 3: a partial liquidation restores R = maintenance + 5 points, so the margin call closes", () => {
  const mark = { numerator: 17n, denominator: 20n };
  // C = $100, D = $80, m = 0.85: coverage 106.25%. R = 12,500 + 500 = 13,000.
  // DESIGN's x₀ = ⌈(1.3 × 80 − 100 × 0.85) / (0.85 × 0.3)⌉ USD = ⌈19 / 0.255⌉ = ⌈74,509,803.92⌉ = 74,509,804 µUSD.
  // The sale raises ⌊x × 17/20⌋, and coverage after is (C − x) × 17 × 10⁴ ≥ 13,000 × 20 × (D − p)?
  //   x = 74,509,804: p = 63,333,333; 25,490,196 × 170,000 = 4,333,333,320,000 < 260,000 × 16,666,667 = 4,333,333,420,000
  //   x = 74,509,805: p = 63,333,334; 4,333,333,150,000 < 4,333,333,160,000
  //   x = 74,509,806: p = 63,333,335; 4,333,332,980,000 ≥ 4,333,332,900,000 → 13,000 bps (⌊13,000.0024⌋).
  // (Restoring only maintenance, 12,500, would have sold 70,588,238 and left coverage at 12,500 < 13,000.)

  test.each([
    ["all of it frozen", 100n * USD, 74_509_806n, 0n],
    ["only $30 frozen: 44,509,806 more is frozen for the sale in the same transaction", 30n * USD, 30n * USD, 44_509_806n],
  ])("%s", (_label, frozenMicros, fromFrozen, frozenForSale) => {
    const plan = planLiquidation({ scope: "PARTIAL", collateralMicros: 100n * USD, frozenMicros, interestAccruedMicros: 0n, principalOutstandingMicros: 80n * USD, maintenanceBps: 12_500, mark });
    expect(plan).toMatchObject({
      targetBps: 13_000,
      requiredMicros: 74_509_806n,
      soldMicros: 74_509_806n,
      soldFromFrozenMicros: fromFrozen,
      frozenForSaleMicros: frozenForSale,
      isTargetRestored: true,
      collateralAfterMicros: 25_490_194n,
      debtAfterMicros: 16_666_665n,
      coverageAfterBps: 13_000,
    });
    expect(plan.waterfall).toMatchObject({ proceedsMicros: 63_333_335n, principalPaidMicros: 63_333_335n, lossMicros: 0n });
    // One µUSD less would leave 12,999 bps: 25,490,195 × 170,000 = 4,333,333,150,000 < 260,000 × 16,666,666 = 4,333,333,160,000.
    expect(coverageBps({ collateralMicros: 25_490_195n, mark, debtMicros: 16_666_666n })).toBe(12_999);
  });
});
