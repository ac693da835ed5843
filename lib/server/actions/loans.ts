"use server";
import "@/lib/server/server-only";
import { revalidatePath } from "next/cache";
import { z } from "zod";
import type { Viewer } from "@/lib/server/auth/guard";
import { db } from "@/lib/server/db/client";
import { defineAction } from "@/lib/server/http/action";
import { applicationInputSchema, applyForLoan as apply } from "@/lib/server/loans/apply";
import { pledgeInputSchema, pledgeMoreCredits as pledge } from "@/lib/server/loans/pledge";
import { serializeLoan, type LoanCaller } from "@/lib/server/loans/queries";
import { withdrawApplication as withdraw } from "@/lib/server/loans/withdraw";

// The startup's side of the financing workflow: apply, withdraw, pledge. (An admin's decisions and
// the payments an admin records live beside their screens: app/admin/applications, app/admin/payments.
// A startup never records a payment itself: it declares one, and an admin confirms receipt.) Each
// action names its permission first (defineAction checks session and permission inside), parses its
// input with the service's own zod schema, and calls one service that scopes the loan by the viewer's
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

export const pledgeMoreCredits = defineAction({ permission: "loan.pledge", input: pledgeInputSchema.extend({ loanId }) }, async (input, viewer) => {
  const result = await pledge(db, { caller: callerOf(viewer), loanId: input.loanId, pledge: { amountMicros: input.amountMicros } });
  revalidateLoan(result.loan.id);
  return { loan: serializeLoan(result.loan), pledgedMicros: result.pledgedMicros.toString(), pledgedTotalMicros: result.pledgedTotalMicros.toString() };
});
