// What an approval would do, before it is done: the credits issued, the initial coverage, the
// installments and the coverage path under the proposed terms. The approval service disburses with
// these very numbers (lib/server/loans/approve.ts) and the approval form recomputes them in the
// browser as the admin types, so the preview and the disbursement cannot disagree.

import { BPS_DENOMINATOR, ceilDiv } from "../money";
import { coverageBps as computeCoverageBps, cureAmountsMicros } from "../valuation/coverage";
import { markRatio, markRatioToPpm, type MarkRatio } from "../valuation/mark";
import { projectDaysToMarginCall, type Projection } from "../valuation/projection";
import {
  DEFAULT_CURE_WINDOW_HOURS,
  DEFAULT_EARLY_WARNING_BPS,
  DEFAULT_GRACE_PERIOD_DAYS,
  DEFAULT_THRESHOLDS,
  MAX_APPROVAL_MULTIPLIER_BPS,
  MIN_APPROVAL_MULTIPLIER_BPS,
  type ParsedApprovalTerms,
} from "./approval-terms";
import { DAILY_INTEREST_DENOMINATOR, buildInstallmentSchedule, type PlannedInstallment } from "./schedule";

export type ApprovalPreviewInput = {
  principalMicros: bigint;
  pledgedMicros: bigint;
  termMonths: number;
  redistributionFeeBps: number;
  multiplierBps: number;
  aprBps: number;
  /** The initial threshold the terms set; the preview says whether the loan meets it. */
  initialThresholdBps: number;
  /** Today's GPU index fix, which becomes the loan's index at origination; null = no fix yet (approval refused). */
  indexMicros: bigint | null;
  /** Activation: the first installment falls due a month after it. */
  now: Date;
};

export type ApprovalPreview = {
  /** ⌊P × multiplier / 10,000⌋: the FINANCED lot. */
  financedMicros: bigint;
  pledgedMicros: bigint;
  /** Financed + pledged: the loan's collateral at activation. */
  collateralMicros: bigint;
  /** At origination the index equals its origination fix: par less the redistribution fee. Null without a fix. */
  mark: MarkRatio | null;
  markPpm: number | null;
  /** (financed + pledged) × mark / P, rounded down; null without an index fix. */
  initialCoverageBps: number | null;
  meetsInitialThreshold: boolean;
  /** The least extra pledge that would meet the initial threshold (0 when it is met; null without a fix). */
  pledgeShortfallMicros: bigint | null;
  /** The level monthly payment (the first installment). */
  installmentMicros: bigint;
  schedule: PlannedInstallment[];
  totalInterestMicros: bigint;
  totalRepaidMicros: bigint;
  /** principal × APR / 365 today, rounded up: what the projection accrues per day. */
  interestMicrosPerDay: bigint;
};

/** The financed credits of an approval: ⌊P × multiplier / 10,000⌋. */
export function financedCreditsMicros(principalMicros: bigint, multiplierBps: number): bigint {
  return (principalMicros * BigInt(multiplierBps)) / BPS_DENOMINATOR;
}

export function previewApproval(input: ApprovalPreviewInput): ApprovalPreview {
  const financedMicros = financedCreditsMicros(input.principalMicros, input.multiplierBps);
  const collateralMicros = financedMicros + input.pledgedMicros;
  const hasIndex = input.indexMicros !== null && input.indexMicros > 0n;
  const mark = hasIndex ? markRatio({ indexNowMicros: input.indexMicros!, indexAtOriginationMicros: input.indexMicros!, redistributionFeeBps: input.redistributionFeeBps }) : null;
  const initialCoverageBps = mark ? computeCoverageBps({ collateralMicros, mark, debtMicros: input.principalMicros }) : null;
  const meetsInitialThreshold = initialCoverageBps !== null && initialCoverageBps >= input.initialThresholdBps;
  const pledgeShortfallMicros = mark ? (cureAmountsMicros({ collateralMicros, debtMicros: input.principalMicros, mark, targetBps: input.initialThresholdBps }).pledgeMicros ?? null) : null;
  const schedule = buildInstallmentSchedule({ principalMicros: input.principalMicros, aprBps: input.aprBps, termMonths: input.termMonths, startDate: input.now });
  const totalRepaidMicros = schedule.reduce((sum, row) => sum + row.amountMicros, 0n);
  return {
    financedMicros,
    pledgedMicros: input.pledgedMicros,
    collateralMicros,
    mark,
    markPpm: mark ? markRatioToPpm(mark) : null,
    initialCoverageBps,
    meetsInitialThreshold,
    pledgeShortfallMicros,
    installmentMicros: schedule[0].amountMicros,
    schedule,
    totalInterestMicros: totalRepaidMicros - input.principalMicros,
    totalRepaidMicros,
    interestMicrosPerDay: input.aprBps === 0 ? 0n : ceilDiv(input.principalMicros * BigInt(input.aprBps), DAILY_INTEREST_DENOMINATOR),
  };
}

