import "@/lib/server/server-only";
import { isCollateralLive, OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import { accrueInterest } from "@/lib/domain/loans/schedule";
import { coverageBps as computeCoverageBps, DAY_MS, dayNumber, indexTrend, markRatioToPpm, sevenDayBurnMicrosPerDay, utcDay, valueAtMarkMicros } from "@/lib/domain/valuation";
import { portfolioDaysToMarginCall } from "@/lib/domain/valuation/portfolio-projection";
import {
  coverageBands,
  coverageDistribution,
  recentDailySeriesWindow,
  summarisePortfolio,
  watchStatusOf,
  type CoverageBandTotal,
  type PortfolioSummary,
} from "@/lib/domain/valuation/portfolio";
import { DEFAULT_PORTFOLIO_VIEW, portfolioPage, selectPortfolioRows, type PortfolioRowFields, type PortfolioView } from "@/lib/domain/valuation/portfolio-view";
import { earlyWarningLevels } from "@/lib/server/alerts/evaluate";
import type { Db } from "@/lib/server/db/client";
import { all, big, providerOfDb, runReadProgram, sqliteDateText } from "@/lib/server/db/sql-program";
import { indexFixOn, loanMark } from "@/lib/server/loans/figures";
import { DEFAULT_HORIZON_DAYS, INDEX_TREND_WINDOW_DAYS, interestMicrosPerDay } from "@/lib/server/valuation/outlook";

// The lender's whole book for the Portfolio page, in a constant number of queries whatever its
// size (no per-loan round trip): the loans, their lots' sums, the index (today's fix and the
// 30-day trend), the borrowers' last 7 days of spend from the UsageDaily rollups, the unpaid
// installments within the projection's horizon and open alerts per loan; then, for the one page
// of the table the analyst looks at, each loan's coverage at the end of each of the last 30 days
// (one index seek per loan and day, in the database). Each loan's figures are computed as
// loadLoanFigures computes them (lib/server/loans/figures.ts) and its days to margin call as
// getLoanOutlook projects them (lib/server/valuation/outlook.ts); the db test holds both to it.
// Every query names the lender's organisation, so another lender's loans never appear.

export const SPARKLINE_DAYS = 30;
/** What a lender's book holds: open, repaid and liquidated loans. */
export const DISBURSED_STATES = [...OPEN_LOAN_STATES, "REPAID", "LIQUIDATED"];

/** One loan of the book with its live figures; a closed loan's figures are null. */
export type PortfolioLoan = PortfolioRowFields & {
  id: string;
  /** The state, or EARLY_WARNING for an ACTIVE loan below its highest early-warning level. */
  watchStatus: string;
  maintenanceBps: number;
  liquidationBps: number;
  earlyWarningBps: number[];
  cureDeadline: Date | null;
  frozenMicros: bigint | null;
  /** ⌊collateral × mark⌋ at the loan's exact mark. */
  collateralValueMicros: bigint | null;
  /** The mark in ppm, rounded down (display only). */
  markPpm: number | null;
  marginCallDate: string | null;
  /** The earliest unpaid installment (open loans), overdue or not. */
  nextInstallment: { seq: number; dueAt: Date; amountMicros: bigint; isOverdue: boolean } | null;
};

/** Coverage at the end of each of the last SPARKLINE_DAYS UTC days (the last stored snapshot by then), oldest first, ending today; null = none yet (or infinite). */
export type CoverageSparkline = (number | null)[];

export type LenderBook = {
  asOf: Date;
  indexNowMicros: bigint | null;
  horizonDays: number;
  summary: PortfolioSummary & { openAlerts: number };
  distribution: CoverageBandTotal[];
  /** Every disbursed loan of the lender (open, repaid, liquidated), worst coverage first. */
  loans: PortfolioLoan[];
};

export type LenderPortfolio = Omit<LenderBook, "loans"> & {
  totalLoans: number;
  /** The view as shown (its page brought within range). */
  view: PortfolioView;
  page: { loans: (PortfolioLoan & { coverageDailyBps: CoverageSparkline })[]; total: number; pageCount: number };
};

/** A closed (or not yet disbursed) loan's live figures: none. */
export const NO_FIGURES = {
  coverageBps: null,
  debtMicros: null,
  collateralMicros: null,
  frozenMicros: null,
  collateralValueMicros: null,
  markPpm: null,
  burnMicrosPerDay: null,
  daysToMarginCall: null,
  marginCallDate: null,
  nextInstallment: null,
  nextInstallmentDueAt: null,
} as const satisfies Partial<PortfolioLoan>;

/** The open loans' figures, as summarisePortfolio and coverageDistribution take them. */
export function openLoanFigures(rows: readonly PortfolioLoan[]) {
  return rows.flatMap((row) =>
    row.isOpen ? [{ state: row.state, earlyWarningBps: row.earlyWarningBps, debtMicros: row.debtMicros!, collateralMicros: row.collateralMicros!, collateralValueMicros: row.collateralValueMicros!, coverageBps: row.coverageBps }] : [],
  );
}

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
 * Each given open loan's coverage at the end of each of the `dayEnds` (UTC midnights): the last
 * stored snapshot before then (so a day without a new snapshot carries the one before). One index
 * seek per loan and day on (loanId, at), whatever the number of snapshots a day (the monitor may
 * write one a minute): never a scan of them. One row per loan, "slot:bps" pairs joined by commas
 * (an empty bps = no snapshot yet, or infinite coverage).
 */
function dailyCoverageCloses(db: Db, lenderOrgId: string, loanIds: readonly string[], dayEnds: Date[]): Promise<DailyCloseRow[]> {
  const ids = loanIds.map(() => "?").join(", ");
  const close = `(SELECT s."coverageBps" FROM "CoverageSnapshot" s WHERE s."loanId" = l."id" AND s."at" < d."dayEnd" ORDER BY s."at" DESC LIMIT 1)`;
  const isPostgres = providerOfDb(db) === "postgresql";
  const sql = isPostgres
    ? `SELECT c."loanId" AS "loanId", string_agg(c."slot" || ':' || COALESCE(c."closeBps"::text, ''), ',') AS "closes"
       FROM (SELECT l."id" AS "loanId", d."slot" - 1 AS "slot", ${close} AS "closeBps"
             FROM "Loan" l CROSS JOIN unnest(CAST(? AS timestamp[])) WITH ORDINALITY AS d("dayEnd", "slot")
             WHERE l."lenderOrgId" = ? AND l."id" IN (${ids})) c
       GROUP BY c."loanId"`
    : `WITH d AS (SELECT CAST(key AS INTEGER) AS "slot", value AS "dayEnd" FROM json_each(?))
       SELECT c."loanId" AS "loanId", group_concat(c."slot" || ':' || COALESCE(c."closeBps", ''), ',') AS "closes"
       FROM (SELECT l."id" AS "loanId", d."slot" AS "slot", ${close} AS "closeBps"
             FROM "Loan" l, d
             WHERE l."lenderOrgId" = ? AND l."id" IN (${ids})) c
       GROUP BY c."loanId"`;
  // The day ends as each database compares DateTime: timestamp text in UTC (PostgreSQL), Prisma's ISO text (SQLite).
  const ends = isPostgres ? dayEnds.map((end) => end.toISOString().replace("Z", "")) : JSON.stringify(dayEnds.map(sqliteDateText));
  return runReadProgram(
    db,
    (function* () {
      return yield* all<DailyCloseRow>(sql, [ends, lenderOrgId, ...loanIds]);
    })(),
  );
}

/**
 * The 30-day coverage line of each of the lender's loans given (the page's, a few dozen at most):
 * one query. Another lender's loan id finds nothing (the lender is in the where).
 */
export async function loadCoverageSparklines(db: Db, lenderOrgId: string, loanIds: readonly string[], now: Date): Promise<Map<string, CoverageSparkline>> {
  if (loanIds.length === 0) return new Map();
  const today = dayNumber(utcDay(now));
  // The end of each of the sparkline's days: midnight after it, UTC (the last one is tonight).
  const dayEnds = Array.from({ length: SPARKLINE_DAYS }, (_, slot) => new Date((today - SPARKLINE_DAYS + 2 + slot) * DAY_MS));
  const rows = await dailyCoverageCloses(db, lenderOrgId, loanIds, dayEnds);
  return new Map(rows.map((row) => [row.loanId, parseDailyCloses(row.closes, SPARKLINE_DAYS)]));
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

/** Every disbursed loan of the lender with its live figures, and the book's KPIs and coverage bands. */
export async function getLenderBook(db: Db, lenderOrgId: string, options: { now?: Date; horizonDays?: number } = {}): Promise<LenderBook> {
  const now = options.now ?? new Date();
  const horizonDays = options.horizonDays ?? DEFAULT_HORIZON_DAYS;
  const today = dayNumber(utcDay(now));
  const openLoanWhere = { lenderOrgId, state: { in: [...OPEN_LOAN_STATES] } };

  const burnFrom = utcDay((today - 7) * DAY_MS);
  const burnTo = utcDay((today - 1) * DAY_MS);

  // All at once (none needs another's answer): on PostgreSQL the loans' round trip overlaps the rest.
  const [loans, lots, indexNowMicros, trendFixes, spend, installments, alerts] = await Promise.all([
    db.loan.findMany({ where: { lenderOrgId, state: { in: DISBURSED_STATES } }, select: LOAN_FIELDS }),
    db.creditLot.groupBy({ by: ["loanId"], where: { loan: openLoanWhere, kind: { in: ["FINANCED", "PLEDGED"] } }, _sum: { remainingMicros: true, frozenMicros: true } }),
    indexFixOn(db, now),
    db.gpuIndexFix.findMany({ where: { day: { gt: utcDay((today - INDEX_TREND_WINDOW_DAYS) * DAY_MS), lte: utcDay(now) } }, select: { day: true, priceMicrosPerGpuHour: true } }),
    // The open loans' borrowers only (the query's own subquery): no open loan, no rows.
    dailySpend(db, lenderOrgId, burnFrom, burnTo),
    db.installment.findMany({
      where: { loan: openLoanWhere, paidMicros: { lt: db.installment.fields.amountMicros }, dueDate: { lte: new Date(now.getTime() + horizonDays * DAY_MS) } },
      select: { loanId: true, seq: true, dueDate: true, amountMicros: true, paidMicros: true },
      orderBy: [{ loanId: "asc" }, { seq: "asc" }],
    }),
    db.alert.groupBy({ by: ["loanId"], where: { lenderOrgId, state: "OPEN" }, _count: { _all: true } }),
  ]);

  const lotsByLoan = new Map(lots.map((row) => [row.loanId, row._sum]));
  const spendByOrg = new Map<string, Map<string, bigint>>();
  for (const row of spend) {
    const days = spendByOrg.get(row.orgId) ?? new Map<string, bigint>();
    days.set(row.day, (days.get(row.day) ?? 0n) + big(row.costMicros));
    spendByOrg.set(row.orgId, days);
  }
  const installmentsByLoan = new Map<string, typeof installments>();
  for (const row of installments) {
    const list = installmentsByLoan.get(row.loanId);
    if (list) list.push(row);
    else installmentsByLoan.set(row.loanId, [row]);
  }
  const alertsByLoan = new Map(alerts.map((row) => [row.loanId, row._count._all]));
  const lastWeekOf = recentDailySeriesWindow(now, 7);
  const trend = indexTrend(
    trendFixes.map((fix) => ({ day: fix.day, priceMicros: fix.priceMicrosPerGpuHour })),
    INDEX_TREND_WINDOW_DAYS,
  );

  // A book's loans share a handful of early-warning settings: each text parsed once (a copy per row).
  const levelsByText = new Map<string, number[]>();
  const earlyWarningOf = (loan: { id: string; earlyWarningBps: string }) => {
    let levels = levelsByText.get(loan.earlyWarningBps);
    if (!levels) levelsByText.set(loan.earlyWarningBps, (levels = earlyWarningLevels(loan)));
    return [...levels];
  };
  // What every row shows, open or not (a closed loan's row is this and nulls).
  const labelsOf = (loan: (typeof loans)[number]) => ({
    id: loan.id,
    reference: loan.reference,
    startupName: loan.startup.name,
    facilityName: loan.facility?.name ?? null,
    state: loan.state,
    maintenanceBps: loan.maintenanceCoverageBps,
    liquidationBps: loan.liquidationCoverageBps,
    cureDeadline: loan.cureDeadline,
    openAlerts: alertsByLoan.get(loan.id) ?? 0,
  });

  const rows: PortfolioLoan[] = loans.map((loan) => {
    const isOpen = isCollateralLive(loan.state);
    const earlyWarningBps = earlyWarningOf(loan);
    if (!isOpen) {
      return {
        ...labelsOf(loan),
        isOpen,
        earlyWarningBps,
        watchStatus: loan.state,
        ...NO_FIGURES,
      };
    }

    // As loadLoanFigures: collateral from the lots, debt accrued to now, the mark from today's fix.
    const sums = lotsByLoan.get(loan.id);
    const collateralMicros = sums?.remainingMicros ?? 0n;
    const frozenMicros = sums?.frozenMicros ?? 0n;
    const debtMicros = loan.principalOutstandingMicros + loan.interestAccruedMicros + interestSince(loan, now);
    // The exact mark decides (DESIGN.md: rounded once, at the end); its ppm floor is for display.
    const mark = loanMark(loan, indexNowMicros);
    const coverageBps = computeCoverageBps({ collateralMicros, mark, debtMicros });

    // As getLoanOutlook: 7-day burn from the rollups, unpaid installments ahead, the index trend.
    const burnMicrosPerDay = sevenDayBurnMicrosPerDay(lastWeekOf(spendByOrg.get(loan.startupOrgId) ?? new Map(), loan.activatedAt));
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
    // The open row in one literal, not a spread of the labels: a thousand of these a render.
    return {
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
      watchStatus: watchStatusOf({ state: loan.state, coverageBps, earlyWarningBps }),
      coverageBps,
      debtMicros,
      collateralMicros,
      frozenMicros,
      collateralValueMicros: valueAtMarkMicros(collateralMicros, mark),
      markPpm: markRatioToPpm(mark),
      burnMicrosPerDay,
      daysToMarginCall: projection.daysToMarginCall,
      marginCallDate: projection.marginCallDate,
      nextInstallment: next ? { seq: next.seq, dueAt: next.dueDate, amountMicros: next.amountMicros - next.paidMicros, isOverdue: next.dueDate.getTime() < now.getTime() } : null,
      nextInstallmentDueAt: next?.dueDate ?? null,
    };
  });

  const openFigures = openLoanFigures(rows);
  return {
    asOf: now,
    indexNowMicros,
    horizonDays,
    summary: { ...summarisePortfolio(openFigures), openAlerts: alerts.reduce((sum, row) => sum + row._count._all, 0) },
    distribution: coverageDistribution(openFigures, coverageBands()),
    loans: selectPortfolioRows(rows, { ...DEFAULT_PORTFOLIO_VIEW, state: "all" }),
  };
}

/**
 * The Portfolio page: the whole book's KPIs and bands, and the one page of the loans table the
 * view asks for, with the 30-day coverage line of just those loans.
 */
export async function getLenderPortfolio(db: Db, lenderOrgId: string, options: { now?: Date; horizonDays?: number; view?: PortfolioView } = {}): Promise<LenderPortfolio> {
  const requested = options.view ?? DEFAULT_PORTFOLIO_VIEW;
  const { loans, ...book } = await getLenderBook(db, lenderOrgId, options);
  const page = portfolioPage(selectPortfolioRows(loans, requested), requested);
  const sparklines = await loadCoverageSparklines(
    db,
    lenderOrgId,
    page.rows.filter((loan) => loan.isOpen).map((loan) => loan.id),
    book.asOf,
  );
  return {
    ...book,
    totalLoans: loans.length,
    view: { ...requested, page: page.page },
    page: {
      loans: page.rows.map((loan) => ({ ...loan, coverageDailyBps: loan.isOpen ? (sparklines.get(loan.id) ?? emptySparkline()) : [] })),
      total: page.total,
      pageCount: page.pageCount,
    },
  };
}

const emptySparkline = (): CoverageSparkline => Array.from({ length: SPARKLINE_DAYS }, () => null);

// ───────────────────────────── On the wire ─────────────────────────────

const s = (value: bigint) => value.toString();
const sOrNull = (value: bigint | null) => (value === null ? null : value.toString());

/** One loan on the wire: money as strings of µUSD, instants as ISO 8601. */
export function serializePortfolioLoan(loan: PortfolioLoan, coverageDailyBps: CoverageSparkline = []) {
  return {
    id: loan.id,
    reference: loan.reference,
    startupName: loan.startupName,
    facilityName: loan.facilityName,
    state: loan.state,
    watchStatus: loan.watchStatus,
    isOpen: loan.isOpen,
    maintenanceBps: loan.maintenanceBps,
    cureDeadline: loan.cureDeadline?.toISOString() ?? null,
    openAlerts: loan.openAlerts,
    debtMicros: sOrNull(loan.debtMicros),
    collateralMicros: sOrNull(loan.collateralMicros),
    collateralValueMicros: sOrNull(loan.collateralValueMicros),
    coverageBps: loan.coverageBps,
    burnMicrosPerDay: sOrNull(loan.burnMicrosPerDay),
    daysToMarginCall: loan.daysToMarginCall,
    marginCallDate: loan.marginCallDate,
    nextInstallment: loan.nextInstallment ? { dueAt: loan.nextInstallment.dueAt.toISOString(), amountMicros: s(loan.nextInstallment.amountMicros), isOverdue: loan.nextInstallment.isOverdue } : null,
    coverageDailyBps,
  };
}

/** A book's totals on the wire: money as strings of µUSD. */
export function serializePortfolioSummary(summary: PortfolioSummary) {
  return {
    openLoans: summary.openLoans,
    totalDebtMicros: s(summary.totalDebtMicros),
    collateralMicros: s(summary.collateralMicros),
    collateralValueMicros: s(summary.collateralValueMicros),
    debtWeightedCoverageBps: summary.debtWeightedCoverageBps,
    expectedRecoveryMicros: s(summary.expectedRecoveryMicros),
    uncoveredDebtMicros: s(summary.uncoveredDebtMicros),
    loansByWatchStatus: summary.loansByWatchStatus,
  };
}

/** The portfolio as the page's client components take it: KPIs, bands and one page of loans. */
export function serializePortfolio(portfolio: LenderPortfolio) {
  const { summary } = portfolio;
  return {
    asOf: portfolio.asOf.toISOString(),
    horizonDays: portfolio.horizonDays,
    totalLoans: portfolio.totalLoans,
    view: portfolio.view,
    summary: { ...serializePortfolioSummary(summary), openAlerts: summary.openAlerts },
    distribution: portfolio.distribution.map((band) => ({ fromBps: band.fromBps, toBps: band.toBps, zone: band.zone, loans: band.loans, debtMicros: s(band.debtMicros) })),
    page: {
      loans: portfolio.page.loans.map((loan) => serializePortfolioLoan(loan, loan.coverageDailyBps)),
      total: portfolio.page.total,
      pageCount: portfolio.page.pageCount,
    },
  };
}

export type LenderPortfolioDto = ReturnType<typeof serializePortfolio>;
export type PortfolioLoanDto = ReturnType<typeof serializePortfolioLoan>;
export type CoverageBandDto = LenderPortfolioDto["distribution"][number];
