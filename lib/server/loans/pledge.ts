import "@/lib/server/server-only";
import { z } from "zod";
import { isOpenLoanState } from "@/lib/domain/loans/lifecycle";
import { MICROS_PER_USD } from "@/lib/domain/money";
import { lockLoanForCollateral } from "@/lib/server/collateral/shared";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { pledgeCreditsInTx } from "@/lib/server/ledger/ledger";
import { recordAudit } from "@/lib/server/services/audit";
import { findCallerLoanHeadOrThrow, microsField, ownPledgeableMicros, parseOrThrow, recomputeCoverageAfterCommit, usd, type LoanCaller } from "./queries";
import type { LoanRow } from "./transition";

// Pledging more of the startup's own credits to its open loan (DESIGN.md: "Pledging more credits
// moves the startup's own credits into the loan's PLEDGED lot") — how a margin call is cured
// without cash. Balances do not move: the credits stay spendable until a lender freezes them; only
// their attribution changes. Coverage is recomputed after the commit.

export const pledgeInputSchema = z.object({ amountMicros: microsField({ min: 1n, max: 1_000_000_000n * MICROS_PER_USD }) });
export type PledgeInput = z.input<typeof pledgeInputSchema>;

export type PledgeResult = { loan: LoanRow; pledgedMicros: bigint; pledgedTotalMicros: bigint };

/**
 * Moves `amountMicros` of the caller's own unfrozen, spendable PURCHASED credits into its loan's
 * PLEDGED lot, in one transaction with the loan's pledged total and the audit row. Only the
 * borrowing startup pledges; another startup's loan reads as not found.
 */
export async function pledgeMoreCredits(db: Db, input: { caller: LoanCaller; loanId: string; pledge: PledgeInput; now?: Date }): Promise<PledgeResult> {
  const { caller } = input;
  if (caller.role !== "startup") throw new ApiError(403, "forbidden", "Only the borrowing startup pledges its own credits.");
  const { amountMicros } = parseOrThrow(pledgeInputSchema, input.pledge);
  const now = input.now ?? new Date();

  const result = await db.$transaction(async (tx) => {
    const head = await findCallerLoanHeadOrThrow(tx, caller, input.loanId);
    const { loan } = await lockLoanForCollateral(tx, { loanId: head.id });
    if (!isOpenLoanState(loan.state)) {
      const why = loan.state === "SUBMITTED" ? "is not approved yet (the pledge in the application moves on approval)" : `is ${loan.state}`;
      throw new ApiError(409, "loan_not_open", `Loan ${loan.reference} ${why}: credits can be pledged only to an open loan.`);
    }
    const available = await ownPledgeableMicros(tx, loan.startupOrgId);
    if (amountMicros > available) {
      throw new ApiError(422, "insufficient_own_credits", `amountMicros: you can pledge at most ${usd(available)} of your own spendable credits; ${usd(amountMicros)} is more.`, "amountMicros");
    }
    await pledgeCreditsInTx(tx, { orgId: loan.startupOrgId, loanId: loan.id, lenderOrgId: loan.lenderOrgId, amountMicros });
    const updated = await tx.loan.update({ where: { id: loan.id }, data: { pledgedMicros: { increment: amountMicros } } });
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "loan.pledge",
      targetType: "Loan",
      targetId: loan.id,
      detail: { reference: loan.reference, amountMicros, pledgedTotalMicros: updated.pledgedMicros, before: { pledgedMicros: loan.pledgedMicros }, after: { pledgedMicros: updated.pledgedMicros } },
    });
    return { loan: updated, pledgedMicros: amountMicros, pledgedTotalMicros: updated.pledgedMicros };
  });

  await recomputeCoverageAfterCommit(db, { loanId: result.loan.id, reason: "pledge", now });
  return result;
}
