"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Viewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { applicationInputSchema, applyForLoan as apply } from "@/lib/server/loans/apply";
import { approvalTermsSchema, approveApplication as approve } from "@/lib/server/loans/approve";
import { paymentInputSchema, recordLoanPayment } from "@/lib/server/loans/payments";
import { pledgeInputSchema, pledgeMoreCredits as pledge } from "@/lib/server/loans/pledge";
import { serializeLoan, serializePayment, type LoanCaller } from "@/lib/server/loans/queries";
import { rejectApplication as reject, rejectionReasonSchema } from "@/lib/server/loans/reject";
import { withdrawApplication as withdraw } from "@/lib/server/loans/withdraw";

// The financing workflow from the startup's and the admin's screens. Each action names its
// permission first (defineAction checks session and permission inside), parses its input with the
// service's own zod schema, and calls one service that scopes the loan by the viewer's
// organisation: another startup's loan is "not found". Money leaves as strings of µUSD.

const loanId = z.string({ error: "pick a loan." }).trim().min(1, "pick a loan.").max(64);

function callerOf(viewer: Viewer): LoanCaller {
  return { role: viewer.role === "admin" ? "admin" : "startup", userId: viewer.userId, orgId: viewer.orgId, kind: "user" };
}

function revalidateLoan(id: string) {
  revalidatePath("/startup");
  revalidatePath(`/startup/loans/${id}`);
  revalidatePath("/admin");
  revalidatePath("/lender");
}

export const applyForLoan = defineAction({ permission: "loan.apply", input: applicationInputSchema }, async (input, viewer) => {
  const loan = await apply(db, { caller: callerOf(viewer), application: input });
  revalidateLoan(loan.id);
  return serializeLoan(loan);
});

export const withdrawApplication = defineAction({ permission: "loan.apply", input: z.object({ loanId }) }, async (input, viewer) => {
  const loan = await withdraw(db, { caller: callerOf(viewer), loanId: input.loanId });
  revalidateLoan(loan.id);
  return serializeLoan(loan);
});

export const approveApplication = defineAction({ permission: "application.decide", input: z.object({ loanId, terms: approvalTermsSchema }) }, async (input, viewer) => {
  const result = await approve(db, { caller: callerOf(viewer), loanId: input.loanId, terms: input.terms });
  revalidateLoan(result.loan.id);
  const d = result.disbursement;
  return {
    loan: serializeLoan(result.loan),
    isReplay: result.isReplay,
    disbursement: d && {
      financedMicros: d.financedMicros.toString(),
      pledgedMicros: d.pledgedMicros.toString(),
      indexAtOriginationMicros: d.indexAtOriginationMicros.toString(),
      markPpm: d.markPpm,
      initialCoverageBps: d.initialCoverageBps,
      installmentCount: d.installmentCount,
      firstDueDate: d.firstDueDate.toISOString().slice(0, 10),
      levelPaymentMicros: d.levelPaymentMicros.toString(),
    },
  };
});

export const rejectApplication = defineAction({ permission: "application.decide", input: z.object({ loanId, reason: rejectionReasonSchema }) }, async (input, viewer) => {
  const loan = await reject(db, { caller: callerOf(viewer), loanId: input.loanId, reason: input.reason });
  revalidateLoan(loan.id);
  return serializeLoan(loan);
});

const paymentInput = paymentInputSchema.extend({ loanId });

async function pay(input: z.infer<typeof paymentInput>, viewer: Viewer) {
  const result = await recordLoanPayment(db, { caller: callerOf(viewer), loanId: input.loanId, payment: { amountMicros: input.amountMicros, idempotencyKey: input.idempotencyKey } });
  revalidateLoan(result.loan.id);
  return {
    payment: serializePayment(result.payment),
    loan: serializeLoan(result.loan),
    isReplay: result.isReplay,
    debtAfterMicros: result.debtAfterMicros.toString(),
    installments: result.installments.map((i) => ({ seq: i.seq, appliedMicros: i.appliedMicros.toString(), paidMicros: i.paidMicros.toString(), status: i.status })),
    releasedMicros: result.releasedMicros.toString(),
  };
}

/** The startup pays its own loan. */
export const recordPayment = defineAction({ permission: "loan.pay", input: paymentInput }, pay);

/** An admin records a payment received for a startup's loan (e.g. a wire). */
export const recordPaymentAsAdmin = defineAction({ permission: "payment.record", input: paymentInput }, pay);

export const pledgeMoreCredits = defineAction({ permission: "loan.pledge", input: pledgeInputSchema.extend({ loanId }) }, async (input, viewer) => {
  const result = await pledge(db, { caller: callerOf(viewer), loanId: input.loanId, pledge: { amountMicros: input.amountMicros } });
  revalidateLoan(result.loan.id);
  return { loan: serializeLoan(result.loan), pledgedMicros: result.pledgedMicros.toString(), pledgedTotalMicros: result.pledgedTotalMicros.toString() };
});
