import "@/lib/server/server-only";
import { z } from "zod";
import { LOT_PRIORITY } from "@/lib/domain/ledger/lots";
import { isOpenLoanState } from "@/lib/domain/loans/lifecycle";
import { allocatePaymentToInstallments, applyPayment, debtMicros as debtOf, installmentStatuses, LoanRuleError, overdueInstallments, type PaymentApplication } from "@/lib/domain/loans/schedule";
import { MICROS_PER_USD } from "@/lib/domain/money";
import { lockLoanForCollateral, markActiveHolds, resolveAllOpenAlerts } from "@/lib/server/collateral/shared";
import type { Db, DbTx } from "@/lib/server/db/client";
import { newRowId } from "@/lib/server/db/ids";
import { providerOfDb } from "@/lib/server/db/sql-program";
import { ApiError } from "@/lib/server/http/errors";
import { postTransfers, unfreezeCreditsInTx, type TransferSpec } from "@/lib/server/ledger/ledger";
import { recordAudit } from "@/lib/server/services/audit";
import { enqueueWebhookEvent } from "@/lib/server/webhooks/enqueue";
import { ensureLoanCashAccounts, type LoanCashAccounts } from "./approve";
import { persistAccrual } from "./figures";
import { findCallerLoanHeadOrThrow, microsField, parseOrThrow, recomputeCoverageAfterCommit, transitionActorOf, usd, type LoanCaller } from "./queries";
import { transitionLoan, type LoanRow } from "./transition";

// A payment on a loan (DESIGN.md, "Financing arrangement"): cash from the startup to the lender,
// recorded against the loan's receivable. One transaction: interest accrued to now, the payment
// split interest-first, the cash transfers, the installments it settles (oldest first), the loan's
// balances and state (a cure, or repaid in full with its credits released), audit and webhook.
// Coverage is recomputed after the commit.

const MAX_PAYMENT_MICROS = 1_000_000_000n * MICROS_PER_USD;

export const paymentInputSchema = z.object({
  amountMicros: microsField({ min: 1n, max: MAX_PAYMENT_MICROS }),
  /** One per payment the payer means to make: a retry with the same key pays once. */
  idempotencyKey: z
    .string({ error: "send an idempotency key (e.g. a UUID) so a retried payment pays once." })
    .trim()
    .min(8, "use at least 8 characters (a UUID is ideal).")
    .max(100, "keep it to 100 characters.")
    .regex(/^[A-Za-z0-9._:-]+$/, "use letters, digits and . _ : - only."),
});

export type PaymentInput = z.input<typeof paymentInputSchema>;
type PaymentRow = Awaited<ReturnType<Db["payment"]["findFirstOrThrow"]>>;

export type PaymentResult = {
  payment: PaymentRow;
  loan: LoanRow;
  /** The same idempotency key was used before for this payment: nothing new was written. */
  isReplay: boolean;
  /** Debt after the payment (0 when repaid in full). */
  debtAfterMicros: bigint;
  /** Installments the payment touched, oldest first. */
  installments: { seq: number; appliedMicros: bigint; paidMicros: bigint; status: string }[];
  /** Credits released to the startup because the loan is repaid (0 otherwise). */
  releasedMicros: bigint;
};

/** The stored key is scoped to the loan: the same client key on another loan is another payment. */
function storedKey(loanId: string, idempotencyKey: string): string {
  return `${loanId}:${idempotencyKey}`;
}

function replayOf(existing: PaymentRow, amountMicros: bigint, loan: LoanRow): PaymentResult {
  if (existing.amountMicros !== amountMicros) {
    throw new ApiError(422, "idempotency_conflict", `This idempotency key was already used for a payment of ${usd(existing.amountMicros)}; send a new key for a new payment.`, "idempotencyKey");
  }
  return { payment: existing, loan, isReplay: true, debtAfterMicros: loan.principalOutstandingMicros + loan.interestAccruedMicros, installments: [], releasedMicros: 0n };
}

/** applyPayment, with the overpayment refusal turned into the figure to pay instead. */
function splitPayment(loan: LoanRow, amountMicros: bigint): PaymentApplication {
  const balance = { principalOutstandingMicros: loan.principalOutstandingMicros, interestAccruedMicros: loan.interestAccruedMicros };
  try {
    return applyPayment(balance, amountMicros);
  } catch (error) {
    if (error instanceof LoanRuleError && error.code === "OVERPAYMENT") {
      const payoff = debtOf(balance);
      throw new ApiError(
        422,
        "overpayment",
        `amountMicros: ${usd(amountMicros)} is more than loan ${loan.reference} owes. To pay it off, pay exactly ${usd(payoff)} (${payoff} µUSD: ${usd(balance.interestAccruedMicros)} interest + ${usd(balance.principalOutstandingMicros)} principal).`,
        "amountMicros",
      );
    }
    throw error;
  }
}

