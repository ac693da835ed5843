import "@/lib/server/server-only";
import { formatThresholdBps, shouldAutoFreeze } from "@/lib/domain/alerts";
import { isCollateralLive, isMarginCallDue, type LoanEvent, type LoanState } from "@/lib/domain/loans/lifecycle";
import { overdueInstallments } from "@/lib/domain/loans/schedule";
import { formatBps } from "@/lib/domain/money";
import type { MarkRatio } from "@/lib/domain/valuation";
import { applyBurnAlert, applyCoverageAlerts, applyCureExpiry, applyPaymentOverdueAlert, type AlertOutcome } from "@/lib/server/alerts/evaluate";
import { loadUnresolvedAlerts } from "@/lib/server/alerts/rows";
import { freezeLoanCollateral, type FreezeResult } from "@/lib/server/collateral/freeze";
import type { Db, DbTx } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { loadLoanFigures, persistAccrual } from "@/lib/server/loans/figures";
import { transitionLoan, type LoanRow, type TransitionActor } from "@/lib/server/loans/transition";

// Coverage recomputed and acted on (DESIGN.md, "Valuation and coverage" and "Alerts"). One
// transaction per loan: lock the loan row, (optionally) accrue interest, value the loan, keep a
// CoverageSnapshot, record Loan.lastCoverageBps/At, move ACTIVE/DELINQUENT ↔ MARGIN_CALL, and open
// or resolve the loan's alerts with their webhooks. Auto-freeze, a transaction of its own
// (freezeLoanCollateral), follows the commit when it is due.

export type RecomputeCoverageInput = {
  loanId: string;
  /** Why: "index", "settle", "payment", "pledge", "monitor", … (CoverageSnapshot.reason, the audit of a transition). */
  reason: string;
  /** The valuation instant: interest accrual, the index fix of its UTC day, due dates. */
  now: Date;
  /** Write the interest accrued through `now` onto the loan first (the monitor does; a valuation alone need not). */
  accrue?: boolean;
  /** The index fix to value at, when the caller read it already for many loans (undefined: read it). */
  indexNowMicros?: bigint | null;
};

export type CoverageRecompute = {
  loanId: string;
  reference: string;
  /** false: the loan is not open (no collateral to value), nothing was written. */
  isRecorded: boolean;
  fromState: string;
  state: string;
  /** null = infinite (no debt). */
  coverageBps: number | null;
  collateralMicros: bigint;
  frozenMicros: bigint;
  debtMicros: bigint;
  /** The exact mark the coverage was computed with. */
  mark: MarkRatio;
  /** The mark in ppm, rounded down: display and the snapshot column. */
  markPpm: number;
  indexNowMicros: bigint | null;
  alerts: AlertOutcome;
  /** A margin call's cure window ran out just now (announced once). */
  isCureExpired: boolean;
  /** Auto-freeze on and coverage below liquidation: recomputeCoverage freezes right after the commit. */
  isAutoFreezeDue: boolean;
  /** The 7-day burn, when the loan has a plan (or a burn alert open). */
  burnMicrosPerDay: bigint | null;
};

export type RecomputeCoverageResult = CoverageRecompute & {
  /** The auto-freeze that followed, if one was due and went through. */
  autoFreeze: FreezeResult | null;
  /** Why a due auto-freeze did not happen (e.g. nothing spendable left to freeze). */
  autoFreezeError: string | null;
};

const SYSTEM: TransitionActor = { role: "system", kind: "system", orgId: null, userId: null };

function checkInput(input: RecomputeCoverageInput) {
  if (typeof input.loanId !== "string" || input.loanId.length === 0 || input.loanId.length > 64) throw new ApiError(404, "loan_not_found", `No loan ${String(input.loanId)} here.`, "loanId");
  if (typeof input.reason !== "string" || input.reason.trim() === "" || input.reason.length > 200) throw new ApiError(400, "invalid_request", "reason: a short word or phrase saying what triggered the recompute.", "reason");
  if (!(input.now instanceof Date) || Number.isNaN(input.now.getTime())) throw new ApiError(400, "invalid_request", "now must be a valid date.", "now");
}

