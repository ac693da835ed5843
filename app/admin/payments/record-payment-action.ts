"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { recordReceivedPayment } from "@/lib/server/payments/record-received";
import { adminCallerOf } from "@/lib/server/payments/shared";
import { revalidatePayments } from "./revalidate";
import { recordPaymentInput } from "./schemas";

/** "Record payment": a wire received for a loan without a notice, applied interest first, then principal. */
export const recordPaymentAction = defineAction({ permission: "payment.record", input: recordPaymentInput }, async (input, viewer) => {
  const result = await recordReceivedPayment(db, {
    caller: adminCallerOf(viewer),
    loanId: input.loanId,
    received: { amountMicros: input.amountUsd, reference: input.reference, idempotencyKey: input.idempotencyKey },
  });
  revalidatePayments();
  return {
    isReplay: result.isReplay,
    amountMicros: result.payment.amountMicros.toString(),
    interestMicros: result.payment.interestMicros.toString(),
    principalMicros: result.payment.principalMicros.toString(),
    debtAfterMicros: result.debtAfterMicros.toString(),
  };
});
