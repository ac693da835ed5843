import "@/lib/server/server-only";
import { DEFAULT_INITIAL_THRESHOLD_BPS } from "@/lib/domain/loans/application-preview";
import { blocksNewApplication, isCollateralLive, LOAN_STATES, MARGIN_CALL_HYSTERESIS_BPS } from "@/lib/domain/loans/lifecycle";
import { cureAmountsMicros, DEFAULT_REDISTRIBUTION_FEE_BPS } from "@/lib/domain/valuation/coverage";
import { marginCallPeriods } from "@/lib/domain/valuation/series";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { indexFixOn, loadLoanFigures } from "@/lib/server/loans/figures";
import { fallbackPaymentInstructions } from "@/lib/server/loans/payment-instructions";
import { ownPledgeableMicros } from "@/lib/server/loans/queries";
import { listCreditPurchasesOfStartup, listPaymentNoticesOfStartup } from "@/lib/server/payments/startup-queries";
import { getLoanOutlook } from "@/lib/server/valuation/outlook";
import { loadCoverageSeries } from "./lender-loan-page";
import { installmentOnWire, paymentOnWire } from "./loan-rows";

// What the startup's Financing screens read (/startup/financing and its loan page), scoped to the
// startup: every read puts its organisation in the `where`, so another startup's loan is "not
// found". Money leaves as strings of µUSD, instants as ISO 8601. Charts read stored coverage
// snapshots and the UsageDaily rollups (through the outlook), never raw usage events.

export const PROJECTION_HORIZON_DAYS = 90;
/** When no lender facility is open yet, the preview assumes this APR (the admin sets the real one). */
export const FALLBACK_INDICATIVE_APR_BPS = 1_500;

const s = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());
const iso = (value: Date | null | undefined) => (value ? value.toISOString() : null);

const BLOCKING_STATES = LOAN_STATES.filter(blocksNewApplication);

export type StartupFinancingDto = Awaited<ReturnType<typeof getStartupFinancing>>;
export type StartupLoanRowDto = StartupFinancingDto["loans"][number];
export type ApplyContextDto = StartupFinancingDto["apply"];

/** The startup's applications and loans (newest first) and what its Apply form needs to preview. */
export async function getStartupFinancing(db: Db, orgId: string, now = new Date()) {
  const [loans, pledgeable, facilities, indexMicros] = await Promise.all([
    db.loan.findMany({ where: { startupOrgId: orgId }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], take: 200, include: { lender: { select: { name: true } } } }),
    ownPledgeableMicros(db, orgId),
    db.lenderFacility.findMany({ select: { defaultAprBps: true } }),
    indexFixOn(db, now),
  ]);
  const blocking = loans.find((loan) => (BLOCKING_STATES as readonly string[]).includes(loan.state)) ?? null;
  // The highest default APR among the lenders' facilities: the installment shown is the most it would be.
  const indicativeAprBps = facilities.length ? Math.max(...facilities.map((facility) => facility.defaultAprBps)) : FALLBACK_INDICATIVE_APR_BPS;
  return {
    asOf: now.toISOString(),
    loans: loans.map((loan) => ({
      id: loan.id,
      reference: loan.reference,
      state: loan.state,
      lenderName: loan.lender?.name ?? null,
      principalMicros: loan.principalMicros.toString(),
      principalOutstandingMicros: loan.principalOutstandingMicros.toString(),
      multiplierBps: loan.multiplierBps,
      termMonths: loan.termMonths,
      pledgedMicros: loan.pledgedMicros.toString(),
      aprBps: loan.aprBps,
      purpose: loan.purpose,
      rejectionReason: loan.rejectionReason,
      submittedAt: iso(loan.submittedAt ?? loan.createdAt),
      decidedAt: iso(loan.decidedAt),
      closedAt: iso(loan.closedAt),
    })),
    apply: {
      /** Why a new application cannot be sent now (one application or open loan at a time), or null. */
      blockedBy: blocking ? { id: blocking.id, reference: blocking.reference, state: blocking.state } : null,
      ownPledgeableMicros: pledgeable.toString(),
      indicativeAprBps,
      isIndicativeAprFallback: facilities.length === 0,
      redistributionFeeBps: DEFAULT_REDISTRIBUTION_FEE_BPS,
      initialThresholdBps: DEFAULT_INITIAL_THRESHOLD_BPS,
      indexMicros: s(indexMicros),
    },
  };
}

