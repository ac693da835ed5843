// Liquidation against real SQLite and PostgreSQL. GOLDEN scenarios: every figure to the µUSD, each
// derived by hand in the comment above its assertion (never by calling the code under test), and
// the ledger's health checked after every operation.
import { afterAll, beforeAll, expect, it } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { createLender, createLoan, seedIndex, VALUATION_NOW, type Lender } from "@/test/collateral-world";
import { createTestDatabase, describeEachProvider, type TestDatabase } from "@/test/databases";
import { freezeLoanCollateral } from "./freeze";
import { liquidateLoan } from "./liquidate";

const USD = 1_000_000n;
const DAY_MS = 86_400_000;

async function expectHealthy(db: Db) {
  expect((await checkLedgerHealth(db)).violations).toEqual([]);
}

/** Σ amount per transfer kind for the loan, and the cash accounts' balances. */
async function ledgerOf(db: Db, loan: { id: string; lenderOrgId: string | null; startupOrgId: string }) {
  const transfers = await db.ledgerTransfer.findMany({ where: { loanId: loan.id } });
  const byKind: Record<string, bigint> = {};
  for (const t of transfers) byKind[t.kind] = (byKind[t.kind] ?? 0n) + t.amountMicros;
  const balance = async (type: string, owner: { orgId?: string | null; loanId?: string | null }) =>
    (await db.ledgerAccount.findFirst({ where: { type, orgId: owner.orgId ?? null, loanId: owner.loanId ?? null } }))?.balanceMicros ?? 0n;
  return {
    byKind,
    receivable: await balance("LOAN_RECEIVABLE", { orgId: loan.lenderOrgId, loanId: loan.id }),
    loss: await balance("LOSS", { orgId: loan.lenderOrgId, loanId: loan.id }),
    lenderCash: await balance("LENDER_CASH", { orgId: loan.lenderOrgId }),
    startupCash: await balance("STARTUP_CASH", { orgId: loan.startupOrgId }),
  };
}

