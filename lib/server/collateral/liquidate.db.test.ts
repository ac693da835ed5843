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

  it("GOLDEN partial liquidation sells the least x restoring exactly maintenance; x − 1 would not", async () => {
    const lender = await createLender(test.db);
    // C = 120,000 USD financed + 30,000 USD pledged = 150,000,000,000 µUSD, all frozen.
    // Interest accrues first: 10 days at APR 1,200 bps on P = 110,000,000,000:
    //   110,000,000,000 × 1,200 × 10 = 1,320,000,000,000,000; / 3,650,000 = 361,643,835 rem 2,250,000.
    //   interest = 987,654 stored + 361,643,835 = 362,631,489; D = 110,362,631,489.
    // mark = par less the 15% fee (no index at origination) = 850,000 ppm.
    // coverage before = ⌊150,000,000,000 × 850,000 / (110,362,631,489 × 100)⌋ = ⌊11,552.85…⌋ = 11,552 bps < 12,500.
    // DESIGN's x₀ = ⌈(R·D·10⁶ − C·m·10⁴) / (m·(R − 10⁴))⌉
    //   = ⌈(12,500 × 110,362,631,489 × 10⁶ − 150,000,000,000 × 850,000 × 10⁴) / (850,000 × 2,500)⌉
    //   = ⌈104,532,893,612,500,000,000 / 2,125,000,000⌉ = ⌈49,191,949,935.29…⌉ = 49,191,949,936.
    // But the sale raises ⌊x·m⌋, and coverage after is measured on that: (C − x)·m ≥ 100·R·(D − ⌊x·m/10⁶⌋)?
    //   x = 49,191,949,936: proceeds 41,813,157,445; 85,686,842,554,400,000 ≥ 85,686,842,555,000,000? no (12,499 bps)
    //   x = 49,191,949,937: proceeds 41,813,157,446; 85,686,842,553,550,000 ≥ 85,686,842,553,750,000? no (12,499 bps)
    //   x = 49,191,949,938: proceeds 41,813,157,447; 85,686,842,552,700,000 ≥ 85,686,842,552,500,000? yes (12,500 bps)
    // So x = 49,191,949,938; proceeds = ⌊x × 0.85⌋ = 41,813,157,447 (x × 850,000 = 41,813,157,447,300,000);
    // platform revenue = x − proceeds = 7,378,792,491; interest paid = 362,631,489;
    // principal paid = 41,813,157,447 − 362,631,489 = 41,450,525,958; principal after = 68,549,474,042 = debt after.
    // collateral after = 150,000,000,000 − 49,191,949,938 = 100,808,050,062 (still frozen);
    // coverage after = ⌊100,808,050,062 × 850,000 / (68,549,474,042 × 100)⌋ = 12,500 bps exactly.
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
      soldMicros: 49_191_949_938n,
      requiredMicros: 49_191_949_938n,
      isTargetRestored: true,
      returnedMicros: 0n,
      collateralAfterMicros: 100_808_050_062n,
      frozenAfterMicros: 100_808_050_062n,
      debtAfterMicros: 68_549_474_042n,
      coverageAfterBps: 12_500,
    });
    expect(result.waterfall).toEqual({
      proceedsMicros: 41_813_157_447n,
      platformRevenueMicros: 7_378_792_491n,
      interestPaidMicros: 362_631_489n,
      principalPaidMicros: 41_450_525_958n,
      surplusMicros: 0n,
      lossMicros: 0n,
      interestAccruedAfterMicros: 0n,
      principalOutstandingAfterMicros: 68_549_474_042n,
      debtAfterMicros: 68_549_474_042n,
    });
    // The exact condition, by hand, at x and x − 1: (C − x)·m ≥ 100·R·(D − ⌊x·m/10⁶⌋).
    const [C, D, m, R] = [150_000_000_000n, 110_362_631_489n, 850_000n, 12_500n];
    const restores = (x: bigint) => (C - x) * m >= 100n * R * (D - (x * m) / 1_000_000n);
    expect([restores(49_191_949_938n), restores(49_191_949_937n)]).toEqual([true, false]);
    const stored = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    // The accrual was persisted (carry 2,250,000 / 3,650,000 µUSD kept), then paid.
    expect(stored).toMatchObject({ state: "FROZEN", principalOutstandingMicros: 68_549_474_042n, interestAccruedMicros: 0n, interestCarry: 2_250_000n, lossMicros: 0n, lastCoverageBps: 12_500, closedAt: null });
    expect(stored.interestAccruedThrough?.getTime()).toBe(VALUATION_NOW.getTime());
    const ledger = await ledgerOf(test.db, stored);
    expect(ledger.byKind).toMatchObject({
      LIQUIDATE: 49_191_949_938n,
      LIQUIDATION_FEE: 7_378_792_491n,
      LIQUIDATION_INTEREST: 362_631_489n,
      LIQUIDATION_PRINCIPAL: 41_450_525_958n,
      RECEIVABLE_REPAID: 41_450_525_958n,
      // The test loan was disbursed outside approval: its 110,000,000,000 principal is put on record first.
      LOAN_DISBURSEMENT: 110_000_000_000n,
    });
    expect(ledger.byKind.LIQUIDATION_LOSS).toBeUndefined();
    // The receivable is the principal outstanding: 110,000,000,000 − 41,450,525,958 = 68,549,474,042;
    // the lender's cash holds the proceeds, 362,631,489 + 41,450,525,958 = 41,813,157,447.
    expect(ledger).toMatchObject({ receivable: 68_549_474_042n, loss: 0n, lenderCash: 41_813_157_447n, startupCash: 0n });
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ frozenMicros: 100_808_050_062n, spendableMicros: 0n });
    // Coverage is now at maintenance: a second partial liquidation has nothing to sell.
    await expect(liquidateLoan(test.db, { loanId: loan.id, scope: "PARTIAL", actor: { ...asLender(lender), role: "lender" }, reason: "again", lenderOrgId: lender.orgId, now: VALUATION_NOW })).rejects.toMatchObject({ status: 409, code: "nothing_to_liquidate" });
    await expectHealthy(test.db);
  });

  it("GOLDEN full liquidation with a surplus: sells what pays the debt, returns the rest of the frozen credits", async () => {
    const lender = await createLender(test.db);
    // C = 80,000 USD financed + 20,000 USD pledged = 100,000,000,000, all frozen; 5,000 USD of own credits outside the loan.
    // D = 40,000,000,000 principal + 500,000 interest (APR 0) = 40,000,500,000.
    // mark = 2,000,000 / 2,400,000 × (10,000 − 1,500) × 100 = 708,333.3… → ⌊⌋ 708,333 ppm.
    // Least sale paying D: ⌈D × 10⁶ / m⌉ = ⌈40,000,500,000,000,000 / 708,333⌉ = ⌈56,471,320,692.39…⌉ = 56,471,320,693
    //   (56,471,320,693 × 708,333 = 40,000,500,000,434,769 → proceeds 40,000,500,000 = D;
    //    56,471,320,692 × 708,333 = 40,000,499,999,726,436 → 40,000,499,999 < D).
    // revenue = 56,471,320,693 − 40,000,500,000 = 16,470,820,693; interest paid 500,000; principal paid 40,000,000,000.
    // The surplus returns to the startup as its credits, unsold: 100,000,000,000 − 56,471,320,693 = 43,528,679,307,
    // plus its own 5,000,000,000 → spendable 48,528,679,307; nothing frozen; no loss; no cash surplus.
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
      soldMicros: 56_471_320_693n,
      isTargetRestored: true,
      returnedMicros: 43_528_679_307n,
      frozenAfterMicros: 0n,
      debtAfterMicros: 0n,
      coverageAfterBps: null,
    });
    expect(result.waterfall).toMatchObject({ proceedsMicros: 40_000_500_000n, platformRevenueMicros: 16_470_820_693n, interestPaidMicros: 500_000n, principalPaidMicros: 40_000_000_000n, surplusMicros: 0n, lossMicros: 0n });
    const stored = await test.db.loan.findUniqueOrThrow({ where: { id: loan.id } });
    expect(stored).toMatchObject({ state: "LIQUIDATED", principalOutstandingMicros: 0n, interestAccruedMicros: 0n, lossMicros: 0n });
    expect(stored.closedAt?.getTime()).toBe(VALUATION_NOW.getTime());
    expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ spendableMicros: 48_528_679_307n, frozenMicros: 0n, heldMicros: 0n });
    const ledger = await ledgerOf(test.db, stored);
    expect(ledger.byKind).toMatchObject({ LIQUIDATE: 56_471_320_693n, UNFREEZE: 43_528_679_307n, LIQUIDATION_FEE: 16_470_820_693n, LIQUIDATION_INTEREST: 500_000n, LIQUIDATION_PRINCIPAL: 40_000_000_000n, RECEIVABLE_REPAID: 40_000_000_000n });
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
    // C = 100, D = 80, m = 0.85: coverage 106.25%. x₀ = ⌈(1.25 × 80 − 100 × 0.85) / (0.85 × 0.25)⌉ USD = ⌈70.588…⌉ USD.
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "PARTIAL", actor: asL, reason: "x", lenderOrgId: lender.orgId, now: VALUATION_NOW });
    expect(result.coverageAfterBps).toBeGreaterThanOrEqual(12_500);
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