/**
 * Locks the loan row for the rest of the transaction (a no-op write, taken first so that SQLite
 * takes its write lock before any read, and PostgreSQL's READ COMMITTED reads below see whatever
 * a concurrent evaluation of the same loan committed before it). Two monitors, a payment and a
 * settle-triggered recompute of one loan therefore run one after the other, and each sees the
 * alerts the previous one opened: one open alert per kind, exactly once.
 */
export async function lockLoanRow(tx: DbTx, loanId: string): Promise<LoanRow> {
  const locked = await tx.$executeRaw`UPDATE "Loan" SET "version" = "version" WHERE "id" = ${loanId}`;
  if (locked !== 1) throw new ApiError(404, "loan_not_found", `No loan ${loanId} here.`, "loanId");
  return tx.loan.findUniqueOrThrow({ where: { id: loanId } });
}

/**
 * The coverage recompute inside the caller's transaction (a payment or pledge can recompute in the
 * same commit as its own change). Does not auto-freeze: it reports `isAutoFreezeDue`, and the
 * caller runs `autoFreezeIfDue` after its commit (recomputeCoverage does both).
 */
export async function recomputeCoverageInTx(tx: DbTx, input: RecomputeCoverageInput): Promise<CoverageRecompute> {
  checkInput(input);
  const { now } = input;
  const reason = input.reason.trim();
  let loan = await lockLoanRow(tx, input.loanId);
  const fromState = loan.state;
  if (!isCollateralLive(loan.state)) {
    const figures = await loadLoanFigures(tx, loan, now, input.indexNowMicros !== undefined ? { indexNowMicros: input.indexNowMicros } : {});
    return {
      loanId: loan.id,
      reference: loan.reference,
      isRecorded: false,
      fromState,
      state: loan.state,
      coverageBps: figures.coverageBps,
      collateralMicros: figures.collateralMicros,
      frozenMicros: figures.frozenCollateralMicros,
      debtMicros: figures.debtMicros,
      mark: figures.mark,
      markPpm: figures.markPpm,
      indexNowMicros: figures.indexNowMicros,
      alerts: { opened: [], resolved: [] },
      isCureExpired: false,
      isAutoFreezeDue: false,
      burnMicrosPerDay: null,
    };
  }
  if (input.accrue) loan = await persistAccrual(tx, loan, now);
  const figures = await loadLoanFigures(tx, loan, now, input.indexNowMicros !== undefined ? { indexNowMicros: input.indexNowMicros } : {});
  const coverage = figures.coverageBps;

  await tx.coverageSnapshot.create({
    data: {
      loanId: loan.id,
      at: now,
      collateralMicros: figures.collateralMicros,
      debtMicros: figures.debtMicros,
      markPpm: figures.markPpm,
      coverageBps: coverage,
      indexMicros: figures.indexNowMicros ?? 0n,
      reason: reason.slice(0, 100),
    },
  });

  // The margin call: opens below maintenance (ACTIVE or DELINQUENT), lifts at maintenance + 5 points.
  const recorded = { lastCoverageBps: coverage, lastCoverageAt: now };
  const maintenanceBps = loan.maintenanceCoverageBps;
  let event: LoanEvent | null = null;
  if ((loan.state === "ACTIVE" || loan.state === "DELINQUENT") && isMarginCallDue(coverage, maintenanceBps, false)) {
    event = { type: "coverageBelowMaintenance", coverageBps: coverage!, maintenanceBps, cureWindowHours: loan.cureWindowHours };
  } else if (loan.state === "MARGIN_CALL" && !isMarginCallDue(coverage, maintenanceBps, true)) {
    const installments = await tx.installment.findMany({ where: { loanId: loan.id }, select: { seq: true, dueDate: true, amountMicros: true, paidMicros: true } });
    const overdue = overdueInstallments(installments, now, loan.gracePeriodDays, { debtMicros: figures.debtMicros }).map((o) => ({ seq: o.seq, daysPastDue: o.daysPastDue }));
    event = { type: "coverageRestored", coverageBps: coverage, maintenanceBps, overdue };
  }
  if (event) {
    const why = `coverage ${formatBps(coverage)} against maintenance ${formatThresholdBps(maintenanceBps)} (recomputed on ${reason})`;
    loan = (await transitionLoan(tx, { loan, event, actor: SYSTEM, now, reason: why, extra: recorded })).loan;
  } else {
    loan = await tx.loan.update({ where: { id: loan.id }, data: recorded });
  }

  const alerts: AlertOutcome = { opened: [], resolved: [] };
  let isCureExpired = false;
  let burnMicrosPerDay: bigint | null = null;
  if (loan.lenderOrgId) {
    const unresolved = await loadUnresolvedAlerts(tx, loan.id);
    await applyCoverageAlerts(tx, { loan, unresolved, coverageBps: coverage, now, outcome: alerts });
    await applyPaymentOverdueAlert(tx, { loan, unresolved, debtMicros: figures.debtMicros, coverageBps: coverage, now, outcome: alerts });
    burnMicrosPerDay = await applyBurnAlert(tx, { loan, unresolved, coverageBps: coverage, now, outcome: alerts });
    isCureExpired = await applyCureExpiry(tx, { loan, unresolved, coverageBps: coverage, now });
  }

  return {
    loanId: loan.id,
    reference: loan.reference,
    isRecorded: true,
    fromState,
    state: loan.state,
    coverageBps: coverage,
    collateralMicros: figures.collateralMicros,
    frozenMicros: figures.frozenCollateralMicros,
    debtMicros: figures.debtMicros,
    mark: figures.mark,
    markPpm: figures.markPpm,
    indexNowMicros: figures.indexNowMicros,
    alerts,
    isCureExpired,
    isAutoFreezeDue: shouldAutoFreeze({ coverageBps: coverage, liquidationBps: loan.liquidationCoverageBps, autoFreeze: loan.autoFreeze, state: loan.state as LoanState }),
    burnMicrosPerDay,
  };
}

