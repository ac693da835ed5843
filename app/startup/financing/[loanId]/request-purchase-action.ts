"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { requestCreditPurchase } from "@/lib/server/payments/purchases";
import { serializeCreditPurchase } from "@/lib/server/payments/startup-queries";
import { revalidateFinancing, startupCallerOf } from "../shared";
import { purchaseInput } from "./schemas";


/** "Buy credits": a purchase request; PENDING, it adds nothing until an admin confirms the payment. */
export const requestPurchaseAction = defineAction({ permission: "credits.purchase", input: purchaseInput }, async (input, viewer) => {
  const purchase = await requestCreditPurchase(db, { caller: startupCallerOf(viewer), purchase: { amountMicros: input.amountUsd, reference: input.reference } });
  revalidateFinancing();
  return serializeCreditPurchase(purchase);
});
