import "@/lib/server/server-only";
import { z } from "zod";
import { isCollateralLive } from "@/lib/domain/loans/lifecycle";
import { DAILY_INTEREST_DENOMINATOR } from "@/lib/domain/loans/schedule";
import { ceilDiv } from "@/lib/domain/money";
import {
  DAY_MS,
  dayNumber,
  indexTrend,
  projectDaysToMarginCall,
  sevenDayBurnMicrosPerDay,
  utcDay,
  whatIf,
  type ProjectionInput,
  type ProjectionPoint,
  type WhatIfChange,
  type WhatIfResult,
} from "@/lib/domain/valuation";
import { earlyWarningLevels, recentDailySpendMicros } from "@/lib/server/alerts/evaluate";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { loadLoanFigures } from "@/lib/server/loans/figures";

// "Days to margin call" and what-if (DESIGN.md, "Valuation and coverage"): the loan's coverage
// projected day by day from the borrower's 7-day burn (UsageDaily rollups), the unpaid installment
// schedule and the GPU index's 30-day trend, for the lender of the loan and for the startup.

export const DEFAULT_HORIZON_DAYS = 90;
export const INDEX_TREND_WINDOW_DAYS = 30;

export type LoanOutlook = {
  loanId: string;
  reference: string;
  state: string;
  asOf: Date;
  current: { collateralMicros: bigint; frozenMicros: bigint; debtMicros: bigint; markPpm: number; coverageBps: number | null; indexNowMicros: bigint | null };
  thresholds: { earlyWarningBps: number[]; maintenanceBps: number; liquidationBps: number };
  assumptions: {
    /** The last (up to) 7 complete UTC days of spend, oldest first. */
    dailySpendMicros: bigint[];
    burnMicrosPerDay: bigint;
    interestMicrosPerDay: bigint;
    indexTrendMicrosPerDay: bigint;
    indexTrendPpmPerDay: number;
    indexTrendFixCount: number;
    installments: { dueAt: Date; amountMicros: bigint }[];
    horizonDays: number;
  };
  projection: { daysToMarginCall: number | null; marginCallDate: string | null; series: ProjectionPoint[] };
  whatIf: WhatIfResult | null;
};

const micros = z
  .string()
  .trim()
  .regex(/^\d{1,19}$/, "Give whole micro-dollars (digits only).")
  .transform((digits) => BigInt(digits));
const bps = z.number().int().min(-10_000).max(100_000);

/** A what-if from the wire: ratios in bps, money as strings of µUSD. */
export const whatIfChangeSchema = z
  .object({ burnChangeBps: bps.optional(), indexShockBps: bps.optional(), extraRepaymentMicros: micros.optional(), extraPledgeMicros: micros.optional() })
  .strict();

/** Interest per day on today's principal: principal × APR / 365, rounded UP (a forecast leans to the lender). */
export function interestMicrosPerDay(principalOutstandingMicros: bigint, aprBps: number | null): bigint {
  if (!aprBps || principalOutstandingMicros <= 0n) return 0n;
  return ceilDiv(principalOutstandingMicros * BigInt(aprBps), DAILY_INTEREST_DENOMINATOR);
}

/**
 * The outlook of a loan the viewer's organisation is party to (its lender or its startup); any other
 * loan is "not found". `change` adds a what-if beside the baseline.
 */
