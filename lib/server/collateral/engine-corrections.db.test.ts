// GOLDEN service-level tests for the engine corrections of issue 14 (DESIGN.md, "Valuation and
// coverage", "Freeze, unfreeze, liquidation"), against real SQLite and PostgreSQL. Every figure is
// derived by hand in the comment above its assertion (the pure halves are in
// lib/domain/valuation/engine-corrections.golden.test.ts), the ledger's health checked after each
// step. Each of these failed on the code before the corrections (the figures it gave are noted).
import { afterAll, beforeAll, expect, it } from "vitest";
import { openLoanAlert } from "@/lib/server/alerts/rows";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances, reserveHold, voidHold } from "@/lib/server/ledger/ledger";
import { getLenderLoanOrThrow } from "@/lib/server/queries/lender-loans";
import { recomputeCoverage } from "@/lib/server/valuation/coverage";
import { createLender, createLoan, seedIndex, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { freezeLoanCollateral, unfreezeLoanCollateral } from "./freeze";
import { liquidateLoan } from "./liquidate";

const USD = 1_000_000n;
const HOUR_MS = 3_600_000;

async function expectHealthy(db: Db) {
  expect((await checkLedgerHealth(db)).violations).toEqual([]);
}

async function transferTotals(db: Db, loanId: string) {
  const totals: Record<string, bigint> = {};
  for (const t of await db.ledgerTransfer.findMany({ where: { loanId } })) totals[t.kind] = (totals[t.kind] ?? 0n) + t.amountMicros;
  return totals;
}

await describeEachProvider("engine corrections (golden)", (provider) => {
  let test: TestDatabase;
  let lender: Lender;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedIndex(test.db); // index now 2,000,000 µUSD/GPU-hour
    lender = await createLender(test.db);
  });
  afterAll(async () => {
    await test?.drop();
  });

  const actor = () => ({ kind: "user" as const, userId: lender.userId, orgId: lender.orgId });
  const freeze = (loanId: string, mode: "FULL" | "PROTECTIVE" | "AMOUNT", amountMicros?: bigint) =>
    freezeLoanCollateral(test.db, { loanId, mode, amountMicros, actor: actor(), reason: "golden", requestedAt: new Date(), lenderOrgId: lender.orgId, now: VALUATION_NOW });
  const liquidate = (loanId: string, scope: "FULL" | "PARTIAL") => liquidateLoan(test.db, { loanId, scope, actor: { ...actor(), role: "lender" }, reason: "golden", lenderOrgId: lender.orgId, now: VALUATION_NOW });

  // ───────────── 1. the exact mark ─────────────
  // Index at origination 3,000,000, now 2,000,000, fee 15%: mark = 2/3 × 0.85 = 17/30 (566,666 ppm floored).
  // C = 2,205,882,353, D = 1,000,000,000: C × 17/30 / D = 1.2500000000333 → 12,500 bps (at 566,666 ppm: 12,499).

  it("GOLDEN 1a: coverage at exactly maintenance under the exact mark opens no margin call (ppm-first: MARGIN_CALL at 12,499)", async () => {
    const { loan } = await createLoan(test.db, { lender, financedMicros: 2_205_882_353n, principalMicros: 1_000n * USD, indexAtOriginationMicros: 3_000_000n });
    const result = await recomputeCoverage(test.db, { loanId: loan.id, reason: "monitor", now: VALUATION_NOW });
    expect(result).toMatchObject({ state: "ACTIVE", coverageBps: 12_500, markPpm: 566_666 });
    expect(result.mark).toEqual({ numerator: 17n, denominator: 30n });
    const snapshot = await test.db.coverageSnapshot.findFirstOrThrow({ where: { loanId: loan.id } });
    expect(snapshot).toMatchObject({ coverageBps: 12_500, markPpm: 566_666 });
    expect(await test.db.alert.count({ where: { loanId: loan.id, kind: "MARGIN_CALL" } })).toBe(0);
  });

  it("GOLDEN 1b: a full liquidation at the exact mark sells ⌈D × 30/17⌉ = 1,764,705,883 (ppm-first: 1,764,707,959)", async () => {
    // 10⁹ × 30 / 17 = 1,764,705,882.35 → 1,764,705,883; proceeds ⌊1,764,705,883 × 17/30⌋ = ⌊1,000,000,000.37⌋ = D.
    // Revenue 1,764,705,883 − 1,000,000,000 = 764,705,883; unsold frozen credits back: 2,205,882,353 − 1,764,705,883 = 441,176,470.
    const { loan, startupOrgId } = await createLoan(test.db, { lender, financedMicros: 2_205_882_353n, principalMicros: 1_000n * USD, indexAtOriginationMicros: 3_000_000n });
    await freeze(loan.id, "FULL");
    const result = await liquidate(loan.id, "FULL");
    expect(result).toMatchObject({ state: "LIQUIDATED", markPpm: 566_666, soldMicros: 1_764_705_883n, returnedMicros: 441_176_470n, isTargetRestored: true });
    expect(result.waterfall).toMatchObject({ proceedsMicros: 1_000_000_000n, platformRevenueMicros: 764_705_883n, principalPaidMicros: 1_000_000_000n, lossMicros: 0n });
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 441_176_470n, frozenMicros: 0n });
    await expectHealthy(test.db);
  });

  // ───────────── 2. a full liquidation takes from all the collateral ─────────────

  it("GOLDEN 2a: $40 of $100 frozen against $80: the sale freezes and sells 54,117,648 more, pays the debt, books no loss (before: sold $40, loss $46)", async () => {
    // mark 0.85 (no origination index: par less the fee). Paying D = 80,000,000 needs ⌈80,000,000 / 0.85⌉ = 94,117,648
    // (94,117,648 × 0.85 = 80,000,000.8 → 80,000,000; 94,117,647 → 79,999,999). 40,000,000 frozen + 54,117,648 frozen now.
    // Revenue 14,117,648; the startup keeps 100,000,000 − 94,117,648 = 5,882,352 spendable.
    const { loan, startupOrgId } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 80n * USD });
    await freeze(loan.id, "AMOUNT", 40n * USD);
    const result = await liquidate(loan.id, "FULL");
    expect(result).toMatchObject({ state: "LIQUIDATED", soldMicros: 94_117_648n, soldFromFrozenMicros: 40n * USD, frozenForSaleMicros: 54_117_648n, returnedMicros: 0n, collateralAfterMicros: 5_882_352n, frozenAfterMicros: 0n, debtAfterMicros: 0n });
    expect(result.waterfall).toMatchObject({ proceedsMicros: 80n * USD, platformRevenueMicros: 14_117_648n, principalPaidMicros: 80n * USD, lossMicros: 0n });
    expect(await transferTotals(test.db, loan.id)).toMatchObject({ FREEZE: 94_117_648n, LIQUIDATE: 94_117_648n, LIQUIDATION_FEE: 14_117_648n, LIQUIDATION_PRINCIPAL: 80n * USD });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "LIQUIDATED", lossMicros: 0n, principalOutstandingMicros: 0n });
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 5_882_352n, frozenMicros: 0n });
    await expectHealthy(test.db);
  });

  it("GOLDEN 2b: a shortfall is a loss only once no collateral is left: all $50 sold, loss $19.50 (before: $20 sold, loss $45, $30 left with the startup)", async () => {
    // D = 60 USD principal + 2 USD interest; ⌈62 / 0.85⌉ = 72.94 USD > 50: everything is sold (20 frozen + 30 frozen now).
    // Proceeds 42,500,000: interest 2,000,000, principal 40,500,000; loss 62,000,000 − 42,500,000 = 19,500,000.
    const { loan, startupOrgId } = await createLoan(test.db, { lender, financedMicros: 50n * USD, principalMicros: 60n * USD, interestAccruedMicros: 2n * USD });
    await freeze(loan.id, "AMOUNT", 20n * USD);
    const result = await liquidate(loan.id, "FULL");
    expect(result).toMatchObject({ soldMicros: 50n * USD, frozenForSaleMicros: 30n * USD, collateralAfterMicros: 0n, isTargetRestored: false });
    expect(result.waterfall).toMatchObject({ proceedsMicros: 42_500_000n, interestPaidMicros: 2n * USD, principalPaidMicros: 40_500_000n, lossMicros: 19_500_000n });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "LIQUIDATED", lossMicros: 19_500_000n });
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 0n, frozenMicros: 0n });
    await expectHealthy(test.db);
  });

  it("GOLDEN 2c: while a request in flight holds collateral, a full liquidation that would book a loss is refused (409) and changes nothing", async () => {
    const { loan, startupOrgId } = await createLoan(test.db, { lender, financedMicros: 50n * USD, principalMicros: 60n * USD, interestAccruedMicros: 2n * USD });
    await freeze(loan.id, "AMOUNT", 20n * USD);
    const hold = await reserveHold(test.db, { orgId: startupOrgId, requestId: `in-flight-${loan.id}`, amountMicros: 5n * USD, now: new Date(), ttlMs: 60_000 });
    const before = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    await expect(liquidate(loan.id, "FULL")).rejects.toMatchObject({ status: 409, code: "collateral_in_flight" });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "FROZEN", version: before.version });
    expect(await transferTotals(test.db, loan.id)).not.toHaveProperty("LIQUIDATE");
    // Once the request is done, nothing is held: everything is sold and the loss booked.
    await voidHold(test.db, { holdId: hold.id, now: new Date() });
    expect(await liquidate(loan.id, "FULL")).toMatchObject({ soldMicros: 50n * USD, collateralAfterMicros: 0n, waterfall: { lossMicros: 19_500_000n } });
    await expectHealthy(test.db);
  });

  // ───────────── 3. a partial liquidation restores maintenance + hysteresis ─────────────
  // C = $100, D = $80, mark 0.85: coverage 10,625 bps. R = 12,500 + 500 = 13,000; the least sale is
  // 74,509,806 (worked in the domain golden test): proceeds 63,333,335, collateral after 25,490,194,
  // debt after 16,666,665, coverage ⌊25,490,194 × 0.85 × 10⁴ / 16,666,665⌋ = ⌊13,000.0024⌋ = 13,000.
  // (Before: it restored only 12,500 — sold 70,588,238 — and unfreezing put the loan back in MARGIN_CALL.)

  async function marginCallLoan() {
    const { loan, startupOrgId } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 80n * USD, state: "MARGIN_CALL" });
    const opened = await test.db.loan.update({ where: { id: loan.id }, data: { marginCallAt: new Date(VALUATION_NOW.getTime() - 24 * HOUR_MS), cureDeadline: new Date(VALUATION_NOW.getTime() + 48 * HOUR_MS) } });
    await test.db.$transaction((tx) => openLoanAlert(tx, { loan: opened, kind: "MARGIN_CALL", message: "margin call", coverageBps: 10_625, now: VALUATION_NOW }));
    return { loan: opened, startupOrgId };
  }

  it("GOLDEN 3a: the partial sale restores 13,000 bps, closes the margin call and resolves its alert; a full unfreeze then finds the loan ACTIVE", async () => {
    const { loan } = await marginCallLoan();
    await freeze(loan.id, "FULL");
    const result = await liquidate(loan.id, "PARTIAL");
    expect(result).toMatchObject({ state: "FROZEN", targetBps: 13_000, soldMicros: 74_509_806n, isTargetRestored: true, isMarginCallClosed: true, collateralAfterMicros: 25_490_194n, debtAfterMicros: 16_666_665n, coverageAfterBps: 13_000 });
    expect(result.waterfall).toMatchObject({ proceedsMicros: 63_333_335n, principalPaidMicros: 63_333_335n, lossMicros: 0n });
    expect(await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } })).toMatchObject({ state: "FROZEN", marginCallAt: null, cureDeadline: null, lastCoverageBps: 13_000 });
    expect(await test.db.alert.findFirstOrThrow({ where: { loanId: loan.id, kind: "MARGIN_CALL" } })).toMatchObject({ state: "RESOLVED" });
    // Coverage is at R now: another partial liquidation has nothing to sell.
    await expect(liquidate(loan.id, "PARTIAL")).rejects.toMatchObject({ status: 409, code: "nothing_to_liquidate" });
    const unfrozen = await unfreezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: actor(), reason: "cured", requestedAt: new Date(), lenderOrgId: lender.orgId, now: VALUATION_NOW });
    expect(unfrozen).toMatchObject({ state: "ACTIVE", coverageBps: 13_000 });
    await expectHealthy(test.db);
  });

  it("GOLDEN 3b: with only $30 frozen the sale takes the rest from the unfrozen collateral (44,509,806 frozen for it) instead of stopping at $30", async () => {
    // Before: capped at the $30 frozen, proceeds 25,500,000, coverage ⌊70 × 0.85 / 54.5⌋ = 10,917 bps, margin call still open.
    const { loan, startupOrgId } = await marginCallLoan();
    await freeze(loan.id, "AMOUNT", 30n * USD);
    const result = await liquidate(loan.id, "PARTIAL");
    expect(result).toMatchObject({ soldMicros: 74_509_806n, soldFromFrozenMicros: 30n * USD, frozenForSaleMicros: 44_509_806n, frozenAfterMicros: 0n, collateralAfterMicros: 25_490_194n, coverageAfterBps: 13_000, isTargetRestored: true });
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 25_490_194n, frozenMicros: 0n });
    await expectHealthy(test.db);
  });

  // ───────────── 4. the protective amount covers the debt at the end of the cure window ─────────────
  // Principal $100,000 at APR 36.5% (3,650 bps): interest 100,000,000,000 × 3,650 / 3,650,000 = 100,000,000 µUSD a day.
  // Mark 0.85 = 17/20. C = $200,000.

  it("GOLDEN 4a: no margin call open: debt_T is 3 days on (72 h cure window: 2026-03-01 → 03-04): ⌈100,300,000,000 × 1.25 / 0.85⌉ = 147,500,000,000 (before: 147,058,823,530)", async () => {
    // debt_T = 100,000,000,000 + 3 × 100,000,000 = 100,300,000,000; × 12,500 × 20 / (10⁴ × 17) = 147,500,000,000 exactly.
    // At T the frozen credits are worth 147,500,000,000 × 0.85 = 125,375,000,000 = 1.25 × debt_T: still at maintenance.
    const { loan } = await createLoan(test.db, { lender, financedMicros: 200_000n * USD, principalMicros: 100_000n * USD, aprBps: 3_650 });
    const view = await getLenderLoanOrThrow(test.db, lender.orgId, loan.id, VALUATION_NOW);
    expect(view.collateral).toMatchObject({ protectiveFreezeMicros: "147500000000", protectiveDebtMicros: "100300000000", cureWindowEndsAt: "2026-03-04T12:00:00.000Z" });
    const result = await freeze(loan.id, "PROTECTIVE");
    expect(result).toMatchObject({ requestedMicros: 147_500_000_000n, amountMicros: 147_500_000_000n, frozenMicros: 147_500_000_000n, debtMicros: 100_000n * USD });
    await expectHealthy(test.db);
  });

  it("GOLDEN 4b: an open margin call's deadline ends the window: 30 h on crosses 1 UTC midnight: ⌈100,100,000,000 × 1.25 / 0.85⌉ = 147,205,882,353", async () => {
    // 100,100,000,000 × 12,500 × 20 / 170,000 = 147,205,882,352.94 → 147,205,882,353.
    const { loan } = await createLoan(test.db, { lender, financedMicros: 200_000n * USD, principalMicros: 100_000n * USD, aprBps: 3_650, state: "MARGIN_CALL" });
    await test.db.loan.update({ where: { id: loan.id }, data: { marginCallAt: new Date(VALUATION_NOW.getTime() - 42 * HOUR_MS), cureDeadline: new Date(VALUATION_NOW.getTime() + 30 * HOUR_MS) } });
    const result = await freeze(loan.id, "PROTECTIVE");
    expect(result).toMatchObject({ requestedMicros: 147_205_882_353n, amountMicros: 147_205_882_353n });
    await expectHealthy(test.db);
  });
});
