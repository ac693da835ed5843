"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { refusePaymentNotice } from "@/lib/server/payments/notices";
import { adminCallerOf } from "@/lib/server/payments/shared";
import { revalidatePayments } from "./revalidate";
import { refuseNoticeInput } from "./schemas";

/** "Refuse" on a repayment notice, with the reason the startup reads. Nothing moves. */
export const refuseNoticeAction = defineAction({ permission: "payment.record", input: refuseNoticeInput }, async (input, viewer) => {
  const notice = await refusePaymentNotice(db, { caller: adminCallerOf(viewer), noticeId: input.noticeId, reason: input.reason });
  revalidatePayments();
  return { id: notice.id, status: notice.status };
});
