import "@/lib/server/server-only";
import { z } from "zod";
import { isOpenLoanState } from "@/lib/domain/loans/lifecycle";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { debtAtMicros } from "@/lib/server/loans/figures";
import { recordLoanPaymentInTx, type PaymentResult } from "@/lib/server/loans/payments";
import { findCallerLoanHeadOrThrow, lockLoanRow, parseOrThrow, recomputeCoverageAfterCommit } from "@/lib/server/loans/queries";
import { recordAudit } from "@/lib/server/services/audit";
import {
  checkId,
  latestDayOnEarth,
  lockPaymentNotice,
  noticeInputSchema,
  notDecidable,
  refusalReasonSchema,
  requireRole,
  usd,
  utcDay,
  type NoticeInput,
  type PaymentsCaller,
} from "./shared";

// Repayment notices (DESIGN.md, "Financing arrangement"): the startup declares a payment it has
// sent (amount, day, reference); it is PENDING and moves nothing. An admin confirms receipt —
// which records the Payment exactly as recordLoanPayment does (interest first, then principal,
// installments, cash transfers, cure or repaid-in-full) and marks the notice CONFIRMED in the same
// transaction — or refuses it with a reason the startup reads. The startup may withdraw its own
// pending notice. Every change is audited with its before and after.

export type PaymentNoticeRow = Awaited<ReturnType<Db["paymentNotice"]["findFirstOrThrow"]>>;

export function noticeNotFound(id: string): ApiError {
  return new ApiError(404, "notice_not_found", `No payment notice ${id} here.`, "noticeId");
}

const noticeState = (notice: PaymentNoticeRow) => ({ status: notice.status, decidedById: notice.decidedById, decidedAt: notice.decidedAt, refusalReason: notice.refusalReason, paymentId: notice.paymentId });

/**
 * The startup declares a payment it sent for its own open loan. Refused (nothing written): another
 * startup's loan (not found), a loan that is not open, an amount above what the loan owes now less
 * what its other pending notices already declare, a day in the future or before the loan was
 * disbursed, a blank reference.
 */
export async function declarePaymentNotice(db: Db, input: { caller: PaymentsCaller; loanId: string; notice: NoticeInput; now?: Date }): Promise<PaymentNoticeRow> {
  const { caller } = input;
  requireRole(caller, "startup", "declare a payment it has sent");
  const { amountMicros, sentOn, reference } = parseOrThrow(noticeInputSchema, input.notice);
  const now = input.now ?? new Date();
  if (sentOn > latestDayOnEarth(now)) throw new ApiError(400, "invalid_request", `sentOn: ${sentOn} is in the future; give the day the money was sent.`, "sentOn");

  return db.$transaction(async (tx) => {
    const head = await findCallerLoanHeadOrThrow(tx, caller, input.loanId);
    // The loan's row lock serialises declarations on one loan, so pending notices never add up past the debt.
    const loan = await lockLoanRow(tx, head.id);
    if (!isOpenLoanState(loan.state) || !loan.activatedAt) {
      const why = loan.state === "SUBMITTED" ? "is not disbursed yet" : `is ${loan.state}`;
      throw new ApiError(409, "loan_not_open", `Loan ${loan.reference} ${why}: there is nothing to repay.`);
    }
    if (sentOn < utcDay(loan.activatedAt)) {
      throw new ApiError(400, "invalid_request", `sentOn: ${sentOn} is before loan ${loan.reference} was disbursed (${utcDay(loan.activatedAt)}).`, "sentOn");
    }
    const debtMicros = debtAtMicros(loan, now);
    const pending = await tx.paymentNotice.findMany({ where: { loanId: loan.id, status: "PENDING" }, select: { amountMicros: true } });
    const pendingMicros = pending.reduce((sum, row) => sum + row.amountMicros, 0n);
    const roomMicros = debtMicros - pendingMicros;
    if (amountMicros > roomMicros) {
      const already = pendingMicros > 0n ? `, and ${usd(pendingMicros)} is already declared in pending notices` : "";
      const most = roomMicros > 0n ? `declare at most ${usd(roomMicros)}` : "nothing more can be declared until those are confirmed or refused";
      throw new ApiError(422, "amount_exceeds_debt", `amountMicros: loan ${loan.reference} owes ${usd(debtMicros)} now${already}: ${most}.`, "amountMicros");
    }
    const notice = await tx.paymentNotice.create({
      data: { loanId: loan.id, startupOrgId: loan.startupOrgId, amountMicros, sentOn, reference, status: "PENDING", declaredById: caller.userId, declaredAt: now },
    });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "payment_notice.declare",
      targetType: "PaymentNotice",
      targetId: notice.id,
      detail: { loanId: loan.id, reference: loan.reference, amountMicros, sentOn, paymentReference: reference, debtMicros, before: null, after: { status: "PENDING" } },
    });
    return notice;
  });
}

/** The startup takes back its own pending notice (e.g. declared twice); nothing else changes. */
export async function withdrawPaymentNotice(db: Db, input: { caller: PaymentsCaller; noticeId: string; now?: Date }): Promise<PaymentNoticeRow> {
  const { caller } = input;
  requireRole(caller, "startup", "withdraw its payment notice");
  const id = checkId(input.noticeId, noticeNotFound);
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const owned = await tx.paymentNotice.findFirst({ where: { id, startupOrgId: caller.orgId }, select: { id: true } });
    if (!owned || !(await lockPaymentNotice(tx, id))) throw noticeNotFound(id);
    const before = await tx.paymentNotice.findUniqueOrThrow({ where: { id } });
    if (before.status !== "PENDING") throw notDecidable("notice", before);
    const after = await tx.paymentNotice.update({ where: { id }, data: { status: "WITHDRAWN", decidedById: caller.userId, decidedAt: now } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "payment_notice.withdraw",
      targetType: "PaymentNotice",
      targetId: id,
      detail: { loanId: before.loanId, amountMicros: before.amountMicros, paymentReference: before.reference, before: noticeState(before), after: noticeState(after) },
    });
    return after;
  });
}