/**
 * The cash of a payment of a = interest i + principal p (consistent with the approval's, see
 * ensureLoanCashAccounts):
 *   CASH_EXTERNAL → STARTUP_CASH  a   the startup's money arrives from its bank
 *   STARTUP_CASH  → LENDER_CASH   i   interest to the lender
 *   STARTUP_CASH  → LENDER_CASH   p   principal to the lender
 *   LOAN_RECEIVABLE → CASH_EXTERNAL p the repaid principal leaves the lender's claim on the borrower
 * so the startup's cash nets to 0, the lender's grows by a, and the receivable stays = principal outstanding.
 */
function paymentTransfers(loan: LoanRow & { lenderOrgId: string }, cash: LoanCashAccounts, payment: PaymentRow): TransferSpec[] {
  const key = (part: string) => `payment:${payment.id}:${part}`;
  const base = { loanId: loan.id };
  const transfers: TransferSpec[] = [
    { ...base, idempotencyKey: key("in"), kind: "PAYMENT_IN", debitAccountId: cash.external.id, creditAccountId: cash.startupCash.id, amountMicros: payment.amountMicros, orgId: loan.startupOrgId, memo: `Payment on loan ${loan.reference} arrives from the startup` },
    { ...base, idempotencyKey: key("interest"), kind: "PAYMENT_INTEREST", debitAccountId: cash.startupCash.id, creditAccountId: cash.lenderCash.id, amountMicros: payment.interestMicros, orgId: loan.lenderOrgId, memo: "Pays accrued interest" },
    { ...base, idempotencyKey: key("principal"), kind: "PAYMENT_PRINCIPAL", debitAccountId: cash.startupCash.id, creditAccountId: cash.lenderCash.id, amountMicros: payment.principalMicros, orgId: loan.lenderOrgId, memo: "Pays principal" },
    { ...base, idempotencyKey: key("receivable"), kind: "RECEIVABLE_REPAID", debitAccountId: cash.receivable.id, creditAccountId: cash.external.id, amountMicros: payment.principalMicros, orgId: loan.lenderOrgId, memo: "The receivable falls by the principal repaid" },
  ];
  return transfers.filter((transfer) => transfer.amountMicros > 0n);
}

/**
 * A loan disbursed outside approveApplication (the demo world's seeded loans, an import) has no
 * cash on record, so its receivable is short of the principal outstanding and the payment's
 * RECEIVABLE_REPAID would overdraw it. Its disbursement is recorded now, under the very keys
 * approval uses (so a loan has one at most), for the principal still outstanding: from here on
 * the receivable equals the principal outstanding like any other loan's.
 */
export async function recordDisbursementIfMissing(tx: DbTx, loan: LoanRow & { lenderOrgId: string }, cash: LoanCashAccounts) {
  const shortMicros = loan.principalOutstandingMicros - cash.receivable.balanceMicros;
  if (shortMicros <= 0n) return;
  if (await tx.ledgerTransfer.findUnique({ where: { idempotencyKey: `loan:${loan.id}:disbursement` }, select: { id: true } })) return;
  const memo = `Loan ${loan.reference} was disbursed outside this ledger's records; its principal outstanding is recorded at its first payment`;
  await postTransfers(
    tx,
    [
      { idempotencyKey: `loan:${loan.id}:funding`, kind: "LOAN_FUNDING", debitAccountId: cash.external.id, creditAccountId: cash.lenderCash.id, amountMicros: shortMicros, orgId: loan.lenderOrgId, loanId: loan.id, memo },
      { idempotencyKey: `loan:${loan.id}:disbursement`, kind: "LOAN_DISBURSEMENT", debitAccountId: cash.lenderCash.id, creditAccountId: cash.receivable.id, amountMicros: shortMicros, orgId: loan.lenderOrgId, loanId: loan.id, memo },
    ],
    Object.values(cash),
  );
}

/** Oldest first, each up to its plan; statuses follow the debt after the payment (0 settles every one). */
async function settleInstallments(tx: DbTx, loan: LoanRow, amountMicros: bigint, debtAfterMicros: bigint, now: Date) {
  const installments = await tx.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } });
  if (installments.length === 0) return { touched: [], overdue: [] };
  const allocations = new Map(allocatePaymentToInstallments(installments, amountMicros).map((a) => [a.seq, a]));
  const after = installments.map((row) => ({ ...row, paidMicros: allocations.get(row.seq)?.paidMicros ?? row.paidMicros }));
  const statuses = installmentStatuses(after, now, loan.gracePeriodDays, { debtMicros: debtAfterMicros });
  const touched: PaymentResult["installments"] = [];
  for (const row of after) {
    const status = statuses.get(row.seq)!;
    const allocation = allocations.get(row.seq);
    if (allocation) touched.push({ seq: row.seq, appliedMicros: allocation.appliedMicros, paidMicros: row.paidMicros, status });
    if (!allocation && status === row.status) continue;
    await tx.installment.update({ where: { id: row.id }, data: { paidMicros: row.paidMicros, status, paidAt: status === "PAID" ? (row.paidAt ?? now) : row.paidAt } });
  }
  const overdue = overdueInstallments(after, now, loan.gracePeriodDays, { debtMicros: debtAfterMicros });
  return { touched, overdue };
}

