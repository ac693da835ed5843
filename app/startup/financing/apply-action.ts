"use server";
import "@/lib/server/server-only";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { applicationInputSchema, applyForLoan } from "@/lib/server/loans/apply";
import { serializeLoan } from "@/lib/server/loans/queries";
import { revalidateFinancing, startupCallerOf } from "./shared";

/** "Apply": principal, multiplier, term, own credits to pledge and purpose; SUBMITTED until an admin decides. */
export const applyAction = defineAction({ permission: "loan.apply", input: applicationInputSchema }, async (input, viewer) => {
  const loan = await applyForLoan(db, { caller: startupCallerOf(viewer), application: input });
  revalidateFinancing(loan.id);
  return serializeLoan(loan);
});
