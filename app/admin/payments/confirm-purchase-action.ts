"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { confirmCreditPurchase } from "@/lib/server/payments/purchases";
import { adminCallerOf } from "@/lib/server/payments/shared";
import { revalidatePayments } from "./revalidate";
import { purchaseIdInput } from "./schemas";

/** "Confirm" on a credit purchase: the money arrived; the credits are issued as a PURCHASED lot. A second click issues nothing. */
export const confirmPurchaseAction = defineAction({ permission: "payment.record", input: purchaseIdInput }, async (input, viewer) => {
  const result = await confirmCreditPurchase(db, { caller: adminCallerOf(viewer), purchaseId: input.purchaseId });
  revalidatePayments();
  return { isReplay: result.isReplay, amountMicros: result.purchase.amountMicros.toString(), spendableAfterMicros: result.spendableAfterMicros?.toString() ?? null };
});