export type StartupLoanPageDto = Awaited<ReturnType<typeof getStartupLoanPageOrThrow>>;
export type StartupInstallmentDto = StartupLoanPageDto["installments"][number];
export type StartupPaymentDto = StartupLoanPageDto["payments"][number];

/**
 * One of the startup's loans: figures, coverage history with its thresholds, days to margin call,
 * the cure amounts, schedule, payments, notices and purchase requests, and the lender's payment
 * instructions. Another startup's loan (or none) is an ApiError 404.
 */
export async function getStartupLoanPageOrThrow(db: Db, orgId: string, loanId: string, now = new Date()) {
  const loan =
    typeof loanId === "string" && loanId.length > 0 && loanId.length <= 64
      ? await db.loan.findFirst({ where: { id: loanId, startupOrgId: orgId }, include: { lender: { select: { name: true, paymentInstructions: true } } } })
      : null;
  if (!loan) throw new ApiError(404, "loan_not_found", `No loan ${String(loanId)} here.`, "loanId");
  const isOpen = isCollateralLive(loan.state) && loan.activatedAt !== null;
  const endMs = loan.closedAt && !isOpen ? Math.min(loan.closedAt.getTime(), now.getTime()) : now.getTime();

  const [figures, outlook, coverage, installments, payments, notices, purchases, pledgeable, lastFreeze] = await Promise.all([
    isOpen ? loadLoanFigures(db, loan, now) : Promise.resolve(null),
    isOpen ? getLoanOutlook(db, { loanId: loan.id, viewerOrgId: orgId, now, horizonDays: PROJECTION_HORIZON_DAYS }) : Promise.resolve(null),
    loan.activatedAt ? loadCoverageSeries(db, loan.id) : Promise.resolve({ points: [], downsampledToDays: null }),
    db.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } }),
    db.payment.findMany({ where: { loanId: loan.id }, orderBy: [{ paidAt: "desc" }, { id: "desc" }], take: 500 }),
    listPaymentNoticesOfStartup(db, orgId, { loanId: loan.id }),
    listCreditPurchasesOfStartup(db, orgId),
    ownPledgeableMicros(db, orgId),
    loan.state === "FROZEN" ? db.freezeEvent.findFirst({ where: { loanId: loan.id, action: "FREEZE" }, orderBy: { committedAt: "desc" }, select: { reason: true, amountMicros: true, committedAt: true } }) : Promise.resolve(null),
  ]);

  // A margin call closes at maintenance + 5 points (hysteresis); otherwise maintenance keeps it away.
  const isMarginCall = loan.state === "MARGIN_CALL";
  const cureTargetBps = loan.maintenanceCoverageBps + (isMarginCall ? MARGIN_CALL_HYSTERESIS_BPS : 0);
  const cure = figures ? cureAmountsMicros({ collateralMicros: figures.collateralMicros, debtMicros: figures.debtMicros, mark: figures.mark, targetBps: cureTargetBps }) : null;
  const pendingDeclaredMicros = notices.filter((notice) => notice.status === "PENDING").reduce((sum, notice) => sum + BigInt(notice.amountMicros), 0n);
  const periods = marginCallPeriods(
    coverage.points.map((point) => ({ atMs: point.at.getTime(), coverageBps: point.coverageBps })),
    { maintenanceBps: loan.maintenanceCoverageBps, endMs },
  );
  const lenderName = loan.lender?.name ?? null;

  return {
    loanId: loan.id,
    reference: loan.reference,
    state: loan.state,
    asOf: now.toISOString(),
    isOpen,
    purpose: loan.purpose,
    lenderName,
    principalMicros: loan.principalMicros.toString(),
    multiplierBps: loan.multiplierBps,
    termMonths: loan.termMonths,
    aprBps: loan.aprBps,
    pledgedMicros: loan.pledgedMicros.toString(),
    rejectionReason: loan.rejectionReason,
    submittedAt: iso(loan.submittedAt ?? loan.createdAt),
    decidedAt: iso(loan.decidedAt),
    activatedAt: iso(loan.activatedAt),
    closedAt: iso(loan.closedAt),
    marginCallAt: iso(loan.marginCallAt),
    /** The lender's latest freeze of a FROZEN loan: why, how much, when. */
    freeze: lastFreeze ? { reason: lastFreeze.reason, amountMicros: lastFreeze.amountMicros.toString(), at: lastFreeze.committedAt.toISOString() } : null,
    cureDeadline: iso(loan.cureDeadline),
    thresholds: {
      initialBps: loan.initialCoverageBps,
      earlyWarningBps: loan.earlyWarningBps
        .split(",")
        .map((text) => Number(text.trim()))
        .filter((bps) => Number.isInteger(bps) && bps > 0),
      maintenanceBps: loan.maintenanceCoverageBps,
      liquidationBps: loan.liquidationCoverageBps,
    },
    figures: figures
      ? {
          collateralMicros: figures.collateralMicros.toString(),
          frozenMicros: figures.frozenCollateralMicros.toString(),
          principalOutstandingMicros: figures.principalOutstandingMicros.toString(),
          interestAccruedMicros: figures.interestAccruedMicros.toString(),
          debtMicros: figures.debtMicros.toString(),
          markPpm: figures.markPpm,
          coverageBps: figures.coverageBps,
        }
      : {
          collateralMicros: null,
          frozenMicros: null,
          principalOutstandingMicros: loan.principalOutstandingMicros.toString(),
          interestAccruedMicros: loan.interestAccruedMicros.toString(),
          debtMicros: (loan.principalOutstandingMicros + loan.interestAccruedMicros).toString(),
          markPpm: null,
          coverageBps: loan.lastCoverageBps,
        },
    outlook: outlook
      ? {
          daysToMarginCall: outlook.projection.daysToMarginCall,
          marginCallDate: outlook.projection.marginCallDate,
          horizonDays: PROJECTION_HORIZON_DAYS,
          burnMicrosPerDay: outlook.assumptions.burnMicrosPerDay.toString(),
        }
      : null,
    /** The least repayment, or the least pledge of own credits, that brings coverage to `targetBps` now. */
    cure: cure ? { targetBps: cureTargetBps, repayMicros: cure.repayMicros.toString(), pledgeMicros: s(cure.pledgeMicros) } : null,
    coverage: {
      points: coverage.points.map((point) => ({ at: point.at.toISOString(), coverageBps: point.coverageBps })),
      downsampledToDays: coverage.downsampledToDays,
      marginCallPeriods: periods.map((period) => ({ from: new Date(period.fromMs).toISOString(), to: new Date(period.toMs).toISOString(), isOpen: period.isOpen })),
      endAt: new Date(endMs).toISOString(),
    },
    installments: installments.map((row) => installmentOnWire(row, loan, now)),
    payments: payments.map((row) => ({
      ...paymentOnWire(row),
      /** Cash an admin recorded as received, or a liquidation's proceeds (no person). */
      source: row.recordedById ? "Payment received" : "Liquidation proceeds",
    })),
    notices,
    purchases,
    pendingDeclaredMicros: pendingDeclaredMicros.toString(),
    ownPledgeableMicros: pledgeable.toString(),
    paymentInstructions: {
      text: loan.lender?.paymentInstructions ?? (lenderName ? fallbackPaymentInstructions(lenderName, loan.reference) : null),
      isFallback: !loan.lender?.paymentInstructions,
    },
  };
}
