import "@/lib/server/server-only";
import { isCollateralLive, OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { accrueInterest } from "@/lib/domain/loans/schedule";
import { coverageBps as computeCoverageBps, DAY_MS, dayNumber, indexTrend, markRatioToPpm, sevenDayBurnMicrosPerDay, utcDay, valueAtMarkMicros } from "@/lib/domain/valuation";
import { portfolioDaysToMarginCall } from "@/lib/domain/valuation/portfolio-projection";
import {
  coverageBands,
  coverageDistribution,
  recentDailySeries,
  summarisePortfolio,
  watchStatusOf,
  type CoverageBandTotal,
  type PortfolioSummary,
} from "@/lib/domain/valuation/portfolio";
import { earlyWarningLevels } from "@/lib/server/alerts/evaluate";
import type { Db } from "@/lib/server/db/client";
import { all, big, providerOfDb, runReadProgram, sqliteDateText } from "@/lib/server/db/sql-program";
import { indexFixOn, loanMark } from "@/lib/server/loans/figures";
import { DEFAULT_HORIZON_DAYS, INDEX_TREND_WINDOW_DAYS, interestMicrosPerDay } from "@/lib/server/valuation/outlook";

// The lender's whole book for the Portfolio page, in a constant number of queries whatever its
// size (no per-loan round trip): the loans, their lots' sums, the index (today's fix and the
// 30-day trend), the borrowers' last 7 days of spend from the UsageDaily rollups, the unpaid
// installments within the projection's horizon, open alerts per loan, and each open loan's
// coverage at the end of each of the last 30 days (one index seek per loan and day, in the
// database). Each loan's figures are then computed as loadLoanFigures computes them
// (lib/server/loans/figures.ts) and its days to margin call as getLoanOutlook projects them
// (lib/server/valuation/outlook.ts); the db test holds both to it. Every query names the lender's
// organisation, so another lender's loans never appear.

export const SPARKLINE_DAYS = 30;
const DISBURSED_STATES = [...OPEN_LOAN_STATES, "REPAID", "LIQUIDATED"];

export type PortfolioLoan = {
  id: string;
  reference: string;
  startupName: string;
  facilityName: string | null;
  state: string;
  /** The state, or EARLY_WARNING for an ACTIVE loan below its highest early-warning level. */
  watchStatus: string;
  isOpen: boolean;
  maintenanceBps: number;
  liquidationBps: number;
  earlyWarningBps: number[];
  cureDeadline: Date | null;
  openAlerts: number;
  /** Open loans only (null once closed). */
  figures: {
    debtMicros: bigint;
    collateralMicros: bigint;
    frozenMicros: bigint;
    collateralValueMicros: bigint;
    markPpm: number;
    /** null = infinite (no debt). */
    coverageBps: number | null;
    burnMicrosPerDay: bigint;
    /** First day of the projection below maintenance (0 = already below); null = not within the horizon. */
    daysToMarginCall: number | null;
    marginCallDate: string | null;
  } | null;
  /** The earliest unpaid installment (open loans), overdue or not. */
  nextInstallment: { seq: number; dueAt: Date; amountMicros: bigint; isOverdue: boolean } | null;
  /** Open loans: coverage at the end of each of the last SPARKLINE_DAYS UTC days (the last stored snapshot by then), oldest first, ending today; null = none yet (or infinite). Closed loans: []. */
  coverageDailyBps: (number | null)[];
};

export type LenderPortfolio = {
  asOf: Date;
  indexNowMicros: bigint | null;
  horizonDays: number;
  sparklineLastDay: string;
  summary: PortfolioSummary & { openAlerts: number };
  distribution: CoverageBandTotal[];
  /** Worst coverage first: open loans by coverage (∞ last), then closed loans. */
  loans: PortfolioLoan[];
};

/** What the page reads of a loan: the figures' inputs and the table's labels, nothing else (a thousand full rows cost 3× as much). */
const LOAN_FIELDS = {
  id: true,
  reference: true,
  startupOrgId: true,
  state: true,
  principalOutstandingMicros: true,
  interestAccruedMicros: true,
  interestAccruedThrough: true,
  interestCarry: true,
  aprBps: true,
  activatedAt: true,
  indexAtOriginationMicros: true,
  redistributionFeeBps: true,
  maintenanceCoverageBps: true,
  liquidationCoverageBps: true,
  earlyWarningBps: true,
  cureDeadline: true,
  startup: { select: { name: true } },
  facility: { select: { name: true } },
} as const;

type PortfolioLoanRow = { interestAccruedThrough: Date | null; activatedAt: Date | null; aprBps: number | null; principalOutstandingMicros: bigint; interestCarry: bigint };

/** Interest accrued since the loan's last stored accrual, exactly as loadLoanFigures adds it (figures.ts, accrualSince). */
function interestSince(loan: PortfolioLoanRow, now: Date): bigint {
  const from = loan.interestAccruedThrough ?? loan.activatedAt;
  if (!from || loan.aprBps === null || loan.principalOutstandingMicros === 0n || now <= from) return 0n;
  return accrueInterest({ principalOutstandingMicros: loan.principalOutstandingMicros, aprBps: loan.aprBps, from, to: now, remainder: loan.interestCarry }).interestMicros;
}

/** The last complete days' spend of the borrowers of the lender's open loans, per borrower and UTC day, from the UsageDaily rollups. */
function dailySpend(db: Db, lenderOrgId: string, fromDay: string, toDay: string): Promise<{ orgId: string; day: string; costMicros: unknown }[]> {
  const sql = `SELECT u."orgId" AS "orgId", u."day" AS "day", SUM(u."costMicros") AS "costMicros"
    FROM "UsageDaily" u
    WHERE u."orgId" IN (SELECT l."startupOrgId" FROM "Loan" l WHERE l."lenderOrgId" = ? AND l."state" IN (${OPEN_LOAN_STATES.map(() => "?").join(", ")}))
      AND u."day" >= ? AND u."day" <= ?
    GROUP BY u."orgId", u."day"`;
  return runReadProgram(
    db,
    (function* () {
      return yield* all<{ orgId: string; day: string; costMicros: unknown }>(sql, [lenderOrgId, ...OPEN_LOAN_STATES, fromDay, toDay]);
    })(),
  );
}

type DailyCloseRow = { loanId: string; closes: string | null };

/**
 * Each open loan's coverage at the end of each of the `days` UTC days ending today: the last stored
 * snapshot before that day's end (so a day without a new snapshot carries the one before). One
 * index seek per loan and day on (loanId, at), whatever the number of snapshots a day (the monitor
 * may write one a minute): never a scan of them. One row per loan, "slot:bps" pairs joined by
 * commas (an empty bps = no snapshot yet, or infinite coverage).
 */
function dailyCoverageCloses(db: Db, lenderOrgId: string, dayEnds: Date[]): Promise<DailyCloseRow[]> {
  const openStates = OPEN_LOAN_STATES.map(() => "?").join(", ");
  const close = `(SELECT s."coverageBps" FROM "CoverageSnapshot" s WHERE s."loanId" = l."id" AND s."at" < d."dayEnd" ORDER BY s."at" DESC LIMIT 1)`;
  const isPostgres = providerOfDb(db) === "postgresql";
  const sql = isPostgres
    ? `SELECT c."loanId" AS "loanId", string_agg(c."slot" || ':' || COALESCE(c."closeBps"::text, ''), ',') AS "closes"
       FROM (SELECT l."id" AS "loanId", d."slot" - 1 AS "slot", ${close} AS "closeBps"
             FROM "Loan" l CROSS JOIN unnest(CAST(? AS timestamp[])) WITH ORDINALITY AS d("dayEnd", "slot")
             WHERE l."lenderOrgId" = ? AND l."state" IN (${openStates})) c
       GROUP BY c."loanId"`
    : `WITH d AS (SELECT CAST(key AS INTEGER) AS "slot", value AS "dayEnd" FROM json_each(?))
       SELECT c."loanId" AS "loanId", group_concat(c."slot" || ':' || COALESCE(c."closeBps", ''), ',') AS "closes"
       FROM (SELECT l."id" AS "loanId", d."slot" AS "slot", ${close} AS "closeBps"
             FROM "Loan" l, d
             WHERE l."lenderOrgId" = ? AND l."state" IN (${openStates})) c
       GROUP BY c."loanId"`;
  // The day ends as each database compares DateTime: timestamp text in UTC (PostgreSQL), Prisma's ISO text (SQLite).
  const ends = isPostgres ? dayEnds.map((end) => end.toISOString().replace("Z", "")) : JSON.stringify(dayEnds.map(sqliteDateText));
  return runReadProgram(
    db,
    (function* () {
      return yield* all<DailyCloseRow>(sql, [ends, lenderOrgId, ...OPEN_LOAN_STATES]);
    })(),
  );
}

/** "0:12050,1:,2:12100" → [12050, null, 12100] (slots in any order; missing ones null). */
export function parseDailyCloses(closes: string | null, days: number): (number | null)[] {
  const slots: (number | null)[] = Array.from({ length: days }, () => null);
  for (const pair of closes ? closes.split(",") : []) {
    const [slot, bps] = pair.split(":");
    const index = Number(slot);
    if (Number.isInteger(index) && index >= 0 && index < days && bps) slots[index] = Number(bps);
  }
  return slots;
}

export async function getLenderPortfolio(db: Db, lenderOrgId: string, options: { now?: Date; horizonDays?: number } = {}): Promise<LenderPortfolio> {
  const now = options.now ?? new Date();
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const today = dayNumber(utcDay(now));
  const sparklineLastDay = utcDay(now);
  // The end of each of the sparkline's days: midnight after it, UTC (the last one is tonight).
  const dayEnds = Array.from({ length: SPARKLINE_DAYS }, (_, slot) => new Date((today - SPARKLINE_DAYS + 2 + slot) * DAY_MS));
  const openLoanWhere = { lenderOrgId, state: { in: [...OPEN_LOAN_STATES] } };

  const loans = await db.loan.findMany({ where: { lenderOrgId, state: { in: DISBURSED_STATES } }, select: LOAN_FIELDS });
  const open = loans.filter((loan) => isCollateralLive(loan.state));
  const burnFrom = utcDay((today - 7) * DAY_MS);
  const burnTo = utcDay((today - 1) * DAY_MS);

  const [lots, indexNowMicros, trendFixes, spend, installments, alerts, closes] = await Promise.all([
    db.creditLot.groupBy({ by: ["loanId"], where: { loan: openLoanWhere, kind: { in: ["FINANCED", "PLEDGED"] } }, _sum: { remainingMicros: true, frozenMicros: true } }),
    indexFixOn(db, now),
    db.gpuIndexFix.findMany({ where: { day: { gt: utcDay((today - INDEX_TREND_WINDOW_DAYS) * DAY_MS), lte: utcDay(now) } }, select: { day: true, priceMicrosPerGpuHour: true } }),
    open.length === 0 ? Promise.resolve([]) : dailySpend(db, lenderOrgId, burnFrom, burnTo),
    db.installment.findMany({
      where: { loan: openLoanWhere, paidMicros: { lt: db.installment.fields.amountMicros }, dueDate: { lte: new Date(now.getTime() + horizonDays * DAY_MS) } },
      select: { loanId: true, seq: true, dueDate: true, amountMicros: true, paidMicros: true },
      orderBy: [{ loanId: "asc" }, { seq: "asc" }],
    }),
    db.alert.groupBy({ by: ["loanId"], where: { lenderOrgId, state: "OPEN" }, _count: { _all: true } }),
    dailyCoverageCloses(db, lenderOrgId, dayEnds),
  ]);

  const lotsByLoan = new Map(lots.map((row) => [row.loanId, row._sum]));
  const spendByOrg = new Map<string, Map<string, bigint>>();
  for (const row of spend) {
    const days = spendByOrg.get(row.orgId) ?? new Map<string, bigint>();
    days.set(row.day, (days.get(row.day) ?? 0n) + big(row.costMicros));
    spendByOrg.set(row.orgId, days);
  }
  const installmentsByLoan = new Map<string, typeof installments>();
  for (const row of installments) installmentsByLoan.set(row.loanId, [...(installmentsByLoan.get(row.loanId) ?? []), row]);
  const alertsByLoan = new Map(alerts.map((row) => [row.loanId, row._count._all]));
  const closesByLoan = new Map(closes.map((row) => [row.loanId, row.closes]));
  const trend = indexTrend(
    trendFixes.map((fix) => ({ day: fix.day, priceMicros: fix.priceMicrosPerGpuHour })),
    INDEX_TREND_WINDOW_DAYS,
  );

  const rows: PortfolioLoan[] = loans.map((loan) => {
    const isOpen = isCollateralLive(loan.state);
    const earlyWarningBps = earlyWarningLevels(loan);
    const base = {
      id: loan.id,
      reference: loan.reference,
      startupName: loan.startup.name,
      facilityName: loan.facility?.name ?? null,
      state: loan.state,
      isOpen,
      maintenanceBps: loan.maintenanceCoverageBps,
      liquidationBps: loan.liquidationCoverageBps,
      earlyWarningBps,
      cureDeadline: loan.cureDeadline,
      openAlerts: alertsByLoan.get(loan.id) ?? 0,
    };
    if (!isOpen) return { ...base, watchStatus: loan.state, figures: null, nextInstallment: null, coverageDailyBps: [] };

    // As loadLoanFigures: collateral from the lots, debt accrued to now, the mark from today's fix.
    const sums = lotsByLoan.get(loan.id);
    const collateralMicros = sums?.remainingMicros ?? 0n;
    const frozenMicros = sums?.frozenMicros ?? 0n;
    const debtMicros = loan.principalOutstandingMicros + loan.interestAccruedMicros + interestSince(loan, now);
    // The exact mark decides (DESIGN.md: rounded once, at the end); its ppm floor is for display.
    const mark = loanMark(loan, indexNowMicros);
    const markPpm = markRatioToPpm(mark);
    const coverageBps = computeCoverageBps({ collateralMicros, mark, debtMicros });

    // As getLoanOutlook: 7-day burn from the rollups, unpaid installments ahead, the index trend.
    const burnMicrosPerDay = sevenDayBurnMicrosPerDay(recentDailySeries(spendByOrg.get(loan.startupOrgId) ?? new Map(), { now, since: loan.activatedAt }));
    const unpaid = installmentsByLoan.get(loan.id) ?? [];
    const hasIndex = indexNowMicros !== null && loan.indexAtOriginationMicros !== null && loan.indexAtOriginationMicros > 0n;
    const projection = portfolioDaysToMarginCall({
      now,
      collateralMicros,
      frozenMicros,
      debtMicros,
      interestMicrosPerDay: interestMicrosPerDay(loan.principalOutstandingMicros, loan.aprBps),
      burnMicrosPerDay,
      installments: unpaid.filter((row) => row.dueDate.getTime() > now.getTime()).map((row) => ({ dueAt: row.dueDate, amountMicros: row.amountMicros - row.paidMicros })),
      indexNowMicros: hasIndex ? indexNowMicros! : 1n,
      indexAtOriginationMicros: hasIndex ? loan.indexAtOriginationMicros! : 1n,
      redistributionFeeBps: loan.redistributionFeeBps,
      indexTrendMicrosPerDay: hasIndex ? trend.slopeMicrosPerDay : 0n,
      maintenanceBps: loan.maintenanceCoverageBps,
      horizonDays,
    });
    const next = unpaid[0];
    return {
      ...base,
      watchStatus: watchStatusOf({ state: loan.state, coverageBps, earlyWarningBps }),
      figures: {
        debtMicros,
        collateralMicros,
        frozenMicros,
        collateralValueMicros: valueAtMarkMicros(collateralMicros, mark),
        markPpm,
        coverageBps,
        burnMicrosPerDay,
        daysToMarginCall: projection.daysToMarginCall,
        marginCallDate: projection.marginCallDate,
      },
      coverageDailyBps: parseDailyCloses(closesByLoan.get(loan.id) ?? null, SPARKLINE_DAYS),
      nextInstallment: next ? { seq: next.seq, dueAt: next.dueDate, amountMicros: next.amountMicros - next.paidMicros, isOverdue: next.dueDate.getTime() < now.getTime() } : null,
    };
  });

  rows.sort(worstCoverageFirst);
  const openFigures = rows.flatMap((row) => (row.figures ? [{ ...row.figures, state: row.state, earlyWarningBps: row.earlyWarningBps }] : []));
  return {
    asOf: now,
    indexNowMicros,
    horizonDays,
    sparklineLastDay,
    summary: { ...summarisePortfolio(openFigures), openAlerts: alerts.reduce((sum, row) => sum + row._count._all, 0) },
    distribution: coverageDistribution(openFigures, coverageBands()),
    loans: rows,
  };
}

/** Open loans by coverage, lowest first (∞ after every finite one), then closed loans; ties by reference. */
export function worstCoverageFirst(a: PortfolioLoan, b: PortfolioLoan): number {
  const rank = (row: PortfolioLoan) => (row.figures === null ? Infinity : (row.figures.coverageBps ?? Number.MAX_VALUE));
  const x = rank(a);
  const y = rank(b);
  if (x !== y) return x < y ? -1 : 1;
  return a.reference < b.reference ? -1 : a.reference > b.reference ? 1 : 0;
}

// ───────────────────────────── On the wire ─────────────────────────────

const s = (value: bigint) => value.toString();

/** The portfolio as the page's client components take it: money as strings of µUSD, instants as ISO 8601. */
export function serializePortfolio(portfolio: LenderPortfolio) {
  const { summary } = portfolio;
  return {
    asOf: portfolio.asOf.toISOString(),
    indexNowMicros: portfolio.indexNowMicros === null ? null : s(portfolio.indexNowMicros),
    horizonDays: portfolio.horizonDays,
    sparklineDays: SPARKLINE_DAYS,
    sparklineLastDay: portfolio.sparklineLastDay,
    summary: {
      openLoans: summary.openLoans,
      totalDebtMicros: s(summary.totalDebtMicros),
      collateralMicros: s(summary.collateralMicros),
      collateralValueMicros: s(summary.collateralValueMicros),
      debtWeightedCoverageBps: summary.debtWeightedCoverageBps,
      expectedRecoveryMicros: s(summary.expectedRecoveryMicros),
      uncoveredDebtMicros: s(summary.uncoveredDebtMicros),
      loansByWatchStatus: summary.loansByWatchStatus,
      openAlerts: summary.openAlerts,
    },
    distribution: portfolio.distribution.map((band) => ({ fromBps: band.fromBps, toBps: band.toBps, zone: band.zone, loans: band.loans, debtMicros: s(band.debtMicros) })),
    loans: portfolio.loans.map((loan) => ({
      id: loan.id,
      reference: loan.reference,
      startupName: loan.startupName,
      facilityName: loan.facilityName,
      state: loan.state,
      watchStatus: loan.watchStatus,
      isOpen: loan.isOpen,
      maintenanceBps: loan.maintenanceBps,
      liquidationBps: loan.liquidationBps,
      cureDeadline: loan.cureDeadline?.toISOString() ?? null,
      openAlerts: loan.openAlerts,
      debtMicros: loan.figures ? s(loan.figures.debtMicros) : null,
      collateralMicros: loan.figures ? s(loan.figures.collateralMicros) : null,
      collateralValueMicros: loan.figures ? s(loan.figures.collateralValueMicros) : null,
      markPpm: loan.figures?.markPpm ?? null,
      coverageBps: loan.figures?.coverageBps ?? null,
      burnMicrosPerDay: loan.figures ? s(loan.figures.burnMicrosPerDay) : null,
      daysToMarginCall: loan.figures?.daysToMarginCall ?? null,
      marginCallDate: loan.figures?.marginCallDate ?? null,
      nextInstallment: loan.nextInstallment ? { dueAt: loan.nextInstallment.dueAt.toISOString(), amountMicros: s(loan.nextInstallment.amountMicros), isOverdue: loan.nextInstallment.isOverdue } : null,
      coverageDailyBps: loan.coverageDailyBps,
    })),
  };
}

export type LenderPortfolioDto = ReturnType<typeof serializePortfolio>;
export type PortfolioLoanDto = LenderPortfolioDto["loans"][number];
export type CoverageBandDto = LenderPortfolioDto["distribution"][number];
