import "@/lib/server/server-only";
import { z } from "zod";
import { previewApproval } from "@/lib/domain/loans/approval-preview";
import { approvalTermsSchema, canonicalTerms, decideFourEyes, earlyWarningText, TERM_LABELS, type ApprovalTerms, type ParsedApprovalTerms } from "@/lib/domain/loans/approval-terms";
import { formatBps, formatMicros } from "@/lib/domain/money";
import { lockLoanForCollateral } from "@/lib/server/collateral/shared";
import type { Db, DbTx } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { ensureAccount, issueCreditsInTx, pledgeCreditsInTx, postTransfers } from "@/lib/server/ledger/ledger";
import { recordAudit } from "@/lib/server/services/audit";
import { getFourEyesThresholdMicros } from "@/lib/server/settings/platform-settings";
import { indexFixOn } from "./figures";
import { facilityHeadroomMicros, findCallerLoanHeadOrThrow, ownPledgeableMicros, parseOrThrow, recomputeCoverageAfterCommit, transitionActorOf, usd, type LoanCaller } from "./queries";
import { LoanConflictError, transitionLoan, type LoanRow } from "./transition";

// An admin approves an application with terms (DESIGN.md, "Financing arrangement"), and the
// platform disburses — all in ONE transaction: the checks (facility headroom, initial coverage),
// the state change, the FINANCED lot, the pledge, the lender's cash and the installment schedule.
// A second approval of the same application (a double click, fifty of them) finds it decided and
// either returns it unchanged (same terms) or answers 409; it never disburses twice.

// The terms' schema, defaults and the four-eyes rule are pure (lib/domain/loans/approval-terms.ts):
// the approval form validates with them in the browser.
export { approvalTermsSchema, DEFAULT_EARLY_WARNING_BPS, DEFAULT_THRESHOLDS, MAX_APR_BPS, MIN_INITIAL_COVERAGE_BPS, type ApprovalTerms } from "@/lib/domain/loans/approval-terms";
type ParsedTerms = ParsedApprovalTerms;

/** The approving request's own key (the form makes one per submission): the same key again is a double click, answered as it was. */
const requestKeySchema = z.string().trim().min(1).max(100).nullish();

export type Disbursement = {
  financedMicros: bigint;
  pledgedMicros: bigint;
  indexAtOriginationMicros: bigint;
  markPpm: number;
  initialCoverageBps: number;
  installmentCount: number;
  firstDueDate: Date;
  levelPaymentMicros: bigint;
};

/**
 * `disbursement` is null when nothing was disbursed: the application was already approved with these
 * terms (a repeated click), or, above the four-eyes threshold, this was the first of two approvals
 * (`awaitingSecondApproval`: the loan stays SUBMITTED until a different admin approves the same terms).
 */
export type ApprovalResult = { loan: LoanRow; isReplay: boolean; disbursement: Disbursement | null; awaitingSecondApproval: boolean };

export type LoanCashAccounts = {
  external: Awaited<ReturnType<typeof ensureAccount>>;
  lenderCash: Awaited<ReturnType<typeof ensureAccount>>;
  receivable: Awaited<ReturnType<typeof ensureAccount>>;
  startupCash: Awaited<ReturnType<typeof ensureAccount>>;
};

/**
 * The cash accounts a loan moves, owned as liquidation keys them. The accounting: the receivable is
 * the lender's claim and always equals the principal outstanding. Approval: CASH_EXTERNAL →
 * LENDER_CASH P (the lender's drawdown arrives), LENDER_CASH → LOAN_RECEIVABLE P (it is lent; the
 * money bought the startup's credits). A payment a = interest i + principal p: CASH_EXTERNAL →
 * STARTUP_CASH a, STARTUP_CASH → LENDER_CASH i and p, LOAN_RECEIVABLE → CASH_EXTERNAL p (the ledger
 * keeps no liability account for the borrower, so the outside world is the claim's counterpart).
 */
