"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { serializeLoan } from "@/lib/server/loans/queries";
import { withdrawApplication } from "@/lib/server/loans/withdraw";
import { revalidateFinancing, startupCallerOf } from "./shared";

const loanId = z.string({ error: "pick a loan." }).trim().min(1, "pick a loan.").max(64);

/** "Withdraw": the startup takes back its application before an admin decides (SUBMITTED → WITHDRAWN). */
export const withdrawApplicationAction = defineAction({ permission: "loan.apply", input: z.object({ loanId }) }, async (input, viewer) => {
  const loan = await withdrawApplication(db, { caller: startupCallerOf(viewer), loanId: input.loanId });
  revalidateFinancing(loan.id);
  return serializeLoan(loan);
});
