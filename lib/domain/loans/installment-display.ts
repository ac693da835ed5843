// What an installment's status means to a lender reading the schedule. The stored status (DUE,
// PAID, OVERDUE, WRITTEN_OFF) is written as payments, the overdue sweep and liquidations run; once a loan is closed, what it
// did not pay is no longer due — a liquidation's proceeds (or a loss) settled the debt, a repaid
// loan owes nothing — so no installment of a closed loan reads as due.

import { isTerminalLoanState } from "./lifecycle";

export type InstallmentDisplay = {
  kind: "paid" | "due" | "past_due" | "overdue" | "closed";
  label: string;
};

export function installmentDisplay(
  installment: { status: string; amountMicros: bigint; paidMicros: bigint; dueDate: Date },
  loan: { state: string; gracePeriodDays?: number },
  now: Date,
): InstallmentDisplay {
  if (installment.paidMicros >= installment.amountMicros || installment.status === "PAID") return { kind: "paid", label: "Paid" };
  const part = installment.paidMicros > 0n ? ", part paid" : "";
  if (installment.status === "WRITTEN_OFF") return { kind: "closed", label: `Written off${part}` };
  if (isTerminalLoanState(loan.state)) {
    const why = loan.state === "LIQUIDATED" ? "loan liquidated" : loan.state === "REPAID" ? "loan repaid" : "loan closed";
    return { kind: "closed", label: `Not due (${why}${part})` };
  }
  if (installment.status === "OVERDUE") return { kind: "overdue", label: `Overdue${part}` };
  const dueMs = installment.dueDate.getTime();
  if (dueMs <= now.getTime()) {
    const isInGrace = loan.gracePeriodDays !== undefined && now.getTime() < dueMs + loan.gracePeriodDays * 86_400_000;
    return { kind: "past_due", label: `Past due${isInGrace ? ", in grace period" : ""}${part}` };
  }
  return { kind: "due", label: `Due${part}` };
}
