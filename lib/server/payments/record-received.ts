import "@/lib/server/server-only";
import { z } from "zod";
import type { Db } from "@/lib/server/db/client";
import { recordLoanPaymentInTx, paymentInputSchema, type PaymentResult } from "@/lib/server/loans/payments";
import { parseOrThrow, recomputeCoverageAfterCommit } from "@/lib/server/loans/queries";
import { recordAudit } from "@/lib/server/services/audit";
import type { PaymentNoticeRow } from "./notices";
import { paymentReferenceSchema, requireRole, utcDay, type PaymentsCaller } from "./shared";

// An admin records a payment that arrived without a notice (a wire the startup never declared).
// The payment goes through recordLoanPayment's rules (interest first, then principal) and, in the
// same transaction, a CONFIRMED notice keeps its wire reference, so the history of repayments on
// the admin's screen and the startup's is one list. The client's idempotency key (one per dialog
// opened) makes a double submit record one payment.

export const receivedPaymentInputSchema = z.object({
  amountMicros: paymentInputSchema.shape.amountMicros,
  reference: paymentReferenceSchema,
  idempotencyKey: paymentInputSchema.shape.idempotencyKey,
});
export type ReceivedPaymentInput = z.input<typeof receivedPaymentInputSchema>;

export type RecordReceivedResult = { notice: PaymentNoticeRow; isReplay: boolean; payment: PaymentResult["payment"]; debtAfterMicros: bigint };

export async function recordReceivedPayment(db: Db, input: { caller: PaymentsCaller; loanId: string; received: ReceivedPaymentInput; now?: Date }): Promise<RecordReceivedResult> {
  const { caller } = input;
  requireRole(caller, "admin", "record a payment received");
  const { amountMicros, reference, idempotencyKey } = parseOrThrow(receivedPaymentInputSchema, input.received);
  const now = input.now ?? new Date();

  const result = await db.$transaction(async (tx): Promise<RecordReceivedResult> => {
    const paid = await recordLoanPaymentInTx(tx, db, { caller, loanId: input.loanId, payment: { amountMicros, idempotencyKey: `wire:${idempotencyKey}` }, now });
    if (paid.isReplay) {
      const notice = await tx.paymentNotice.findUniqueOrThrow({ where: { paymentId: paid.payment.id } });
      return { notice, isReplay: true, payment: paid.payment, debtAfterMicros: paid.debtAfterMicros };
    }
    const notice = await tx.paymentNotice.create({
      data: {
        loanId: paid.loan.id,
        startupOrgId: paid.loan.startupOrgId,
        amountMicros,
        sentOn: utcDay(now),
        reference,
        status: "CONFIRMED",
        declaredById: caller.userId,
        declaredAt: now,
        decidedById: caller.userId,
        decidedAt: now,
        paymentId: paid.payment.id,
      },
    });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "payment.record",
      targetType: "PaymentNotice",
      targetId: notice.id,
      detail: {
        loanId: paid.loan.id,
        reference: paid.loan.reference,
        paymentReference: reference,
        paymentId: paid.payment.id,
        amountMicros,
        interestMicros: paid.payment.interestMicros,
        principalMicros: paid.payment.principalMicros,
        debtAfterMicros: paid.debtAfterMicros,
        before: null,
        after: { status: "CONFIRMED", paymentId: paid.payment.id },
      },
    });
    return { notice, isReplay: false, payment: paid.payment, debtAfterMicros: paid.debtAfterMicros };
  });

  if (!result.isReplay) await recomputeCoverageAfterCommit(db, { loanId: result.notice.loanId, reason: "payment", now });
  return result;
}
