"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { refuseCreditPurchase } from "@/lib/server/payments/purchases";
import { adminCallerOf } from "@/lib/server/payments/shared";
import { revalidatePayments } from "./revalidate";
import { refusePurchaseInput } from "./schemas";

/** "Refuse" on a credit purchase, with the reason the startup reads. No credits move. */
export const refusePurchaseAction = defineAction({ permission: "payment.record", input: refusePurchaseInput }, async (input, viewer) => {
  const row = await refuseCreditPurchase(db, { caller: adminCallerOf(viewer), purchaseId: input.purchaseId, reason: input.reason });
  revalidatePayments();
  return { id: row.id, status: row.status };
});
