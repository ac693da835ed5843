"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { declarePaymentNotice } from "@/lib/server/payments/notices";
import { serializePaymentNotice } from "@/lib/server/payments/startup-queries";
import { revalidateFinancing, startupCallerOf } from "../shared";
import { declarePaymentInput } from "./schemas";

/** "Declare payment": a payment the startup sent; PENDING, it moves nothing until an admin confirms receipt. */
export const declarePaymentAction = defineAction({ permission: "loan.pay", input: declarePaymentInput }, async (input, viewer) => {
  const notice = await declarePaymentNotice(db, { caller: startupCallerOf(viewer), loanId: input.loanId, notice: { amountMicros: input.amountUsd, sentOn: input.sentOn, reference: input.reference } });
  revalidateFinancing(notice.loanId);
  return serializePaymentNotice(notice);
});
