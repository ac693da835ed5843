import "@/lib/server/server-only";
import { z } from "zod";
import type { Db } from "@/lib/server/db/client";
import { findCallerLoanHeadOrThrow, lockLoanRow, parseOrThrow, transitionActorOf, type LoanCaller } from "./queries";
import { transitionLoan, type LoanRow } from "./transition";

export const MAX_REJECTION_REASON_LENGTH = 1_000;

export const rejectionReasonSchema = z
  .string({ error: "say why, so the startup can act on it." })
  .trim()
  .min(1, "say why, so the startup can act on it.")
  .max(MAX_REJECTION_REASON_LENGTH, `keep it to ${MAX_REJECTION_REASON_LENGTH} characters.`);

/**
 * An admin rejects an application with a reason the startup sees (SUBMITTED → REJECTED). Nothing
 * was disbursed, so nothing else moves. Audited and announced by transitionLoan. The same rejection
 * again (a double click: already REJECTED with this very reason) is answered with the loan as it is;
 * an application rejected for another reason, or otherwise decided, is a 409.
 */
export async function rejectApplication(db: Db, input: { caller: LoanCaller; loanId: string; reason: string; now?: Date }): Promise<LoanRow> {
  const reason = parseOrThrow(z.object({ reason: rejectionReasonSchema }), { reason: input.reason }).reason;
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const head = await findCallerLoanHeadOrThrow(tx, input.caller, input.loanId);
    const loan = await lockLoanRow(tx, head.id);
    if (loan.state === "REJECTED" && loan.rejectionReason === reason) return loan;
    const { loan: rejected } = await transitionLoan(tx, {
      loan,
      event: { type: "reject", reason },
      actor: transitionActorOf(input.caller),
      now,
      reason,
    });
    return rejected;
  });
}
