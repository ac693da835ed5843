"use server";
import "@/lib/server/server-only";
import { z } from "zod";
import { approvalTermsSchema } from "@/lib/domain/loans/approval-terms";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { approveApplication } from "@/lib/server/loans/approve";
import { adminCaller, loanIdInput, revalidateApplication } from "../shared-inputs";

/**
 * "Approve": disburses the application with the terms (or, above the four-eyes threshold, records
 * the first of two approvals). `requestKey` is the form's own key for this submission: the same
 * request twice (a double click) is answered once, as it was.
 */
export const approveApplicationAction = defineAction(
  { permission: "application.decide", input: z.object({ loanId: loanIdInput, terms: approvalTermsSchema, requestKey: z.string().trim().min(1).max(100) }) },
  async (input, viewer) => {
    const result = await approveApplication(db, { caller: adminCaller(viewer), loanId: input.loanId, terms: input.terms, requestKey: input.requestKey });
    revalidateApplication(input.loanId);
    return {
      reference: result.loan.reference,
      state: result.loan.state,
      isReplay: result.isReplay,
      awaitingSecondApproval: result.awaitingSecondApproval,
      financedMicros: result.disbursement?.financedMicros.toString() ?? null,
      initialCoverageBps: result.disbursement?.initialCoverageBps ?? null,
    };
  },
);
