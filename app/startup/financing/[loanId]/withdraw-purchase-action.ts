"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { withdrawCreditPurchase } from "@/lib/server/payments/purchases";
import { serializeCreditPurchase } from "@/lib/server/payments/startup-queries";
import { revalidateFinancing, startupCallerOf } from "../shared";
import { purchaseIdInput } from "./schemas";


/** "Withdraw" a pending purchase request; nothing else changes. */
export const withdrawPurchaseAction = defineAction({ permission: "credits.purchase", input: purchaseIdInput }, async (input, viewer) => {
  const purchase = await withdrawCreditPurchase(db, { caller: startupCallerOf(viewer), purchaseId: input.purchaseId });
  revalidateFinancing();
  return serializeCreditPurchase(purchase);
});
