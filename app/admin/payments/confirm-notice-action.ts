"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { confirmPaymentNotice } from "@/lib/server/payments/notices";
import { adminCallerOf } from "@/lib/server/payments/shared";
import { revalidatePayments } from "./revalidate";
import { noticeIdInput } from "./schemas";

/** "Confirm" on a repayment notice: the money arrived; it is recorded interest first, then principal. A second click records nothing. */
export const confirmNoticeAction = defineAction({ permission: "payment.record", input: noticeIdInput }, async (input, viewer) => {
  const result = await confirmPaymentNotice(db, { caller: adminCallerOf(viewer), noticeId: input.noticeId });
  revalidatePayments();
  return {
    isReplay: result.isReplay,
    amountMicros: result.payment.amountMicros.toString(),
    interestMicros: result.payment.interestMicros.toString(),
    principalMicros: result.payment.principalMicros.toString(),
    debtAfterMicros: result.debtAfterMicros?.toString() ?? null,
  };
});
