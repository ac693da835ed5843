// Freeze, unfreeze and liquidation racing each other (and requests in flight, and duplicate HTTP
// calls) on real SQLite and PostgreSQL. Whatever the interleaving, the end state must be one that
// some serial order produces: ledger health clean, the loan in a legal state, credits sold at most
// once, every FreezeEvent matching a ledger movement.
import { expect, it } from "vitest";
import { isLoanState } from "@/lib/domain/loans/lifecycle";
import type { Db } from "@/lib/server/db/client";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { getCreditBalances, reserveHold, settleHold } from "@/lib/server/ledger/ledger";
import { createLoan, VALUATION_NOW } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";
import { useLenderDatabase } from "@/test/lender-database";
import { startLenderApiServer } from "@/test/lender-api-server";
import { freezeLoanCollateral } from "./freeze";
import { liquidateLoan } from "./liquidate";

const USD = 1_000_000n;
const ROUNDS = 4;

async function expectConsistent(db: Db, loanId: string) {
  expect((await checkLedgerHealth(db)).violations).toEqual([]);
  const loan = await db.loan.findUniqueOrThrow({ where: { id: loanId } });
  expect(isLoanState(loan.state)).toBe(true);
  // Every credit that left the collateral went to the pool by a sale transfer, once.
  const lots = await db.creditLot.findMany({ where: { loanId } });
  const sold = (await db.ledgerTransfer.findMany({ where: { loanId, kind: "LIQUIDATE" } })).reduce((sum, t) => sum + t.amountMicros, 0n);
  const original = lots.reduce((sum, lot) => sum + lot.originalMicros, 0n);
  const remaining = lots.reduce((sum, lot) => sum + lot.remainingMicros, 0n);
  expect(original - remaining).toBe(sold);
  // The frozen lots agree with the FreezeEvents and sales: Σ freezes + frozen for a sale − Σ unfreezes − sold − returned = frozen.
  const events = await db.freezeEvent.findMany({ where: { loanId } });
  const frozenByEvents = events.reduce((sum, e) => sum + (e.action === "FREEZE" ? e.amountMicros : -e.amountMicros), 0n);
  const byLiquidation = async (kind: string) => (await db.ledgerTransfer.findMany({ where: { loanId, kind, idempotencyKey: { startsWith: "liquidation:" } } })).reduce((sum, t) => sum + t.amountMicros, 0n);
  const frozenForSale = await byLiquidation("FREEZE");
  const returned = await byLiquidation("UNFREEZE");
  const frozen = lots.reduce((sum, lot) => sum + lot.frozenMicros, 0n);
  expect(frozenByEvents + frozenForSale - sold - returned).toBe(frozen);
  return loan;
}

