"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { paymentInstructionsInputSchema, setPaymentInstructions } from "@/lib/server/loans/payment-instructions";

// Permission: the Settings screen's own ("lenderToken.manage", lenders only) until a "lender.settings" one exists.

/** "Save instructions": how borrowers repay the fund; they read them on their loan page. Blank clears them. */
export const setPaymentInstructionsAction = defineAction({ permission: "lender.settings", input: paymentInstructionsInputSchema }, async (input, viewer) => {
  const result = await setPaymentInstructions(db, { lenderOrgId: viewer.orgId, actorUserId: viewer.userId, instructions: input.instructions });
  revalidatePath("/lender/settings");
  return result;
});
