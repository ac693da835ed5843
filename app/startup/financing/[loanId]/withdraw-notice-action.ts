"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { withdrawPaymentNotice } from "@/lib/server/payments/notices";
import { serializePaymentNotice } from "@/lib/server/payments/startup-queries";
import { revalidateFinancing, startupCallerOf } from "../shared";
import { noticeIdInput } from "./schemas";

/** "Withdraw" a pending payment notice (declared twice, wrong amount); nothing else changes. */
export const withdrawNoticeAction = defineAction({ permission: "loan.pay", input: noticeIdInput }, async (input, viewer) => {
  const notice = await withdrawPaymentNotice(db, { caller: startupCallerOf(viewer), noticeId: input.noticeId });
  revalidateFinancing(notice.loanId);
  return serializePaymentNotice(notice);
});