export async function ensureLoanCashAccounts(tx: DbTx, loan: { id: string; startupOrgId: string; lenderOrgId: string }): Promise<LoanCashAccounts> {
  return {
    external: await ensureAccount(tx, "CASH_EXTERNAL", {}),
    lenderCash: await ensureAccount(tx, "LENDER_CASH", { orgId: loan.lenderOrgId }),
    receivable: await ensureAccount(tx, "LOAN_RECEIVABLE", { orgId: loan.lenderOrgId, loanId: loan.id }),
    startupCash: await ensureAccount(tx, "STARTUP_CASH", { orgId: loan.startupOrgId }),
  };
}

function termsMatch(loan: LoanRow, terms: ParsedTerms): boolean {
  return (
    loan.facilityId === terms.facilityId &&
    loan.aprBps === terms.aprBps &&
    loan.multiplierBps === terms.multiplierBps &&
    loan.initialCoverageBps === terms.initialCoverageBps &&
    loan.maintenanceCoverageBps === terms.maintenanceCoverageBps &&
    loan.liquidationCoverageBps === terms.liquidationCoverageBps &&
    loan.earlyWarningBps === earlyWarningText(terms.earlyWarningBps) &&
    loan.autoFreeze === terms.autoFreeze &&
    loan.cureWindowHours === terms.cureWindowHours &&
    loan.gracePeriodDays === terms.gracePeriodDays
  );
}

/** Already decided: the same approval again is answered with the loan as it is; anything else is a 409. */
function decided(loan: LoanRow, terms: ParsedTerms): ApprovalResult {
  if (loan.activatedAt !== null && loan.state !== "SUBMITTED" && termsMatch(loan, terms)) return { loan, isReplay: true, disbursement: null, awaitingSecondApproval: false };
  const what = loan.activatedAt !== null ? `was already approved (now ${loan.state})${termsMatch(loan, terms) ? "" : " with other terms"}` : `is ${loan.state}`;
  throw new ApiError(409, "application_already_decided", `Application ${loan.reference} ${what}: there is nothing left to approve.`);
}

// ───────────────────────────── Four-eyes ─────────────────────────────

/** What Loan.firstApprovedTermsJson holds: the first admin's terms, and the key of the request that approved them. */
type FirstApproval = { terms: ParsedTerms; requestKey: string | null };

/** The first approval's stored terms; anything unreadable counts as no first approval (it is recorded again). */
export function readFirstApproval(json: string | null): FirstApproval | null {
  if (!json) return null;
  try {
    const stored = JSON.parse(json) as { terms?: unknown; requestKey?: unknown };
    const terms = approvalTermsSchema.safeParse(stored.terms);
    if (!terms.success) return null;
    return { terms: canonicalTerms(terms.data), requestKey: typeof stored.requestKey === "string" ? stored.requestKey : null };
  } catch {
    return null;
  }
}

async function adminName(tx: DbTx, userId: string | null): Promise<string> {
  if (!userId) return "another admin";
  const user = await tx.user.findUnique({ where: { id: userId }, select: { name: true, email: true } });
  return user ? `${user.name} (${user.email})` : "another admin";
}

const whenText = (at: Date | null) => (at ? `${at.toISOString().slice(0, 16).replace("T", " ")} UTC` : "earlier");

