// PAYMENT_OVERDUE: an installment unpaid past its grace period (DESIGN.md: default 5 days; the
// loan becomes DELINQUENT).

import type { AlertChanges } from "./kinds";
import { DEFAULT_GRACE_PERIOD_DAYS } from "./kinds";

const DAY_MS = 86_400_000;

export type InstallmentStatus = { seq: number; dueDate: Date; amountMicros: bigint; paidMicros: bigint };
export type OverdueInstallment = InstallmentStatus & { unpaidMicros: bigint; daysPastDue: number };

/**
 * Installments with something unpaid (paid < amount) whose grace has run out: now > due date +
 * grace days (at exactly due + grace the borrower is still within grace). `daysPastDue` counts
 * whole days since the due date. Oldest first.
 */
export function overdueInstallments(input: { installments: readonly InstallmentStatus[]; now: Date; gracePeriodDays?: number }): OverdueInstallment[] {
  const grace = input.gracePeriodDays ?? DEFAULT_GRACE_PERIOD_DAYS;
  if (!Number.isSafeInteger(grace) || grace < 0) throw new RangeError(`gracePeriodDays must be a whole number ≥ 0, got ${String(grace)}.`);
  const now = input.now.getTime();
  if (!Number.isFinite(now)) throw new RangeError("now must be a valid Date.");
  return input.installments
    .filter((installment) => installment.paidMicros < installment.amountMicros && now > installment.dueDate.getTime() + grace * DAY_MS)
    .map((installment) => ({
      ...installment,
      unpaidMicros: installment.amountMicros - installment.paidMicros,
      daysPastDue: Math.floor((now - installment.dueDate.getTime()) / DAY_MS),
    }))
    .sort((a, b) => a.dueDate.getTime() - b.dueDate.getTime() || a.seq - b.seq);
}

/** Opens PAYMENT_OVERDUE while any installment is overdue; resolves it once none is. */
export function evaluatePaymentOverdue(input: { installments: readonly InstallmentStatus[]; now: Date; gracePeriodDays?: number; isOpen: boolean }): AlertChanges {
  const isOverdue = overdueInstallments(input).length > 0;
  return { open: isOverdue && !input.isOpen ? ["PAYMENT_OVERDUE"] : [], resolve: !isOverdue && input.isOpen ? ["PAYMENT_OVERDUE"] : [] };
}
