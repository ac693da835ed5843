import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { findCallerLoanHeadOrThrow, lockLoanRow, transitionActorOf, type LoanCaller } from "./queries";
import { transitionLoan, type LoanRow } from "./transition";

/**
 * The startup takes its application back before an admin decides (SUBMITTED → WITHDRAWN). Another
 * startup's application reads as not found; one already decided is refused by the lifecycle
 * ("Cannot withdraw a loan that is ACTIVE.", 409). Audited and announced by transitionLoan.
 */
export async function withdrawApplication(db: Db, input: { caller: LoanCaller; loanId: string; now?: Date }): Promise<LoanRow> {
  const now = input.now ?? new Date();
  return db.$transaction(async (tx) => {
    const head = await findCallerLoanHeadOrThrow(tx, input.caller, input.loanId);
    const loan = await lockLoanRow(tx, head.id);
    const { loan: withdrawn } = await transitionLoan(tx, {
      loan,
      event: { type: "withdraw" },
      actor: transitionActorOf(input.caller),
      now,
    });
    return withdrawn;
  });
}
