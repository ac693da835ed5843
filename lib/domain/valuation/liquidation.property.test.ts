import fc from "fast-check";
import { describe, expect, test } from "vitest";
import { ceilDiv } from "../money";
import { coverageBps } from "./coverage";
import { liquidationWaterfall, planLiquidation, planPartialLiquidation, saleProceedsMicros } from "./liquidation";
import type { MarkRatio } from "./mark";

// Coverage after selling x: collateral C − x, debt D − ⌊x·m⌋ (never below 0; ∞ coverage then).
function coverageAfterSale(collateral: bigint, debt: bigint, mark: number, sold: bigint): number {
  const proceeds = saleProceedsMicros(sold, mark);
  const debtAfter = debt > proceeds ? debt - proceeds : 0n;
  return coverageBps({ collateralMicros: collateral - sold, markPpm: mark, debtMicros: debtAfter }) ?? Number.POSITIVE_INFINITY;
}

const loanArb = fc
  .record({
    collateral: fc.bigInt({ min: 1n, max: 10n ** 12n }),
    // coverage before roughly 50%–200%, where partial liquidations live
    coverageShareBps: fc.integer({ min: 5_000, max: 20_000 }),
    mark: fc.integer({ min: 1, max: 1_000_000 }),
    target: fc.oneof(fc.constant(12_500), fc.integer({ min: 10_001, max: 20_000 })),
    frozenShareBps: fc.oneof(fc.constant(10_000), fc.integer({ min: 0, max: 10_000 })),
  })
  .map(({ collateral, coverageShareBps, mark, target, frozenShareBps }) => {
    const value = (collateral * BigInt(mark)) / 1_000_000n;
    const debt = (value * 10_000n) / BigInt(coverageShareBps) + 1n;
    return { collateral, debt, mark, target, frozen: (collateral * BigInt(frozenShareBps)) / 10_000n };
  });

describe("planPartialLiquidation (property)", () => {
  test("sells the least x whose post-sale coverage is ≥ R: x − 1 falls short, and x is never below the DESIGN formula", () => {
    fc.assert(
      fc.property(loanArb, ({ collateral, debt, mark, target, frozen }) => {
        const plan = planPartialLiquidation({ collateralMicros: collateral, debtMicros: debt, markPpm: mark, targetBps: target, sellableMicros: frozen });
        expect(plan.sellMicros <= frozen).toBe(true);
        expect(plan.sellMicros >= 0n).toBe(true);
        if (plan.requiredMicros !== null) {
          const x = plan.requiredMicros;
          expect(x <= collateral).toBe(true);
          expect(coverageAfterSale(collateral, debt, mark, x)).toBeGreaterThanOrEqual(target);
          if (x > 0n) {
            expect(coverageAfterSale(collateral, debt, mark, x - 1n)).toBeLessThan(target);
            // ⌈(R·D·10⁶ − C·m·10⁴) / (m·(R − 10⁴))⌉ is a lower bound; the round-down of the proceeds adds at most a few µUSD.
            const formula = ceilDiv(BigInt(target) * debt * 1_000_000n - collateral * BigInt(mark) * 10_000n, BigInt(mark) * BigInt(target - 10_000));
            expect(x >= formula).toBe(true);
          }
          expect(plan.isTargetRestored).toBe(x <= frozen);
        } else {
          expect(plan.isTargetRestored).toBe(false);
          // No sale of any size works: check the extremes (nothing, everything).
          expect(coverageAfterSale(collateral, debt, mark, 0n)).toBeLessThan(target);
          expect(coverageAfterSale(collateral, debt, mark, collateral)).toBeLessThan(target);
        }
        if (!plan.isTargetRestored) expect(coverageAfterSale(collateral, debt, mark, plan.sellMicros)).toBeLessThan(target);
      }),
      { numRuns: 3_000, seed: 23 },
    );
  });

  test("on small loans, agrees with a brute-force search over every sale size", () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 400n }), fc.bigInt({ min: 1n, max: 400n }), fc.integer({ min: 1, max: 1_000_000 }), fc.integer({ min: 10_001, max: 16_000 }), (collateral, debt, mark, target) => {
        let least: bigint | null = null;
        for (let x = 0n; x <= collateral; x++) {
          if (coverageAfterSale(collateral, debt, mark, x) >= target) {
            least = x;
            break;
          }
        }
        const plan = planPartialLiquidation({ collateralMicros: collateral, debtMicros: debt, markPpm: mark, targetBps: target });
        expect(plan.requiredMicros).toBe(least);
      }),
      { numRuns: 2_000, seed: 29 },
    );
  });
});