/**
 * Approves a SUBMITTED application and disburses it (DESIGN.md, "Financing arrangement"), in one
 * transaction:
 * 1. the facility belongs to a lender and has headroom (limit − principal outstanding on its open loans ≥ P);
 * 2. initial coverage (P × multiplier + pledged) × mark / P ≥ the initial threshold, with the mark
 *    from the latest GPU index fix (which becomes the loan's index at origination) — computed by
 *    previewApproval, the function the approval form previews with;
 * 3. SUBMITTED → ACTIVE with the terms (transitionLoan: audit + lender webhook);
 * 4. ⌊P × multiplier / 10,000⌋ credits issued as a FINANCED lot tagged with lender and loan;
 * 5. the pledged credits moved into the loan's PLEDGED lot;
 * 6. the lender's cash: CASH_EXTERNAL → LENDER_CASH (the drawdown arrives), LENDER_CASH →
 *    LOAN_RECEIVABLE (it is lent), so the receivable holds the principal outstanding;
 * 7. the installment schedule, the first one due a month after activation.
 * Coverage is recomputed after the commit.
 *
 * Four-eyes: above the platform's threshold (PlatformSetting "fourEyesThresholdMicros") the first
 * admin's approval is recorded on the application (firstApprovedById/At/TermsJson, audit
 * "loan.first_approval") after the same checks, and nothing is disbursed; a second, different
 * admin approving the same terms disburses. The first admin approving again is refused (409
 * second_approval_required) — unless it is the same request again (`requestKey`, a double click),
 * which is answered as it was. Other terms from the second admin are refused (409
 * approval_terms_mismatch) naming the fields that differ.
 */
