import "@/lib/server/server-only";
import { isOpenLoanState, OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { DAY_MS, installmentStatuses, overdueInstallments } from "@/lib/domain/loans/schedule";
import type { Db } from "@/lib/server/db/client";
import { loadLoanFigures } from "./figures";
import { lockLoanRow } from "./queries";
import { transitionLoan, type TransitionActor } from "./transition";

// The overdue sweep (DESIGN.md: "An installment unpaid past its grace period makes the loan
// DELINQUENT"), run by the monitor job. Idempotent: a second run at the same instant marks nothing
// and transitions nothing, so several instances or a retried job are harmless.

const SYSTEM: TransitionActor = { role: "system", kind: "system", orgId: null, userId: null };

export type OverdueSweep = {
  /** Open loans that had an unpaid installment due before today. */
  checkedLoans: number;
  /** Installments newly set to OVERDUE. */
  markedInstallments: number;
  /** Loans moved ACTIVE → DELINQUENT by this run. */
  delinquentLoanIds: string[];
};

/**
 * For every open loan with an installment unpaid past its grace period (daysPastDue > the loan's
 * gracePeriodDays, lib/domain/loans/schedule.ts): the installment's status becomes OVERDUE and an
 * ACTIVE loan becomes DELINQUENT (transitionLoan: audit + lender webhook). A loan in MARGIN_CALL or
 * FROZEN keeps its state (the lifecycle ranks those above delinquency) but its installments are
 * marked. One short transaction per loan, holding only the loan row.
 */
export async function markOverdueInstallments(db: Db, now: Date = new Date(), options: { loanIds?: string[] } = {}): Promise<OverdueSweep> {
  const startOfToday = new Date(Math.floor(now.getTime() / DAY_MS) * DAY_MS);
  // A candidate has an unpaid installment due before today; grace is per loan and checked below.
  const candidates = await db.loan.findMany({
    where: {
      state: { in: [...OPEN_LOAN_STATES] },
      ...(options.loanIds ? { id: { in: options.loanIds } } : {}),
      installments: { some: { status: { not: "PAID" }, dueDate: { lt: startOfToday } } },
    },
    select: { id: true },
    orderBy: { id: "asc" },
  });
  const sweep: OverdueSweep = { checkedLoans: candidates.length, markedInstallments: 0, delinquentLoanIds: [] };
  for (const candidate of candidates) {
    await db.$transaction(async (tx) => {
      const loan = await lockLoanRow(tx, candidate.id);
      if (!isOpenLoanState(loan.state)) return;
      const figures = await loadLoanFigures(tx, loan, now, { indexNowMicros: null });
      const installments = await tx.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } });
      const overdue = overdueInstallments(installments, now, loan.gracePeriodDays, { debtMicros: figures.debtMicros });
      if (overdue.length === 0) return;
      const statuses = installmentStatuses(installments, now, loan.gracePeriodDays, { debtMicros: figures.debtMicros });
      for (const installment of installments) {
        if (statuses.get(installment.seq) === "OVERDUE" && installment.status !== "OVERDUE") {
          await tx.installment.update({ where: { id: installment.id }, data: { status: "OVERDUE" } });
          sweep.markedInstallments++;
        }
      }
      if (loan.state === "ACTIVE") {
        const refs = overdue.map((o) => ({ seq: o.seq, daysPastDue: o.daysPastDue }));
        const reason = `Installment ${overdue.map((o) => `#${o.seq} (${o.daysPastDue} days past due)`).join(", ")} unpaid past the ${loan.gracePeriodDays}-day grace period.`;
        await transitionLoan(tx, { loan, event: { type: "installmentOverdue", overdue: refs }, actor: SYSTEM, now, reason });
        sweep.delinquentLoanIds.push(loan.id);
      }
    });
  }
  return sweep;
}
