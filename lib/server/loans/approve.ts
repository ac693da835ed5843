import "@/lib/server/server-only";
import { z } from "zod";
import { buildInstallmentSchedule } from "@/lib/domain/loans/schedule";
import { BPS_DENOMINATOR, formatBps } from "@/lib/domain/money";
import { coverageBps as computeCoverageBps, cureAmountsMicros, markPpm as computeMarkPpm } from "@/lib/domain/valuation";
import { lockLoanForCollateral } from "@/lib/server/collateral/shared";
import type { Db, DbTx } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { ensureAccount, issueCreditsInTx, pledgeCreditsInTx, postTransfers } from "@/lib/server/ledger/ledger";
import { recordAudit } from "@/lib/server/services/audit";
import { indexFixOn } from "./figures";
import { MAX_MULTIPLIER_BPS, MIN_MULTIPLIER_BPS } from "./apply";
import { facilityHeadroomMicros, findCallerLoanHeadOrThrow, ownPledgeableMicros, parseOrThrow, recomputeCoverageAfterCommit, transitionActorOf, usd, type LoanCaller } from "./queries";
import { transitionLoan, type LoanRow } from "./transition";

// An admin approves an application with terms (DESIGN.md, "Financing arrangement"), and the
// platform disburses — all in ONE transaction: the checks (facility headroom, initial coverage),
// the state change, the FINANCED lot, the pledge, the lender's cash and the installment schedule.
// A second approval of the same application (a double click, fifty of them) finds it decided and
// either returns it unchanged (same terms) or answers 409; it never disburses twice.

export const DEFAULT_THRESHOLDS = { initialCoverageBps: 15_000, maintenanceCoverageBps: 12_500, liquidationCoverageBps: 11_000 } as const;
export const DEFAULT_EARLY_WARNING_BPS = [14_000, 13_000] as const;
/** DESIGN.md: "initial ≥ 150%". */
export const MIN_INITIAL_COVERAGE_BPS = 15_000;
const MAX_THRESHOLD_BPS = 100_000;
export const MAX_APR_BPS = 10_000;

const bps = (what: string) => z.number({ error: `give ${what} in whole basis points.` }).int(`give ${what} in whole basis points.`);

export const approvalTermsSchema = z
  .object({
    facilityId: z.string({ error: "pick the lender facility." }).trim().min(1, "pick the lender facility.").max(64),
    aprBps: bps("the APR").min(0, "cannot be negative.").max(MAX_APR_BPS, `must be at most ${MAX_APR_BPS} (100%).`),
    multiplierBps: bps("the multiplier").min(MIN_MULTIPLIER_BPS, "must be at least 12500 (1.25×).").max(MAX_MULTIPLIER_BPS, "must be at most 15000 (1.5×)."),
    initialCoverageBps: bps("the initial threshold").min(MIN_INITIAL_COVERAGE_BPS, "must be at least 15000 (150%).").max(MAX_THRESHOLD_BPS).default(DEFAULT_THRESHOLDS.initialCoverageBps),
    maintenanceCoverageBps: bps("the maintenance threshold").max(MAX_THRESHOLD_BPS).default(DEFAULT_THRESHOLDS.maintenanceCoverageBps),
    liquidationCoverageBps: bps("the liquidation threshold").max(MAX_THRESHOLD_BPS).default(DEFAULT_THRESHOLDS.liquidationCoverageBps),
    earlyWarningBps: z.array(bps("each early warning")).max(2, "at most two early-warning levels.").default([...DEFAULT_EARLY_WARNING_BPS]),
    autoFreeze: z.boolean().default(false),
    cureWindowHours: z.number().int("give whole hours.").min(1, "must be at least 1 hour.").max(720, "must be at most 720 hours (30 days).").default(72),
    gracePeriodDays: z.number().int("give whole days.").min(0, "cannot be negative.").max(60, "must be at most 60 days.").default(5),
  })
  .superRefine((terms, ctx) => {
    const issue = (path: string, message: string) => ctx.addIssue({ code: "custom", path: [path], message });
    if (terms.liquidationCoverageBps <= 10_000) issue("liquidationCoverageBps", "must be above 10000 (100%): below it the collateral no longer covers the debt.");
    if (terms.maintenanceCoverageBps <= terms.liquidationCoverageBps) issue("maintenanceCoverageBps", `must be above the liquidation threshold (${terms.liquidationCoverageBps}).`);
    if (terms.initialCoverageBps <= terms.maintenanceCoverageBps) issue("initialCoverageBps", `must be above the maintenance threshold (${terms.maintenanceCoverageBps}).`);
    if (new Set(terms.earlyWarningBps).size !== terms.earlyWarningBps.length) issue("earlyWarningBps", "give two different levels.");
    for (const level of terms.earlyWarningBps) {
      if (level <= terms.maintenanceCoverageBps || level > terms.initialCoverageBps) {
        issue("earlyWarningBps", `each level must be above maintenance (${terms.maintenanceCoverageBps}) and at most the initial threshold (${terms.initialCoverageBps}); ${level} is not.`);
      }
    }
  });

export type ApprovalTerms = z.input<typeof approvalTermsSchema>;
type ParsedTerms = z.infer<typeof approvalTermsSchema>;

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

/** `disbursement` is null when the application was already approved with these terms (a repeated click). */
export type ApprovalResult = { loan: LoanRow; isReplay: boolean; disbursement: Disbursement | null };

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

/** Stored as "14000,13000", highest first (parseEarlyWarningBps reads it back). */
function earlyWarningText(levels: readonly number[]): string {
  return [...levels].sort((a, b) => b - a).join(",");
}