await describeEachProvider("collateral under concurrency", (provider) => {
  const test = useLenderDatabase(provider);

  const actor = () => ({ kind: "user" as const, userId: test.lender.userId, orgId: test.lender.orgId });
  const freeze = (loanId: string, mode: "FULL" | "AMOUNT", amountMicros?: bigint) =>
    freezeLoanCollateral(test.db, { loanId, mode, amountMicros, actor: actor(), reason: "race", requestedAt: new Date(), lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
  const liquidate = (loanId: string, scope: "FULL" | "PARTIAL") => liquidateLoan(test.db, { loanId, scope, actor: { ...actor(), role: "lender" }, reason: "race", lenderOrgId: test.lender.orgId, now: VALUATION_NOW });

  it("a freeze racing a full liquidation: whichever lands first, all the collateral is sold once (the liquidation freezes what the freeze did not); a late freeze finds a closed loan", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      // C = 100 USD, D = 90 USD (coverage 94.4%): 60 USD frozen first; the race freezes the other 40 or not.
      const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 90n * USD });
      await freeze(loan.id, "AMOUNT", 60n * USD);
      // Alternate which call is issued first.
      const issue = (): [Promise<unknown>, ReturnType<typeof liquidate>] => {
        if (round % 2) {
          const frozen = freeze(loan.id, "FULL");
          return [frozen, liquidate(loan.id, "FULL")];
        }
        const liquidated = liquidate(loan.id, "FULL");
        return [freeze(loan.id, "FULL"), liquidated];
      };
      const [freezeOutcome, liquidation] = await Promise.allSettled(issue());
      expect(liquidation.status).toBe("fulfilled");
      const sale = (liquidation as PromiseFulfilledResult<Awaited<ReturnType<typeof liquidate>>>).value;
      // 100 × 0.85 < 90 pays less than the debt: a full liquidation takes all the collateral, frozen first.
      expect(sale.soldMicros).toBe(100n * USD);
      if (freezeOutcome.status === "fulfilled") {
        expect(sale.frozenForSaleMicros).toBe(0n); // the freeze had frozen the other 40 USD
      } else {
        expect(freezeOutcome.reason).toMatchObject({ status: 409, code: "loan_not_open" });
        expect(sale.frozenForSaleMicros).toBe(40n * USD); // the liquidation froze them itself
      }
      const stored = await expectConsistent(test.db, loan.id);
      expect(stored.state).toBe("LIQUIDATED");
      expect(await test.db.ledgerTransfer.count({ where: { loanId: loan.id, kind: "LIQUIDATE" } })).toBe(1);
    }
  });

  it("two liquidations racing: one sells, the other finds nothing to sell or a closed loan", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 80n * USD });
      await freeze(loan.id, "FULL");
      const scopes: ("FULL" | "PARTIAL")[] = round % 2 ? ["FULL", "FULL"] : ["PARTIAL", "FULL"];
      const outcomes = await Promise.allSettled(scopes.map((scope) => liquidate(loan.id, scope)));
      const fulfilled = outcomes.filter((o) => o.status === "fulfilled");
      expect(fulfilled.length).toBeGreaterThanOrEqual(1);
      for (const outcome of outcomes) if (outcome.status === "rejected") expect(outcome.reason).toMatchObject({ status: 409 });
      const stored = await expectConsistent(test.db, loan.id);
      expect(stored.state).toBe("LIQUIDATED");
      if (round % 2) expect(fulfilled).toHaveLength(1);
      // Never more sold than was ever frozen.
      const sold = (await test.db.ledgerTransfer.findMany({ where: { loanId: loan.id, kind: "LIQUIDATE" } })).reduce((sum, t) => sum + t.amountMicros, 0n);
      expect(sold).toBeLessThanOrEqual(100n * USD);
    }
  });

  it("two freezes racing: amounts that fit only one after the other are serialised; a full freeze twice freezes once", async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
      const outcomes = await Promise.allSettled([freeze(loan.id, "AMOUNT", 60n * USD), freeze(loan.id, "AMOUNT", 60n * USD)]);
      expect(outcomes.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect((outcomes.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ status: 422, code: "amount_exceeds_freezable" });
      const full = await Promise.allSettled([freeze(loan.id, "FULL"), freeze(loan.id, "FULL")]);
      expect(full.map((o) => o.status).sort()).toEqual(["fulfilled", "rejected"]);
      expect((full.find((o) => o.status === "rejected") as PromiseRejectedResult).reason).toMatchObject({ status: 409, code: "nothing_to_freeze" });
      const stored = await expectConsistent(test.db, loan.id);
      expect(stored.state).toBe("FROZEN");
      expect(await getCreditBalances(test.db, startupOrgId)).toMatchObject({ frozenMicros: 100n * USD, spendableMicros: 0n });
      expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(2);
    }
  });

  it("a full freeze racing the borrower's requests: no deadlock, every credit spent or frozen", async () => {
    const { loan, startupOrgId } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    let charged = 0n;
    const request = async (i: number) => {
      try {
        const hold = await reserveHold(test.db, { orgId: startupOrgId, requestId: `race-${loan.id}-${i}`, amountMicros: 3n * USD, now: new Date(), ttlMs: 60_000 });
        await new Promise((resolve) => setTimeout(resolve, 5 + (i % 4) * 5));
        await settleHold(test.db, { holdId: hold.id, actualMicros: 1n * USD, now: new Date() });
        charged += 1n * USD;
      } catch (error) {
        expect((error as { code?: string }).code).toMatch(/CREDITS_FROZEN|INSUFFICIENT_CREDITS/);
      }
    };
    const requests = Array.from({ length: 20 }, (_, i) => request(i));
    await new Promise((resolve) => setTimeout(resolve, 10));
    const result = await freeze(loan.id, "FULL");
    await Promise.all(requests);
    const balances = await getCreditBalances(test.db, startupOrgId);
    expect(balances.heldMicros).toBe(0n);
    expect(balances.spendableMicros + balances.frozenMicros + charged).toBe(100n * USD);
    // Every credit ends up spent or frozen: a settlement claims its hold before it reads the hold's
    // freeze mark, so one that waited for the freeze sees it.
    expect(balances.spendableMicros).toBe(0n);
    // What the freeze could not take at once (held in flight) froze as those requests resolved.
    expect(balances.frozenMicros).toBeGreaterThanOrEqual(result.amountMicros);
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it("over real HTTP: concurrent freezes with distinct keys serialise, duplicates of one key freeze once", async () => {
    const server = await startLenderApiServer(test.db);
    try {
      const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
      const post = (key: string, amount: string) =>
        fetch(`${server.baseUrl}/loans/${loan.id}/freeze`, {
          method: "POST",
          headers: { authorization: `Bearer ${test.lender.token}`, "content-type": "application/json", "idempotency-key": key },
          body: JSON.stringify({ mode: "AMOUNT", amountMicros: amount, reason: "race" }),
        }).then(async (response) => ({ status: response.status, body: await response.text() }));
      // Ten freezes of 15 USD against 100 USD: six fit, four do not.
      const distinct = await Promise.all(Array.from({ length: 10 }, (_, i) => post(`k-${loan.id}-${i}`, "15000000")));
      expect(distinct.filter((r) => r.status === 201)).toHaveLength(6);
      expect(distinct.filter((r) => r.status === 422)).toHaveLength(4);
      // Five copies of one request: one freeze; the others replay it or are told it is still running.
      const copies = await Promise.all(Array.from({ length: 5 }, () => post(`dup-${loan.id}`, "5000000")));
      for (const copy of copies) expect([201, 409]).toContain(copy.status);
      const created = copies.filter((c) => c.status === 201);
      expect(new Set(created.map((c) => c.body)).size).toBe(1);
      expect(await test.db.freezeEvent.count({ where: { loanId: loan.id } })).toBe(7);
      const stored = await expectConsistent(test.db, loan.id);
      expect(stored.state).toBe("FROZEN");
      expect((await test.db.creditLot.findFirstOrThrow({ where: { loanId: loan.id } })).frozenMicros).toBe(95n * USD);
    } finally {
      await server.close();
    }
  });
});