export type ConfirmNoticeResult = {
  notice: PaymentNoticeRow;
  /** The notice was already confirmed (a second click, a retry): nothing new was written. */
  isReplay: boolean;
  payment: PaymentResult["payment"];
  loan: PaymentResult["loan"] | null;
  debtAfterMicros: bigint | null;
  releasedMicros: bigint;
};

/**
 * The admin confirms the money arrived: the declared amount is recorded as a payment on the loan
 * (recordLoanPayment's rules: interest accrued to now first, then principal) and the notice is
 * CONFIRMED with its paymentId, in one transaction. Confirming again returns the first result
 * (isReplay) and records nothing; a withdrawn or refused notice cannot be confirmed. If the loan
 * now owes less than the notice (paid meanwhile), nothing is written and the admin is told to refuse it.
 */
export async function confirmPaymentNotice(db: Db, input: { caller: PaymentsCaller; noticeId: string; now?: Date }): Promise<ConfirmNoticeResult> {
  const { caller } = input;
  requireRole(caller, "admin", "confirm a payment notice");
  const id = checkId(input.noticeId, noticeNotFound);
  const now = input.now ?? new Date();

  const result = await db.$transaction(async (tx): Promise<ConfirmNoticeResult> => {
    if (!(await lockPaymentNotice(tx, id))) throw noticeNotFound(id);
    const before = await tx.paymentNotice.findUniqueOrThrow({ where: { id } });
    if (before.status === "CONFIRMED" && before.paymentId) {
      const payment = await tx.payment.findUniqueOrThrow({ where: { id: before.paymentId } });
      return { notice: before, isReplay: true, payment, loan: null, debtAfterMicros: null, releasedMicros: 0n };
    }
    if (before.status !== "PENDING") throw notDecidable("notice", before);

    let paid: PaymentResult;
    try {
      paid = await recordLoanPaymentInTx(tx, db, { caller, loanId: before.loanId, payment: { amountMicros: before.amountMicros, idempotencyKey: `notice:${before.id}` }, now });
    } catch (error) {
      throw explainForNotice(error, before);
    }
    const after = await tx.paymentNotice.update({ where: { id }, data: { status: "CONFIRMED", decidedById: caller.userId, decidedAt: now, paymentId: paid.payment.id } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "payment_notice.confirm",
      targetType: "PaymentNotice",
      targetId: id,
      detail: {
        loanId: before.loanId,
        reference: paid.loan.reference,
        paymentReference: before.reference,
        sentOn: before.sentOn,
        paymentId: paid.payment.id,
        amountMicros: paid.payment.amountMicros,
        interestMicros: paid.payment.interestMicros,
        principalMicros: paid.payment.principalMicros,
        debtAfterMicros: paid.debtAfterMicros,
        before: noticeState(before),
        after: noticeState(after),
      },
    });
    return { notice: after, isReplay: false, payment: paid.payment, loan: paid.loan, debtAfterMicros: paid.debtAfterMicros, releasedMicros: paid.releasedMicros };
  });

  if (!result.isReplay) await recomputeCoverageAfterCommit(db, { loanId: result.notice.loanId, reason: "payment", now });
  return result;
}

/** recordLoanPayment speaks to a payer; a notice's confirmer needs to hear what to do with the notice. */
function explainForNotice(error: unknown, notice: PaymentNoticeRow): unknown {
  if (!(error instanceof ApiError)) return error;
  if (error.code === "overpayment") {
    return new ApiError(422, "notice_exceeds_debt", `The notice's ${usd(notice.amountMicros)} is more than the loan owes now (paid meanwhile?). Nothing was recorded: refuse the notice with the reason, and record the amount received with "Record payment". ${error.message.replace(/^amountMicros: /, "")}`);
  }
  if (error.code === "loan_not_open") return new ApiError(409, "loan_not_open", `${error.message} Nothing was recorded: refuse the notice with the reason.`);
  return error;
}

/** The admin refuses a notice (the money did not arrive, the wrong amount…) with a reason the startup reads; nothing moves. */
export async function refusePaymentNotice(db: Db, input: { caller: PaymentsCaller; noticeId: string; reason: string; now?: Date }): Promise<PaymentNoticeRow> {
  const { caller } = input;
  requireRole(caller, "admin", "refuse a payment notice");
  const id = checkId(input.noticeId, noticeNotFound);
  const { reason } = parseOrThrow(z.object({ reason: refusalReasonSchema }), { reason: input.reason });
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    if (!(await lockPaymentNotice(tx, id))) throw noticeNotFound(id);
    const before = await tx.paymentNotice.findUniqueOrThrow({ where: { id } });
    if (before.status !== "PENDING") throw notDecidable("notice", before);
    const after = await tx.paymentNotice.update({ where: { id }, data: { status: "REFUSED", decidedById: caller.userId, decidedAt: now, refusalReason: reason } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "payment_notice.refuse",
      targetType: "PaymentNotice",
      targetId: id,
      detail: { loanId: before.loanId, amountMicros: before.amountMicros, paymentReference: before.reference, sentOn: before.sentOn, reason, before: noticeState(before), after: noticeState(after) },
    });
    return after;
  });
}
