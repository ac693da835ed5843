"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { rejectApplication, rejectionReasonSchema } from "@/lib/server/loans/reject";
import { adminCaller, loanIdInput, revalidateApplication } from "../shared-inputs";

/** "Reject": closes the application with a reason the startup sees. The same rejection twice is answered once. */
export const rejectApplicationAction = defineAction({ permission: "application.decide", input: z.object({ loanId: loanIdInput, reason: rejectionReasonSchema }) }, async (input, viewer) => {
  const loan = await rejectApplication(db, { caller: adminCaller(viewer), loanId: input.loanId, reason: input.reason });
  revalidateApplication(input.loanId);
  return { reference: loan.reference, state: loan.state, rejectionReason: loan.rejectionReason };
});