export async function getLoanOutlook(
  db: Db,
  input: { loanId: string; viewerOrgId: string; now?: Date; horizonDays?: number },
  change?: WhatIfChange,
): Promise<LoanOutlook> {
  const now = input.now ?? new Date();
  const horizonDays = input.horizonDays ?? DEFAULT_HORIZON_DAYS;
  if (!Number.isSafeInteger(horizonDays) || horizonDays < 1 || horizonDays > 730) throw new ApiError(400, "invalid_request", "horizonDays must be a whole number from 1 to 730.", "horizonDays");
  const loan =
    typeof input.loanId === "string" && input.loanId.length > 0 && input.loanId.length <= 64
      ? await db.loan.findFirst({ where: { id: input.loanId, OR: [{ lenderOrgId: input.viewerOrgId }, { startupOrgId: input.viewerOrgId }] } })
      : null;
  if (!loan) throw new ApiError(404, "loan_not_found", `No loan ${String(input.loanId)} here.`, "loanId");
  if (!isCollateralLive(loan.state)) throw new ApiError(409, "loan_not_open", `Loan ${loan.reference} is ${loan.state}: only an open loan has a coverage outlook.`);

  const today = dayNumber(utcDay(now));
  const [figures, dailySpendMicros, installmentRows, fixes] = await Promise.all([
    loadLoanFigures(db, loan, now),
    recentDailySpendMicros(db, { orgId: loan.startupOrgId, now, since: loan.activatedAt }),
    db.installment.findMany({ where: { loanId: loan.id }, select: { dueDate: true, amountMicros: true, paidMicros: true }, orderBy: { seq: "asc" } }),
    db.gpuIndexFix.findMany({ where: { day: { gt: utcDay((today - INDEX_TREND_WINDOW_DAYS) * DAY_MS), lte: utcDay(now) } }, select: { day: true, priceMicrosPerGpuHour: true } }),
  ]);
  const trend = indexTrend(
    fixes.map((fix) => ({ day: fix.day, priceMicros: fix.priceMicrosPerGpuHour })),
    INDEX_TREND_WINDOW_DAYS,
  );
  const installments = installmentRows.filter((row) => row.paidMicros < row.amountMicros && row.dueDate.getTime() > now.getTime()).map((row) => ({ dueAt: row.dueDate, amountMicros: row.amountMicros - row.paidMicros }));
  const burnMicrosPerDay = sevenDayBurnMicrosPerDay(dailySpendMicros);
  const interestPerDay = interestMicrosPerDay(figures.principalOutstandingMicros, loan.aprBps);
  // Without an origination index (or any fix) the mark is par less the fee and does not move.
  const hasIndex = figures.indexNowMicros !== null && loan.indexAtOriginationMicros !== null && loan.indexAtOriginationMicros > 0n;
  const base: ProjectionInput = {
    now,
    collateralMicros: figures.collateralMicros,
    frozenMicros: figures.frozenCollateralMicros,
    debtMicros: figures.debtMicros,
    interestMicrosPerDay: interestPerDay,
    burnMicrosPerDay,
    installments,
    indexNowMicros: hasIndex ? figures.indexNowMicros! : 1n,
    indexAtOriginationMicros: hasIndex ? loan.indexAtOriginationMicros! : 1n,
    redistributionFeeBps: loan.redistributionFeeBps,
    indexTrendMicrosPerDay: hasIndex ? trend.slopeMicrosPerDay : 0n,
    maintenanceBps: loan.maintenanceCoverageBps,
    horizonDays,
  };
  const projection = projectDaysToMarginCall(base);
  let changed: WhatIfResult | null = null;
  if (change) {
    try {
      changed = whatIf(base, change);
    } catch (error) {
      if (error instanceof RangeError) throw new ApiError(400, "invalid_what_if", error.message);
      throw error;
    }
  }
  return {
    loanId: loan.id,
    reference: loan.reference,
    state: loan.state,
    asOf: now,
    current: {
      collateralMicros: figures.collateralMicros,
      frozenMicros: figures.frozenCollateralMicros,
      debtMicros: figures.debtMicros,
      markPpm: figures.markPpm,
      coverageBps: figures.coverageBps,
      indexNowMicros: figures.indexNowMicros,
    },
    thresholds: { earlyWarningBps: earlyWarningLevels(loan), maintenanceBps: loan.maintenanceCoverageBps, liquidationBps: loan.liquidationCoverageBps },
    assumptions: {
      dailySpendMicros,
      burnMicrosPerDay,
      interestMicrosPerDay: interestPerDay,
      indexTrendMicrosPerDay: base.indexTrendMicrosPerDay,
      indexTrendPpmPerDay: hasIndex ? trend.slopePpmPerDay : 0,
      indexTrendFixCount: trend.fixCount,
      installments,
      horizonDays,
    },
    projection,
    whatIf: changed,
  };
}

const str = (value: bigint | null) => (value === null ? null : value.toString());

function serializeSeries(series: ProjectionPoint[]) {
  return series.map((point) => ({
    day: point.day,
    date: point.date,
    collateralMicros: point.collateralMicros.toString(),
    debtMicros: point.debtMicros.toString(),
    indexMicros: point.indexMicros.toString(),
    markPpm: point.markPpm,
    coverageBps: point.coverageBps,
  }));
}

/** The outlook on the wire (and as chart props): money as strings of µUSD, dates as ISO 8601. */
export function serializeLoanOutlook(outlook: LoanOutlook) {
  return {
    loanId: outlook.loanId,
    reference: outlook.reference,
    state: outlook.state,
    asOf: outlook.asOf.toISOString(),
    current: {
      collateralMicros: outlook.current.collateralMicros.toString(),
      frozenMicros: outlook.current.frozenMicros.toString(),
      debtMicros: outlook.current.debtMicros.toString(),
      markPpm: outlook.current.markPpm,
      coverageBps: outlook.current.coverageBps,
      indexNowMicros: str(outlook.current.indexNowMicros),
    },
    thresholds: outlook.thresholds,
    assumptions: {
      dailySpendMicros: outlook.assumptions.dailySpendMicros.map(String),
      burnMicrosPerDay: outlook.assumptions.burnMicrosPerDay.toString(),
      interestMicrosPerDay: outlook.assumptions.interestMicrosPerDay.toString(),
      indexTrendMicrosPerDay: outlook.assumptions.indexTrendMicrosPerDay.toString(),
      indexTrendPpmPerDay: outlook.assumptions.indexTrendPpmPerDay,
      indexTrendFixCount: outlook.assumptions.indexTrendFixCount,
      installments: outlook.assumptions.installments.map((i) => ({ dueAt: i.dueAt.toISOString(), amountMicros: i.amountMicros.toString() })),
      horizonDays: outlook.assumptions.horizonDays,
    },
    projection: { daysToMarginCall: outlook.projection.daysToMarginCall, marginCallDate: outlook.projection.marginCallDate, series: serializeSeries(outlook.projection.series) },
    whatIf: outlook.whatIf
      ? {
          coverageBpsNow: outlook.whatIf.coverageBpsNow,
          markPpmNow: outlook.whatIf.markPpmNow,
          daysToMarginCall: outlook.whatIf.daysToMarginCall,
          marginCallDate: outlook.whatIf.marginCallDate,
          series: serializeSeries(outlook.whatIf.series),
          baseline: outlook.whatIf.baseline,
        }
      : null,
  };
}
