// A full liquidation closes the loan, and with it the schedule: on real SQLite and PostgreSQL, no
// installment of a LIQUIDATED loan is left DUE or OVERDUE. What the sale's proceeds paid is PAID;
// what they could not pay was written off as the lender's loss (WRITTEN_OFF), never "paid".
import { expect, it } from "vitest";
import { checkLedgerHealth } from "@/lib/server/ledger/health";
import { createLoan, VALUATION_NOW } from "@/test/collateral-world";
import { describeEachProvider } from "@/test/databases";
import { useLenderDatabase } from "@/test/lender-database";
import { freezeLoanCollateral } from "./freeze";
import { liquidateLoan } from "./liquidate";

const USD = 1_000_000n;
const DAY_MS = 86_400_000;

await describeEachProvider("a full liquidation closes the installments", (provider) => {
  const test = useLenderDatabase(provider);

  const actor = () => ({ kind: "user" as const, userId: test.lender.userId, orgId: test.lender.orgId, role: "lender" as const });

  /** Three installments of a 50 USD loan at 0% APR: 17 + 17 + 16 USD; the first one was due 10 days ago and is OVERDUE. */
  async function scheduleOf(loanId: string) {
    const due = (days: number) => new Date(VALUATION_NOW.getTime() + days * DAY_MS);
    await test.db.installment.createMany({
      data: [
        { loanId, seq: 1, dueDate: due(-10), amountMicros: 17n * USD, principalMicros: 17n * USD, interestMicros: 0n, status: "OVERDUE" },
        { loanId, seq: 2, dueDate: due(20), amountMicros: 17n * USD, principalMicros: 17n * USD, interestMicros: 0n, status: "DUE" },
        { loanId, seq: 3, dueDate: due(50), amountMicros: 16n * USD, principalMicros: 16n * USD, interestMicros: 0n, status: "DUE" },
      ],
    });
  }

  const installmentsOf = async (loanId: string) =>
    (await test.db.installment.findMany({ where: { loanId }, orderBy: { seq: "asc" } })).map((i) => [i.seq, i.status, i.paidMicros, i.paidAt === null ? null : i.paidAt.getTime()]);

  it("with nothing left to sell, the whole debt is the loss and every installment is WRITTEN_OFF, none DUE or OVERDUE", async () => {
    // A FROZEN loan whose collateral is gone (nothing frozen, nothing else): 50 USD owed, 0 to sell.
    const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 0n, principalMicros: 50n * USD, state: "FROZEN" });
    await scheduleOf(loan.id);
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "FULL", actor: actor(), reason: "borrower wound down", lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    expect(result).toMatchObject({ state: "LIQUIDATED", soldMicros: 0n, debtAfterMicros: 0n });
    expect(result.waterfall.lossMicros).toBe(50n * USD);
    expect(await installmentsOf(loan.id)).toEqual([
      [1, "WRITTEN_OFF", 0n, null],
      [2, "WRITTEN_OFF", 0n, null],
      [3, "WRITTEN_OFF", 0n, null],
    ]);
    expect((await checkLedgerHealth(test.db)).violations).toEqual([]);
  });

  it("proceeds pay the oldest installments (PAID); what they could not pay is WRITTEN_OFF with the loss", async () => {
    // C = 20 USD, all frozen; sold at mark 0.85: proceeds 17 USD pay installment 1 in full; the other 33 USD is the loss.
    const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 20n * USD, principalMicros: 50n * USD });
    await scheduleOf(loan.id);
    await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: actor(), reason: "default", requestedAt: VALUATION_NOW, lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "FULL", actor: actor(), reason: "default", lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    expect(result.state).toBe("LIQUIDATED");
    expect(result.waterfall).toMatchObject({ proceedsMicros: 17n * USD, principalPaidMicros: 17n * USD, lossMicros: 33n * USD });
    expect(await installmentsOf(loan.id)).toEqual([
      [1, "PAID", 17n * USD, VALUATION_NOW.getTime()],
      [2, "WRITTEN_OFF", 0n, null],
      [3, "WRITTEN_OFF", 0n, null],
    ]);
  });

  it("proceeds that pay the whole debt leave every installment PAID", async () => {
    // C = 100 USD, all frozen; the sale needs ⌈50 / 0.85⌉ = 58,823,530 µUSD: proceeds 50 USD, no loss.
    const { loan } = await createLoan(test.db, { lender: test.lender, financedMicros: 100n * USD, principalMicros: 50n * USD });
    await scheduleOf(loan.id);
    await freezeLoanCollateral(test.db, { loanId: loan.id, mode: "FULL", actor: actor(), reason: "default", requestedAt: VALUATION_NOW, lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    const result = await liquidateLoan(test.db, { loanId: loan.id, scope: "FULL", actor: actor(), reason: "default", lenderOrgId: test.lender.orgId, now: VALUATION_NOW });
    expect(result.waterfall.lossMicros).toBe(0n);
    expect((await installmentsOf(loan.id)).map(([seq, status, paid]) => [seq, status, paid])).toEqual([
      [1, "PAID", 17n * USD],
      [2, "PAID", 17n * USD],
      [3, "PAID", 16n * USD],
    ]);
  });
});