export async function approveApplication(db: Db, input: { caller: LoanCaller; loanId: string; terms: ApprovalTerms; now?: Date; requestKey?: string | null }): Promise<ApprovalResult> {
  const { caller } = input;
  if (caller.role !== "admin") throw new ApiError(403, "forbidden", "Only a platform admin approves financing.");
  const terms = canonicalTerms(parseOrThrow(approvalTermsSchema, input.terms));
  const requestKey = parseOrThrow(requestKeySchema, input.requestKey) ?? null;
  const now = input.now ?? new Date();

  const result = await db.$transaction(async (tx) => {
    const head = await findCallerLoanHeadOrThrow(tx, caller, input.loanId);
    // The startup's spendable row, then the loan row: every approval of this application queues
    // here, and whoever comes second reads what the first committed.
    const { loan } = await lockLoanForCollateral(tx, { loanId: head.id });
    if (loan.state !== "SUBMITTED") return decided(loan, terms);

    const thresholdMicros = await getFourEyesThresholdMicros(tx);
    const first = readFirstApproval(loan.firstApprovedTermsJson);
    const fourEyes = decideFourEyes({
      application: { firstApprovedById: first ? loan.firstApprovedById : null, principalMicros: loan.principalMicros },
      thresholdMicros,
      approverId: caller.userId ?? "",
      terms,
      firstApprovedTerms: first?.terms ?? null,
    });
    if (fourEyes.kind === "same_admin") {
      if (requestKey !== null && first?.requestKey === requestKey && JSON.stringify(first.terms) === JSON.stringify(terms)) {
        return { loan, isReplay: true, disbursement: null, awaitingSecondApproval: true };
      }
      throw new ApiError(
        409,
        "second_approval_required",
        `A second admin must approve ${loan.reference}: you approved it at ${whenText(loan.firstApprovedAt)}, and an application above ${formatMicros(thresholdMicros, { decimals: 0 })} needs two different admins.`,
      );
    }
    if (fourEyes.kind === "second" && fourEyes.differences.length > 0) {
      const fields = fourEyes.differences.map((key) => TERM_LABELS[key]).join(", ");
      throw new ApiError(
        409,
        "approval_terms_mismatch",
        `${await adminName(tx, loan.firstApprovedById)} approved ${loan.reference} with a different ${fields}. Approve the same terms to disburse it, or reject the application.`,
        fourEyes.differences[0],
      );
    }

    const facility = await tx.lenderFacility.findUnique({ where: { id: terms.facilityId }, include: { lender: { select: { kind: true, name: true } } } });
    if (!facility || facility.lender.kind !== "LENDER") throw new ApiError(422, "facility_not_found", `facilityId: no lender facility ${terms.facilityId}.`, "facilityId");
    // Facility after loan: approvals on the same facility queue here, so headroom cannot be spent twice.
    await tx.$executeRaw`UPDATE "LenderFacility" SET "limitMicros" = "limitMicros" WHERE "id" = ${facility.id}`;
    const headroom = await facilityHeadroomMicros(tx, facility);
    if (loan.principalMicros > headroom) {
      throw new ApiError(409, "facility_limit_exceeded", `Facility "${facility.name}" has ${usd(headroom > 0n ? headroom : 0n)} left to lend; this application asks for ${usd(loan.principalMicros)}.`, "facilityId");
    }

    const indexMicros = await indexFixOn(tx, now);
    if (indexMicros === null || indexMicros <= 0n) throw new ApiError(409, "index_unavailable", "There is no GPU index fix yet: enter today's fix before approving, the loan is valued against it.");
    const preview = previewApproval({
      principalMicros: loan.principalMicros,
      pledgedMicros: loan.pledgedMicros,
      termMonths: loan.termMonths,
      redistributionFeeBps: loan.redistributionFeeBps,
      multiplierBps: terms.multiplierBps,
      aprBps: terms.aprBps,
      initialThresholdBps: terms.initialCoverageBps,
      indexMicros,
      now,
    });
    const { financedMicros, markPpm } = preview;
    const initialCoverageBps = preview.initialCoverageBps!;
    if (!preview.meetsInitialThreshold) {
      const more = preview.pledgeShortfallMicros === null ? "" : ` The startup would need to pledge ${usd(preview.pledgeShortfallMicros)} more, or ask for less.`;
      throw new ApiError(
        409,
        "initial_coverage_too_low",
        `Initial coverage would be ${formatBps(initialCoverageBps)} ((${usd(financedMicros)} financed + ${usd(loan.pledgedMicros)} pledged) × mark ${formatBps(markPpm! / 100)} / ${usd(loan.principalMicros)}), below the initial threshold of ${formatBps(terms.initialCoverageBps)}.${more}`,
        "multiplierBps",
      );
    }
    if (loan.pledgedMicros > 0n) {
      const available = await ownPledgeableMicros(tx, loan.startupOrgId);
      if (loan.pledgedMicros > available) {
        throw new ApiError(409, "pledge_unavailable", `The startup applied to pledge ${usd(loan.pledgedMicros)} but now has only ${usd(available)} of its own spendable credits; it must top up or reapply.`);
      }
    }

    if (fourEyes.kind === "record_first") {
      const before = { firstApprovedById: loan.firstApprovedById, firstApprovedAt: loan.firstApprovedAt };
      const changed = await tx.loan.updateMany({
        where: { id: loan.id, version: loan.version },
        data: { firstApprovedById: caller.userId, firstApprovedAt: now, firstApprovedTermsJson: JSON.stringify({ terms, requestKey }), version: { increment: 1 } },
      });
      if (changed.count !== 1) throw new LoanConflictError(loan.id);
      const recorded = await tx.loan.findUniqueOrThrow({ where: { id: loan.id } });
      await recordAudit(tx, {
        orgId: caller.orgId,
        actorUserId: caller.userId,
        actorKind: caller.kind ?? "user",
        action: "loan.first_approval",
        targetType: "Loan",
        targetId: loan.id,
        detail: {
          reference: loan.reference,
          principalMicros: loan.principalMicros,
          thresholdMicros,
          terms,
          facilityName: facility.name,
          initialCoverageBps,
          before,
          after: { firstApprovedById: caller.userId, firstApprovedAt: now },
        },
      });
      return { loan: recorded, isReplay: false, disbursement: null, awaitingSecondApproval: true };
    }

    const lenderOrgId = facility.lenderOrgId;
    const { loan: approved } = await transitionLoan(tx, {
      loan,
      event: { type: "approve" },
      actor: transitionActorOf(caller),
      now,
      reason: `Approved on facility "${facility.name}" at ${formatBps(terms.aprBps)} APR, ${terms.multiplierBps / 10_000}×.`,
      extra: {
        lenderOrgId,
        facilityId: facility.id,
        aprBps: terms.aprBps,
        multiplierBps: terms.multiplierBps,
        initialCoverageBps: terms.initialCoverageBps,
        maintenanceCoverageBps: terms.maintenanceCoverageBps,
        liquidationCoverageBps: terms.liquidationCoverageBps,
        earlyWarningBps: earlyWarningText(terms.earlyWarningBps),
        autoFreeze: terms.autoFreeze,
        cureWindowHours: terms.cureWindowHours,
        gracePeriodDays: terms.gracePeriodDays,
        indexAtOriginationMicros: indexMicros,
        principalOutstandingMicros: loan.principalMicros,
        interestAccruedMicros: 0n,
        interestCarry: 0n,
        interestAccruedThrough: now,
        lastCoverageBps: initialCoverageBps,
        lastCoverageAt: now,
      },
    });

    await issueCreditsInTx(tx, {
      orgId: loan.startupOrgId,
      amountMicros: financedMicros,
      idempotencyKey: `loan:${loan.id}:finance`,
      kind: "FINANCED",
      loanId: loan.id,
      lenderOrgId,
      memo: `Financed credits of loan ${loan.reference}`,
    });
    if (loan.pledgedMicros > 0n) await pledgeCreditsInTx(tx, { orgId: loan.startupOrgId, loanId: loan.id, lenderOrgId, amountMicros: loan.pledgedMicros });

    const cash = await ensureLoanCashAccounts(tx, { id: loan.id, startupOrgId: loan.startupOrgId, lenderOrgId });
    await postTransfers(
      tx,
      [
        { idempotencyKey: `loan:${loan.id}:funding`, kind: "LOAN_FUNDING", debitAccountId: cash.external.id, creditAccountId: cash.lenderCash.id, amountMicros: loan.principalMicros, orgId: lenderOrgId, loanId: loan.id, memo: `The lender's drawdown for loan ${loan.reference} arrives` },
        { idempotencyKey: `loan:${loan.id}:disbursement`, kind: "LOAN_DISBURSEMENT", debitAccountId: cash.lenderCash.id, creditAccountId: cash.receivable.id, amountMicros: loan.principalMicros, orgId: lenderOrgId, loanId: loan.id, memo: `Lent: the principal of loan ${loan.reference} buys the startup's credits` },
      ],
      Object.values(cash),
    );

    const schedule = preview.schedule;
    await tx.installment.createMany({
      data: schedule.map((row) => ({ loanId: loan.id, seq: row.seq, dueDate: row.dueDate, amountMicros: row.amountMicros, principalMicros: row.principalMicros, interestMicros: row.interestMicros, status: "DUE" })),
    });

    const disbursement: Disbursement = {
      financedMicros,
      pledgedMicros: loan.pledgedMicros,
      indexAtOriginationMicros: indexMicros,
      markPpm: markPpm!,
      initialCoverageBps,
      installmentCount: schedule.length,
      firstDueDate: schedule[0].dueDate,
      levelPaymentMicros: schedule[0].amountMicros,
    };
    const secondApproval = fourEyes.kind === "second" ? { firstApprovedById: loan.firstApprovedById, firstApprovedAt: loan.firstApprovedAt, thresholdMicros } : {};
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "loan.disbursed",
      targetType: "Loan",
      targetId: loan.id,
      detail: { reference: loan.reference, facilityId: facility.id, lenderOrgId, principalMicros: loan.principalMicros, aprBps: terms.aprBps, ...disbursement, ...secondApproval },
    });
    return { loan: approved, isReplay: false, disbursement, awaitingSecondApproval: false };
  });

  if (!result.isReplay && result.disbursement) await recomputeCoverageAfterCommit(db, { loanId: result.loan.id, reason: "approval", now });
  return result;
}