/**
 * Repaid in full: the loan's remaining credits become the startup's own (DESIGN.md). Frozen ones
 * are unfrozen first (FROZEN → SPENDABLE, with a FreezeEvent), requests in flight stop freezing for
 * the loan, then every FINANCED / PLEDGED lot with credits left becomes a PURCHASED lot (consumption
 * priority 2, like the startup's own), keeping its loanId and lenderOrgId as provenance. Nothing
 * counts them as collateral any more (collateral is the loan's FINANCED and PLEDGED lots), the
 * startup may spend or pledge them anew, and each lot's original − remaining is still what usage
 * consumed. Balances do not move, only attribution: Σ(remaining − frozen) = spendable + held and
 * Σ frozen = frozen hold throughout.
 */
async function releaseCollateral(tx: DbTx, db: Db, input: { loan: LoanRow; caller: LoanCaller; now: Date }): Promise<{ releasedMicros: bigint; unfrozenMicros: bigint }> {
  const { loan, now } = input;
  const where = { loanId: loan.id, kind: { in: ["FINANCED", "PLEDGED"] }, remainingMicros: { gt: 0n } };
  const before = await tx.creditLot.findMany({ where, select: { remainingMicros: true, frozenMicros: true } });
  const frozen = before.reduce((sum, lot) => sum + lot.frozenMicros, 0n);
  const reason = `Loan ${loan.reference} is repaid in full: its collateral is the startup's own again.`;
  if (frozen > 0n) {
    await unfreezeCreditsInTx(tx, { orgId: loan.startupOrgId, loanId: loan.id, amountMicros: frozen, idempotencyKey: `loan:${loan.id}:repaid:unfreeze`, memo: reason });
    await tx.freezeEvent.create({
      data: { loanId: loan.id, action: "UNFREEZE", mode: "FULL", requestedMicros: frozen, amountMicros: frozen, actorUserId: input.caller.userId, actorKind: "system", reason, requestedAt: now, committedAt: now, latencyMs: 0 },
    });
  }
  // A stale mark left on a hold settling this instant is harmless: the loan has no collateral lots left to freeze into.
  await markActiveHolds(tx, { provider: providerOfDb(db), allowSkipped: true }, { orgId: loan.startupOrgId, freezeLoanId: null, onlyMarkedFor: loan.id });
  await tx.creditLot.updateMany({ where, data: { kind: "PURCHASED", priority: LOT_PRIORITY.PURCHASED } });
  return { releasedMicros: before.reduce((sum, lot) => sum + lot.remainingMicros, 0n), unfrozenMicros: frozen };
}

/**
 * A startup never records a payment on its own loan: it declares the payment it sent (a payment
 * notice), and an admin records it once the money arrived (DESIGN.md: "no click of a startup's
 * alone lowers its debt"). Checked first, before anything is read or written.
 */
function refuseStartupPayer(caller: LoanCaller): void {
  if (caller.role === "startup") throw new ApiError(403, "forbidden", "Declare the payment you sent; an admin records it once received.");
}

/**
 * Records a payment received on an open loan, by a platform admin (a wire received, or a startup's
 * notice confirmed); a startup caller is refused (403). The idempotency key makes a retried request
 * pay once: the first payment comes back (`isReplay`), and the same key with another amount is a
 * 422. Overpaying is refused with the exact payoff figure.
 */
export async function recordLoanPayment(db: Db, input: { caller: LoanCaller; loanId: string; payment: PaymentInput; now?: Date }): Promise<PaymentResult> {
  refuseStartupPayer(input.caller);
  const now = input.now ?? new Date();
  const result = await db.$transaction((tx) => recordLoanPaymentInTx(tx, db, { ...input, now }));
  if (!result.isReplay) await recomputeCoverageAfterCommit(db, { loanId: result.loan.id, reason: "payment", now });
  return result;
}

/**
 * recordLoanPayment's work inside the caller's transaction (e.g. an admin confirming a startup's
 * payment notice records the payment and marks the notice in one commit). The caller recomputes
 * coverage after its commit (recomputeCoverageAfterCommit) unless the result is a replay.
 */