/**
 * After the recompute's commit: a loan with auto-freeze whose coverage is below liquidation
 * freezes itself (freezeLoanCollateral, mode AUTO, as the system; it re-checks the figures under
 * its own locks). A refusal — nothing left to freeze, coverage back up meanwhile — is reported,
 * not thrown: the recompute itself is already recorded.
 */
export async function autoFreezeIfDue(db: Db, recompute: CoverageRecompute, input: { reason: string; now: Date }): Promise<Pick<RecomputeCoverageResult, "autoFreeze" | "autoFreezeError">> {
  if (!recompute.isAutoFreezeDue) return { autoFreeze: null, autoFreezeError: null };
  try {
    const autoFreeze = await freezeLoanCollateral(db, {
      loanId: recompute.loanId,
      mode: "AUTO",
      actor: { kind: "system", orgId: null, userId: null },
      reason: `Coverage ${formatBps(recompute.coverageBps)} fell below the liquidation level (recomputed on ${input.reason}); the loan has auto-freeze on.`,
      requestedAt: new Date(),
      now: input.now,
    });
    return { autoFreeze, autoFreezeError: null };
  } catch (error) {
    if (!(error instanceof ApiError)) console.error(`auto-freeze of loan ${recompute.reference} failed`, error);
    return { autoFreeze: null, autoFreezeError: error instanceof Error ? error.message : String(error) };
  }
}

/**
 * Recomputes one loan's coverage and acts on it, in one transaction (see recomputeCoverageInTx),
 * then auto-freezes when due. Call it after anything that moves coverage: a settled request of the
 * borrower (through noteBorrowerSpend), an index fix, a payment, a pledge; the monitor calls it
 * for every open loan.
 */
export async function recomputeCoverage(db: Db, input: RecomputeCoverageInput): Promise<RecomputeCoverageResult> {
  checkInput(input);
  const recompute = await db.$transaction((tx) => recomputeCoverageInTx(tx, input));
  return { ...recompute, ...(await autoFreezeIfDue(db, recompute, input)) };
}
