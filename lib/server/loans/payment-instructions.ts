import "@/lib/server/server-only";
import { z } from "zod";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "@/lib/server/services/audit";
import { parseOrThrow } from "./queries";

// A lender's instructions for repaying it (bank, account, the reference to quote): the lender
// writes them on its Settings screen, and its borrowers read them on their loan page before they
// declare a payment (there is no bank integration: the startup pays the lender itself).

export const MAX_PAYMENT_INSTRUCTIONS_LENGTH = 2_000;

export const paymentInstructionsInputSchema = z.object({
  /** Blank clears them (borrowers then see the fallback text). */
  instructions: z.string({ error: "write the instructions, or leave them empty." }).trim().max(MAX_PAYMENT_INSTRUCTIONS_LENGTH, `keep them to ${MAX_PAYMENT_INSTRUCTIONS_LENGTH.toLocaleString("en-US")} characters.`),
});
export type PaymentInstructionsInput = z.input<typeof paymentInstructionsInputSchema>;

/** What a borrower reads when its lender has written none. */
export function fallbackPaymentInstructions(lenderName: string, loanReference: string): string {
  return `${lenderName} has not published payment instructions here yet. Pay by bank transfer to the account in your loan agreement with ${lenderName}, quoting ${loanReference} as the reference, or ask Blockable's operators for the details.`;
}

/** The lender's own instructions, or null when none are written. */
export async function findPaymentInstructions(db: Db, lenderOrgId: string): Promise<string | null> {
  const org = await db.organization.findFirst({ where: { id: lenderOrgId, kind: "LENDER" }, select: { paymentInstructions: true } });
  return org?.paymentInstructions ?? null;
}

/**
 * The lender sets (or clears, with a blank) its payment instructions: one write with its audit row
 * (before and after), or nothing. Only a lender organisation has them.
 */
export async function setPaymentInstructions(db: Db, input: { lenderOrgId: string; actorUserId: string | null; instructions: PaymentInstructionsInput["instructions"] }): Promise<{ instructions: string | null }> {
  const { instructions } = parseOrThrow(paymentInstructionsInputSchema, { instructions: input.instructions });
  const next = instructions === "" ? null : instructions;
  return db.$transaction(async (tx) => {
    const org = await tx.organization.findFirst({ where: { id: input.lenderOrgId, kind: "LENDER" }, select: { id: true, paymentInstructions: true } });
    if (!org) throw new ApiError(403, "forbidden", "Only a lender publishes payment instructions.");
    if (org.paymentInstructions === next) return { instructions: next };
    await tx.organization.update({ where: { id: org.id }, data: { paymentInstructions: next } });
    await recordAudit(tx, {
      orgId: org.id,
      actorUserId: input.actorUserId,
      actorKind: "user",
      action: "lender.payment_instructions.update",
      targetType: "Organization",
      targetId: org.id,
      detail: { before: { paymentInstructions: org.paymentInstructions }, after: { paymentInstructions: next } },
    });
    return { instructions: next };
  });
}