describe("planPartialLiquidation at an exact (non-ppm) mark (property)", () => {
  test("on small loans, agrees with a brute-force search over every sale size at marks like 17/30", () => {
    const markArb = fc.record({ numerator: fc.bigInt({ min: 1n, max: 97n }), denominator: fc.bigInt({ min: 97n, max: 199n }) }) as fc.Arbitrary<MarkRatio>;
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 400n }), fc.bigInt({ min: 1n, max: 400n }), markArb, fc.integer({ min: 10_001, max: 16_000 }), (collateral, debt, mark, target) => {
        const after = (x: bigint) => {
          const proceeds = saleProceedsMicros(x, mark);
          return coverageBps({ collateralMicros: collateral - x, mark, debtMicros: debt > proceeds ? debt - proceeds : 0n }) ?? Number.POSITIVE_INFINITY;
        };
        let least: bigint | null = null;
        for (let x = 0n; x <= collateral; x++) {
          if (after(x) >= target) {
            least = x;
            break;
          }
        }
        expect(planPartialLiquidation({ collateralMicros: collateral, debtMicros: debt, mark, targetBps: target }).requiredMicros).toBe(least);
      }),
      { numRuns: 2_000, seed: 37 },
    );
  });
});

describe("planLiquidation takes frozen credits first, never more than can be sold, and books a loss only with nothing left (property)", () => {
  test("sold = from frozen + frozen for the sale ≤ frozen + freezable now; FULL returns the unneeded frozen credits; a loss leaves no collateral unless blocked", () => {
    const micros = fc.bigInt({ min: 0n, max: 10n ** 9n });
    fc.assert(
      fc.property(micros, micros, micros, micros, micros, fc.integer({ min: 0, max: 1_000_000 }), fc.constantFrom("FULL" as const, "PARTIAL" as const), (a, b, c, interest, principal, markPpm, scope) => {
        const collateral = a + b + c; // frozen a, freezable now b, held in flight c
        const plan = planLiquidation({ scope, collateralMicros: collateral, frozenMicros: a, freezableNowMicros: b, interestAccruedMicros: interest, principalOutstandingMicros: principal, maintenanceBps: 12_500, markPpm });
        expect(plan.soldFromFrozenMicros + plan.frozenForSaleMicros).toBe(plan.soldMicros);
        expect(plan.soldMicros <= a + b).toBe(true);
        if (plan.frozenForSaleMicros > 0n) expect(plan.soldFromFrozenMicros).toBe(a); // frozen first
        expect(plan.collateralAfterMicros).toBe(collateral - plan.soldMicros);
        expect(plan.inFlightMicros).toBe(c);
        if (scope === "FULL") {
          expect(plan.frozenAfterMicros).toBe(0n);
          expect(plan.returnedMicros).toBe(a - plan.soldFromFrozenMicros);
          if (plan.waterfall.lossMicros > 0n) {
            expect(plan.soldMicros).toBe(a + b); // everything that can be sold is
            expect(plan.isBlockedByInFlight).toBe(c > 0n); // and the loss waits while anything is left
          }
        } else {
          expect(plan.waterfall.lossMicros).toBe(0n);
          expect(plan.frozenAfterMicros).toBe(a - plan.soldFromFrozenMicros);
          if (plan.isTargetRestored) expect(plan.coverageAfterBps ?? Number.POSITIVE_INFINITY).toBeGreaterThanOrEqual(13_000);
        }
      }),
      { numRuns: 1_000, seed: 41 },
    );
  });
});

describe("liquidationWaterfall conserves money (property)", () => {
  test("proceeds + revenue = sold; interest + principal paid + surplus = proceeds; paid + loss + debt after = debt before", () => {
    const micros = fc.bigInt({ min: 0n, max: 10n ** 12n });
    fc.assert(
      fc.property(micros, fc.integer({ min: 0, max: 1_000_000 }), micros, micros, fc.constantFrom("FULL" as const, "PARTIAL" as const), (sold, mark, interest, principal, kind) => {
        const w = liquidationWaterfall({ soldMicros: sold, markPpm: mark, interestAccruedMicros: interest, principalOutstandingMicros: principal, kind });
        expect(w.proceedsMicros + w.platformRevenueMicros).toBe(sold);
        expect(w.interestPaidMicros + w.principalPaidMicros + w.surplusMicros).toBe(w.proceedsMicros);
        expect(w.interestPaidMicros + w.principalPaidMicros + w.lossMicros + w.debtAfterMicros).toBe(interest + principal);
        expect(w.debtAfterMicros).toBe(w.interestAccruedAfterMicros + w.principalOutstandingAfterMicros);
        // Interest first: principal is only paid once interest is cleared; a surplus only once both are.
        if (w.principalPaidMicros > 0n) expect(w.interestPaidMicros).toBe(interest);
        if (w.surplusMicros > 0n) expect(w.lossMicros + w.debtAfterMicros).toBe(0n);
        if (kind === "PARTIAL") expect(w.lossMicros).toBe(0n);
        else expect(w.debtAfterMicros).toBe(0n);
        for (const value of Object.values(w)) expect(value >= 0n).toBe(true);
      }),
      { numRuns: 1_000, seed: 31 },
    );
  });
});