export async function recordLoanPaymentInTx(tx: DbTx, db: Db, input: { caller: LoanCaller; loanId: string; payment: PaymentInput; now: Date }): Promise<PaymentResult> {
  const { caller, now } = input;
  refuseStartupPayer(caller);
  const { amountMicros, idempotencyKey } = parseOrThrow(paymentInputSchema, input.payment);
  const head = await findCallerLoanHeadOrThrow(tx, caller, input.loanId);
  const key = storedKey(head.id, idempotencyKey);
  const earlier = await tx.payment.findUnique({ where: { idempotencyKey: key } });
  if (earlier) return replayOf(earlier, amountMicros, await tx.loan.findUniqueOrThrow({ where: { id: head.id } }));

  const locked = await lockLoanForCollateral(tx, { loanId: head.id });
  // A retry that raced this one may have committed while we waited for the lock.
  const raced = await tx.payment.findUnique({ where: { idempotencyKey: key } });
  if (raced) return replayOf(raced, amountMicros, locked.loan);
  if (!isOpenLoanState(locked.loan.state) || !locked.loan.lenderOrgId) {
    const why = locked.loan.state === "SUBMITTED" ? "is not disbursed yet" : `is ${locked.loan.state}`;
    throw new ApiError(409, "loan_not_open", `Loan ${locked.loan.reference} ${why}: there is nothing to pay.`);
  }

  const loan = await persistAccrual(tx, locked.loan, now);
  const split = splitPayment(loan, amountMicros);
  const debtAfterMicros = debtOf(split.remaining);
  const payment = await tx.payment.create({
    data: { id: newRowId(), loanId: loan.id, idempotencyKey: key, amountMicros, interestMicros: split.interestPaidMicros, principalMicros: split.principalPaidMicros, paidAt: now, recordedById: caller.userId },
  });
  const lenderLoan = { ...loan, lenderOrgId: loan.lenderOrgId! };
  const cash = await ensureLoanCashAccounts(tx, lenderLoan);
  await recordDisbursementIfMissing(tx, lenderLoan, cash);
  await postTransfers(tx, paymentTransfers(lenderLoan, cash, payment), Object.values(cash));
  const { touched, overdue } = await settleInstallments(tx, loan, amountMicros, debtAfterMicros, now);

  const balances = {
    principalOutstandingMicros: split.remaining.principalOutstandingMicros,
    interestAccruedMicros: split.remaining.interestAccruedMicros,
    // A debt of 0 drops the sub-µUSD carry (schedule.ts): nothing is left to accrue on.
    ...(debtAfterMicros === 0n ? { interestCarry: 0n } : {}),
  };
  const why = `payment ${payment.id} of ${usd(amountMicros)}`;
  let updated: LoanRow;
  let releasedMicros = 0n;
  if (debtAfterMicros === 0n) {
    updated = (await transitionLoan(tx, { loan, event: { type: "repaidInFull", debtMicros: 0n }, actor: transitionActorOf(caller, "system"), now, reason: why, extra: balances })).loan;
    releasedMicros = (await releaseCollateral(tx, db, { loan: updated, caller, now })).releasedMicros;
    await resolveAllOpenAlerts(tx, updated, { coverageBps: null, now });
    await enqueueWebhookEvent(tx, { orgId: lenderLoan.lenderOrgId, type: "loan.repaid", data: { loanId: loan.id, reference: loan.reference, paymentId: payment.id, releasedMicros, closedAt: now.toISOString() } }, { now });
  } else if (loan.state === "DELINQUENT" && overdue.length === 0) {
    updated = (await transitionLoan(tx, { loan, event: { type: "paymentCured", overdue: [] }, actor: transitionActorOf(caller, "system"), now, reason: why, extra: balances })).loan;
  } else {
    updated = await tx.loan.update({ where: { id: loan.id }, data: balances });
  }

  const detail = {
    reference: loan.reference,
    paymentId: payment.id,
    amountMicros,
    interestMicros: split.interestPaidMicros,
    principalMicros: split.principalPaidMicros,
    debtAfterMicros,
    installments: touched.map((t) => ({ seq: t.seq, appliedMicros: t.appliedMicros, status: t.status })),
    releasedMicros,
  };
  await recordAudit(tx, { orgId: caller.orgId, actorUserId: caller.userId, actorKind: caller.kind ?? "user", action: "loan.payment", targetType: "Loan", targetId: loan.id, detail });
  await enqueueWebhookEvent(tx, { orgId: lenderLoan.lenderOrgId, type: "payment.received", data: { loanId: loan.id, ...detail, paidAt: now.toISOString() } }, { now });
  return { payment, loan: updated, isReplay: false, debtAfterMicros, installments: touched, releasedMicros } satisfies PaymentResult;
}