/**
 * The coverage path of the loan as approved: collateral financed + pledged, debt P accruing at
 * APR/365, the planned installments paid on their due days, the borrower's 7-day burn eating the
 * collateral (financed credits are spent first), the index moving on its recent trend. The same
 * projection as a live loan's "days to margin call".
 */
export function projectApprovedCoverage(input: {
  preview: ApprovalPreview;
  principalMicros: bigint;
  now: Date;
  indexMicros: bigint;
  indexTrendMicrosPerDay: bigint;
  burnMicrosPerDay: bigint;
  redistributionFeeBps: number;
  maintenanceBps: number;
  horizonDays: number;
}): Projection {
  return projectDaysToMarginCall({
    now: input.now,
    collateralMicros: input.preview.collateralMicros,
    debtMicros: input.principalMicros,
    interestMicrosPerDay: input.preview.interestMicrosPerDay,
    burnMicrosPerDay: input.burnMicrosPerDay,
    installments: input.preview.schedule.map((row) => ({ dueAt: row.dueDate, amountMicros: row.amountMicros })),
    indexNowMicros: input.indexMicros,
    indexAtOriginationMicros: input.indexMicros,
    redistributionFeeBps: input.redistributionFeeBps,
    indexTrendMicrosPerDay: input.indexTrendMicrosPerDay,
    maintenanceBps: input.maintenanceBps,
    horizonDays: input.horizonDays,
  });
}

// ───────────────────────────── Suggested terms ─────────────────────────────

export type FacilityOption = { id: string; name: string; lenderName: string; limitMicros: bigint; headroomMicros: bigint; defaultAprBps: number };

/**
 * The facility an approval is suggested on: among those with headroom for the principal, the one
 * with the most (ties by name); null when none can take it.
 */
export function suggestFacility(facilities: readonly FacilityOption[], principalMicros: bigint): FacilityOption | null {
  const fitting = facilities.filter((facility) => facility.headroomMicros >= principalMicros);
  fitting.sort((a, b) => (a.headroomMicros === b.headroomMicros ? a.name.localeCompare(b.name) : a.headroomMicros > b.headroomMicros ? -1 : 1));
  return fitting[0] ?? null;
}

/** The terms prefilled on an application: the suggested facility at its default APR, the multiplier asked for, the default thresholds. */
export function suggestApprovalTerms(application: { principalMicros: bigint; multiplierBps: number }, facilities: readonly FacilityOption[]): ParsedApprovalTerms | null {
  const facility = suggestFacility(facilities, application.principalMicros);
  if (!facility) return null;
  return {
    facilityId: facility.id,
    aprBps: facility.defaultAprBps,
    multiplierBps: Math.min(MAX_APPROVAL_MULTIPLIER_BPS, Math.max(MIN_APPROVAL_MULTIPLIER_BPS, application.multiplierBps)),
    ...DEFAULT_THRESHOLDS,
    earlyWarningBps: [...DEFAULT_EARLY_WARNING_BPS],
    autoFreeze: false,
    cureWindowHours: DEFAULT_CURE_WINDOW_HOURS,
    gracePeriodDays: DEFAULT_GRACE_PERIOD_DAYS,
  };
}