/** Already decided: the same approval again is answered with the loan as it is; anything else is a 409. */
function decided(loan: LoanRow, terms: ParsedTerms): ApprovalResult {
  if (loan.activatedAt !== null && loan.state !== "SUBMITTED" && termsMatch(loan, terms)) return { loan, isReplay: true, disbursement: null };
  const what = loan.activatedAt !== null ? `was already approved (now ${loan.state})${termsMatch(loan, terms) ? "" : " with other terms"}` : `is ${loan.state}`;
  throw new ApiError(409, "application_already_decided", `Application ${loan.reference} ${what}: there is nothing left to approve.`);
}

/**
 * Approves a SUBMITTED application and disburses it (DESIGN.md, "Financing arrangement"), in one
 * transaction:
 * 1. the facility belongs to a lender and has headroom (limit − principal outstanding on its open loans ≥ P);
 * 2. initial coverage (P × multiplier + pledged) × mark / P ≥ the initial threshold, with the mark
 *    from the latest GPU index fix (which becomes the loan's index at origination);
 * 3. SUBMITTED → ACTIVE with the terms (transitionLoan: audit + lender webhook);
 * 4. ⌊P × multiplier / 10,000⌋ credits issued as a FINANCED lot tagged with lender and loan;
 * 5. the pledged credits moved into the loan's PLEDGED lot;
 * 6. the lender's cash: CASH_EXTERNAL → LENDER_CASH (the drawdown arrives), LENDER_CASH →
 *    LOAN_RECEIVABLE (it is lent), so the receivable holds the principal outstanding;
 * 7. the installment schedule, the first one due a month after activation.
 * Coverage is recomputed after the commit.
 */
export async function approveApplication(db: Db, input: { caller: LoanCaller; loanId: string; terms: ApprovalTerms; now?: Date }): Promise<ApprovalResult> {
  const { caller } = input;
  if (caller.role !== "admin") throw new ApiError(403, "forbidden", "Only a platform admin approves financing.");
  const terms = parseOrThrow(approvalTermsSchema, input.terms);
  const now = input.now ?? new Date();

  const result = await db.$transaction(async (tx) => {
    const head = await findCallerLoanHeadOrThrow(tx, caller, input.loanId);
    // The startup's spendable row, then the loan row: every approval of this application queues
    // here, and whoever comes second reads what the first committed.
    const { loan } = await lockLoanForCollateral(tx, { loanId: head.id });
    if (loan.state !== "SUBMITTED") return decided(loan, terms);

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
    const financedMicros = (loan.principalMicros * BigInt(terms.multiplierBps)) / BPS_DENOMINATOR;
    const collateralMicros = financedMicros + loan.pledgedMicros;
    const markPpm = computeMarkPpm({ indexNowMicros: indexMicros, indexAtOriginationMicros: indexMicros, redistributionFeeBps: loan.redistributionFeeBps });
    const initialCoverageBps = computeCoverageBps({ collateralMicros, markPpm, debtMicros: loan.principalMicros })!;
    if (initialCoverageBps < terms.initialCoverageBps) {
      const cure = cureAmountsMicros({ collateralMicros, debtMicros: loan.principalMicros, markPpm, targetBps: terms.initialCoverageBps });
      const more = cure.pledgeMicros === null ? "" : ` The startup would need to pledge ${usd(cure.pledgeMicros)} more, or ask for less.`;
      throw new ApiError(
        409,
        "initial_coverage_too_low",
        `Initial coverage would be ${formatBps(initialCoverageBps)} ((${usd(financedMicros)} financed + ${usd(loan.pledgedMicros)} pledged) × mark ${formatBps(markPpm / 100)} / ${usd(loan.principalMicros)}), below the initial threshold of ${formatBps(terms.initialCoverageBps)}.${more}`,
        "multiplierBps",
      );
    }
    if (loan.pledgedMicros > 0n) {
      const available = await ownPledgeableMicros(tx, loan.startupOrgId);
      if (loan.pledgedMicros > available) {
        throw new ApiError(409, "pledge_unavailable", `The startup applied to pledge ${usd(loan.pledgedMicros)} but now has only ${usd(available)} of its own spendable credits; it must top up or reapply.`);
      }
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

    const schedule = buildInstallmentSchedule({ principalMicros: loan.principalMicros, aprBps: terms.aprBps, termMonths: loan.termMonths, startDate: now });
    await tx.installment.createMany({
      data: schedule.map((row) => ({ loanId: loan.id, seq: row.seq, dueDate: row.dueDate, amountMicros: row.amountMicros, principalMicros: row.principalMicros, interestMicros: row.interestMicros, status: "DUE" })),
    });

    const disbursement: Disbursement = {
      financedMicros,
      pledgedMicros: loan.pledgedMicros,
      indexAtOriginationMicros: indexMicros,
      markPpm,
      initialCoverageBps,
      installmentCount: schedule.length,
      firstDueDate: schedule[0].dueDate,
      levelPaymentMicros: schedule[0].amountMicros,
    };
    await recordAudit(tx, {
      orgId: caller.orgId,
      actorUserId: caller.userId,
      actorKind: caller.kind ?? "user",
      action: "loan.disbursed",
      targetType: "Loan",
      targetId: loan.id,
      detail: { reference: loan.reference, facilityId: facility.id, lenderOrgId, principalMicros: loan.principalMicros, aprBps: terms.aprBps, ...disbursement },
    });
    return { loan: approved, isReplay: false, disbursement };
  });

  if (!result.isReplay) await recomputeCoverageAfterCommit(db, { loanId: result.loan.id, reason: "approval", now });
  return result;
}