await describeEachProvider("collateral liquidation", (provider) => {
  let test: TestDatabase;

  beforeAll(async () => {
    test = await createTestDatabase(provider);
    await seedIndex(test.db);
  });
  afterAll(async () => {
    await test?.drop();
  });

  const asLender = (l: Lender) => ({ kind: "user" as const, userId: l.userId, orgId: l.orgId });
  const freezeAll = (l: Lender, loanId: string) => freezeLoanCollateral(test.db, { loanId, mode: "FULL", actor: asLender(l), reason: "default", requestedAt: new Date(), lenderOrgId: l.orgId, now: VALUATION_NOW });

  it("GOLDEN partial liquidation sells the least x restoring maintenance + 5 points (13,000 bps); x − 1 would not", async () => {
    const lender = await createLender(test.db);
    // C = 120,000 USD financed + 30,000 USD pledged = 150,000,000,000 µUSD, all frozen.
    // Interest accrues first: 10 days at APR 1,200 bps on P = 110,000,000,000:
    //   110,000,000,000 × 1,200 × 10 = 1,320,000,000,000,000; / 3,650,000 = 361,643,835 rem 2,250,000.
    //   interest = 987,654 stored + 361,643,835 = 362,631,489; D = 110,362,631,489.
    // mark = par less the 15% fee (no index at origination) = 0.85 exactly (850,000 ppm).
    // coverage before = ⌊150,000,000,000 × 850,000 / (110,362,631,489 × 100)⌋ = ⌊11,552.85…⌋ = 11,552 bps < 12,500.
    // R = maintenance + hysteresis = 12,500 + 500 = 13,000 bps.
    // DESIGN's x₀ = ⌈(R·D·10⁶ − C·m·10⁴) / (m·(R − 10⁴))⌉
    //   = ⌈(13,000 × 110,362,631,489 × 10⁶ − 150,000,000,000 × 850,000 × 10⁴) / (850,000 × 3,000)⌉
    //   = ⌈159,714,209,357,000,000,000 / 2,550,000,000⌉ = ⌈62,633,023,277.25…⌉ = 62,633,023,278.
    // But the sale raises ⌊x·m⌋, and coverage after is measured on that: (C − x)·m ≥ 100·R·(D − ⌊x·m/10⁶⌋)?
    //   x = 62,633,023,278: proceeds 53,238,069,786; 74,261,930,213,700,000 ≥ 74,261,930,213,900,000? no (12,999 bps)
    //   x = 62,633,023,279: proceeds 53,238,069,787; 74,261,930,212,850,000 ≥ 74,261,930,212,600,000? yes (13,000 bps)
    // So x = 62,633,023,279; proceeds = ⌊x × 0.85⌋ = 53,238,069,787 (x × 850,000 = 53,238,069,787,150,000);
    // platform revenue = x − proceeds = 9,394,953,492; interest paid = 362,631,489;
    // principal paid = 53,238,069,787 − 362,631,489 = 52,875,438,298; principal after = 57,124,561,702 = debt after.
    // collateral after = 150,000,000,000 − 62,633,023,279 = 87,366,976,721 (still frozen);
    // coverage after = ⌊87,366,976,721 × 850,000 / (57,124,561,702 × 100)⌋ = 13,000 bps exactly.
    const { loan, startupOrgId } = await createLoan(test.db, {
      lender,
      financedMicros: 120_000n * USD,
      pledgedMicros: 30_000n * USD,
      principalMicros: 110_000n * USD,
      interestAccruedMicros: 987_654n,
      aprBps: 1_200,
      interestAccruedThrough: new Date(VALUATION_NOW.getTime() - 10 * DAY_MS),
    });
    await freezeAll(lender, loan.id);
    await expectHealthy(test.db);
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "PARTIAL", actor: { ...asLender(lender), role: "lender" }, reason: "restore maintenance", lenderOrgId: lender.orgId, now: VALUATION_NOW });
    expect(result).toMatchObject({
      fromState: "FROZEN",
      state: "FROZEN",
      markPpm: 850_000,
      collateralBeforeMicros: 150_000_000_000n,
      frozenBeforeMicros: 150_000_000_000n,
      debtBeforeMicros: 110_362_631_489n,
      coverageBeforeBps: 11_552,
      targetBps: 13_000,
      soldMicros: 62_633_023_279n,
      soldFromFrozenMicros: 62_633_023_279n,
      frozenForSaleMicros: 0n,
      requiredMicros: 62_633_023_279n,
      isTargetRestored: true,
      returnedMicros: 0n,
      collateralAfterMicros: 87_366_976_721n,
      frozenAfterMicros: 87_366_976_721n,
      debtAfterMicros: 57_124_561_702n,
      coverageAfterBps: 13_000,
    });
    expect(result.waterfall).toEqual({
      proceedsMicros: 53_238_069_787n,
      platformRevenueMicros: 9_394_953_492n,
      interestPaidMicros: 362_631_489n,
      principalPaidMicros: 52_875_438_298n,
      surplusMicros: 0n,
      lossMicros: 0n,
      interestAccruedAfterMicros: 0n,
      principalOutstandingAfterMicros: 57_124_561_702n,
      debtAfterMicros: 57_124_561_702n,
    });
    // The exact condition, by hand, at x and x − 1: (C − x)·m ≥ 100·R·(D − ⌊x·m/10⁶⌋).
    const [C, D, m, R] = [150_000_000_000n, 110_362_631_489n, 850_000n, 13_000n];
    const restores = (x: bigint) => (C - x) * m >= 100n * R * (D - (x * m) / 1_000_000n);
    expect([restores(62_633_023_279n), restores(62_633_023_278n)]).toEqual([true, false]);
    const stored = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    // The accrual was persisted (carry 2,250,000 / 3,650,000 µUSD kept), then paid.
    expect(stored).toMatchObject({ state: "FROZEN", principalOutstandingMicros: 57_124_561_702n, interestAccruedMicros: 0n, interestCarry: 2_250_000n, lossMicros: 0n, lastCoverageBps: 13_000, closedAt: null });
    expect(stored.interestAccruedThrough?.getTime()).toBe(VALUATION_NOW.getTime());
    const ledger = await ledgerOf(test.db, stored);
    expect(ledger.byKind).toMatchObject({
      LIQUIDATE: 62_633_023_279n,
      LIQUIDATION_FEE: 9_394_953_492n,
      LIQUIDATION_INTEREST: 362_631_489n,
      LIQUIDATION_PRINCIPAL: 52_875_438_298n,
      RECEIVABLE_REPAID: 52_875_438_298n,
      // The test loan was disbursed outside approval: its 110,000,000,000 principal is put on record first.
      LOAN_DISBURSEMENT: 110_000_000_000n,
    });
    expect(ledger.byKind.LIQUIDATION_LOSS).toBeUndefined();
    // The receivable is the principal outstanding: 110,000,000,000 − 52,875,438,298 = 57,124,561,702;
    // the lender's cash holds the proceeds, 362,631,489 + 52,875,438,298 = 53,238,069,787.
    expect(ledger).toMatchObject({ receivable: 57_124_561_702n, loss: 0n, lenderCash: 53_238_069_787n, startupCash: 0n });
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ frozenMicros: 87_366_976_721n, spendableMicros: 0n });
    // Coverage is now at maintenance + 5 points: a second partial liquidation has nothing to sell.
    await expect(liquidateLoan(test.db, { loanId: loan.id, scope: "PARTIAL", actor: { ...asLender(lender), role: "lender" }, reason: "again", lenderOrgId: lender.orgId, now: VALUATION_NOW })).rejects.toMatchObject({ status: 409, code: "nothing_to_liquidate" });
    await expectHealthy(test.db);
  });

  it("GOLDEN full liquidation with a surplus: sells what pays the debt, returns the rest of the frozen credits", async () => {
    const lender = await createLender(test.db);
    // C = 80,000 USD financed + 20,000 USD pledged = 100,000,000,000, all frozen; 5,000 USD of own credits outside the loan.
    // D = 40,000,000,000 principal + 500,000 interest (APR 0) = 40,000,500,000.
    // mark = 2,000,000 / 2,400,000 × 0.85 = 17/24 exactly (708,333 ppm shown, rounded down; the sale uses 17/24).
    // Least sale paying D: ⌈D × 24 / 17⌉ = ⌈960,012,000,000 / 17⌉ = ⌈56,471,294,117.65⌉ = 56,471,294,118
    //   (56,471,294,118 × 17 / 24 = 40,000,500,000.25 → proceeds 40,000,500,000 = D;
    //    56,471,294,117 × 17 / 24 = 40,000,499,999.54 → 40,000,499,999 < D).
    // (At the floored 708,333 ppm it was ⌈D × 10⁶ / 708,333⌉ = 56,471,320,693: 26,575 µUSD of the startup's credits sold too many.)
    // revenue = 56,471,294,118 − 40,000,500,000 = 16,470,794,118; interest paid 500,000; principal paid 40,000,000,000.
    // The surplus returns to the startup as its credits, unsold: 100,000,000,000 − 56,471,294,118 = 43,528,705,882,
    // plus its own 5,000,000,000 → spendable 48,528,705,882; nothing frozen; no loss; no cash surplus.
    const { loan, startupOrgId } = await createLoan(test.db, {
      lender,
      financedMicros: 80_000n * USD,
      pledgedMicros: 20_000n * USD,
      ownMicros: 5_000n * USD,
      principalMicros: 40_000n * USD,
      interestAccruedMicros: 500_000n,
      indexAtOriginationMicros: 2_400_000n,
    });
    await freezeAll(lender, loan.id);
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "FULL", actor: { ...asLender(lender), role: "lender" }, reason: "default", lenderOrgId: lender.orgId, now: VALUATION_NOW });
    expect(result).toMatchObject({
      state: "LIQUIDATED",
      markPpm: 708_333,
      debtBeforeMicros: 40_000_500_000n,
      soldMicros: 56_471_294_118n,
      isTargetRestored: true,
      returnedMicros: 43_528_705_882n,
      frozenAfterMicros: 0n,
      debtAfterMicros: 0n,
      coverageAfterBps: null,
    });
    expect(result.waterfall).toMatchObject({ proceedsMicros: 40_000_500_000n, platformRevenueMicros: 16_470_794_118n, interestPaidMicros: 500_000n, principalPaidMicros: 40_000_000_000n, surplusMicros: 0n, lossMicros: 0n });
    const stored = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    expect(stored).toMatchObject({ state: "LIQUIDATED", principalOutstandingMicros: 0n, interestAccruedMicros: 0n, lossMicros: 0n });
    expect(stored.closedAt?.getTime()).toBe(VALUATION_NOW.getTime());
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 48_528_705_882n, frozenMicros: 0n, heldMicros: 0n });
    const ledger = await ledgerOf(test.db, stored);
    expect(ledger.byKind).toMatchObject({ LIQUIDATE: 56_471_294_118n, UNFREEZE: 43_528_705_882n, LIQUIDATION_FEE: 16_470_794_118n, LIQUIDATION_INTEREST: 500_000n, LIQUIDATION_PRINCIPAL: 40_000_000_000n, RECEIVABLE_REPAID: 40_000_000_000n });
    expect(ledger).toMatchObject({ receivable: 0n, loss: 0n, lenderCash: 40_000_500_000n, startupCash: 0n });
    // A closed loan keeps no open alert (the FROZEN one is resolved).
    expect(await test.db.alert.count({ where: { loanId: loan.id, state: { not: "RESOLVED" } } })).toBe(0);
    await expect(freezeAll(lender, loan.id)).rejects.toMatchObject({ status: 409, code: "loan_not_open" });
    await expectHealthy(test.db);
  });

  it("GOLDEN full liquidation with a shortfall records the loss", async () => {
    const lender = await createLender(test.db);
    // C = 50,000 USD financed, all frozen; D = 60,000,000,000 principal + 2,000,000 interest = 60,002,000,000; mark 850,000.
    // Paying D would need ⌈60,002,000,000 / 0.85⌉ = 70,590,588,236 > 50,000,000,000: every frozen credit is sold.
    // proceeds = 50,000,000,000 × 0.85 = 42,500,000,000; revenue = 7,500,000,000;
    // interest paid 2,000,000; principal paid 42,500,000,000 − 2,000,000 = 42,498,000,000;
    // loss = 60,002,000,000 − 42,500,000,000 = 17,502,000,000 (= 60,000,000,000 − 42,498,000,000 principal unpaid).
    const { loan, startupOrgId } = await createLoan(test.db, { lender, financedMicros: 50_000n * USD, principalMicros: 60_000n * USD, interestAccruedMicros: 2_000_000n });
    await freezeAll(lender, loan.id);
    const admin = { kind: "user" as const, userId: null, orgId: null, role: "admin" as const };
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "FULL", actor: admin, reason: "lender asked the desk", now: VALUATION_NOW });
    expect(result).toMatchObject({ state: "LIQUIDATED", soldMicros: 50_000_000_000n, requiredMicros: 70_590_588_236n, isTargetRestored: false, returnedMicros: 0n, debtAfterMicros: 0n });
    expect(result.waterfall).toMatchObject({ proceedsMicros: 42_500_000_000n, platformRevenueMicros: 7_500_000_000n, interestPaidMicros: 2_000_000n, principalPaidMicros: 42_498_000_000n, surplusMicros: 0n, lossMicros: 17_502_000_000n });
    const stored = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    expect(stored).toMatchObject({ state: "LIQUIDATED", lossMicros: 17_502_000_000n, principalOutstandingMicros: 0n, interestAccruedMicros: 0n });
    const ledger = await ledgerOf(test.db, stored);
    expect(ledger).toMatchObject({ receivable: 0n, loss: 17_502_000_000n, lenderCash: 42_500_000_000n });
    expect(ledger.byKind.LIQUIDATION_LOSS).toBe(17_502_000_000n);
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 0n, frozenMicros: 0n });
    const audit = await test.db.auditLog.findFirstOrThrow({ where: { targetId: loan.id, action: "collateral.liquidate" } });
    expect(audit).toMatchObject({ actorKind: "user", orgId: null });
    expect(JSON.parse(audit.detailJson)).toMatchObject({ lossMicros: "17502000000", soldMicros: "50000000000", reason: "lender asked the desk" });
    await expectHealthy(test.db);
  });

  it("liquidation needs a FROZEN loan of the caller's own; proceeds count toward installments", async () => {
    const lender = await createLender(test.db);
    const other = await createLender(test.db);
    const { loan } = await createLoan(test.db, { lender, financedMicros: 100n * USD, principalMicros: 80n * USD });
    const asL = { ...asLender(lender), role: "lender" as const };
    await expect(liquidateLoan(test.db, { loanId: loan.id, scope: "FULL", actor: asL, reason: "x", lenderOrgId: lender.orgId, now: VALUATION_NOW })).rejects.toMatchObject({ status: 409, code: "loan_not_frozen" });
    await test.db.installment.createMany({
      data: [
        { loanId: loan.id, seq: 1, dueDate: new Date(VALUATION_NOW.getTime() - 20 * DAY_MS), amountMicros: 30n * USD, principalMicros: 30n * USD, interestMicros: 0n, status: "OVERDUE" },
        { loanId: loan.id, seq: 2, dueDate: new Date(VALUATION_NOW.getTime() + 10 * DAY_MS), amountMicros: 50n * USD, principalMicros: 50n * USD, interestMicros: 0n, status: "DUE" },
      ],
    });
    await freezeAll(lender, loan.id);
    await expect(liquidateLoan(test.db, { loanId: loan.id, scope: "PARTIAL", actor: { ...asLender(other), role: "lender" }, reason: "x", lenderOrgId: other.orgId, now: VALUATION_NOW })).rejects.toMatchObject({ status: 404 });
    // C = 100, D = 80, m = 0.85: coverage 106.25%. x₀ = ⌈(1.3 × 80 − 100 × 0.85) / (0.85 × 0.3)⌉ USD = ⌈74.5…⌉ USD.
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "PARTIAL", actor: asL, reason: "x", lenderOrgId: lender.orgId, now: VALUATION_NOW });
    expect(result.coverageAfterBps).toBeGreaterThanOrEqual(13_000);
    const paid = result.waterfall.principalPaidMicros;
    expect(paid).toBeGreaterThan(30n * USD);
    const installments = await test.db.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } });
    expect(installments.map((i) => [i.status, i.paidMicros])).toEqual([
      ["PAID", 30n * USD],
      ["DUE", paid - 30n * USD],
    ]);
    await expectHealthy(test.db);
  });
});
