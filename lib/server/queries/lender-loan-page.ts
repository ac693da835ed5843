import "@/lib/server/server-only";
import { cache } from "react";
import { isCollateralLive } from "@/lib/domain/loans/lifecycle";
import { valueAtMarkMicros } from "@/lib/domain/valuation/coverage";
import { DAY_MS, utcDay } from "@/lib/domain/valuation/days";
import type { ProjectionInput } from "@/lib/domain/valuation/projection";
import { dailyBurnSeries, dayBuckets, marginCallPeriods, type Bucket } from "@/lib/domain/valuation/series";
import { projectionInputToDto, type ProjectionInputDto } from "@/lib/domain/valuation/what-if-inputs";
import { alertDatesOnWire } from "@/lib/server/alerts/service";
import type { Db } from "@/lib/server/db/client";
import { all, big, date, get, num, numOrNull, queryPgStatement, runReadProgram, type SqlProgram } from "@/lib/server/db/sql-program";
import { ApiError } from "@/lib/server/http/errors";
import { loanScopeWhere, type LoanScope } from "@/lib/server/queries/lender-loans";
import { getLoanOutlook } from "@/lib/server/valuation/outlook";
import { findLoanAuditRows, resolveActors, toAuditEntry, type AuditActorDto, type AuditEntryDto } from "./audit";
import { installmentOnWire, paymentOnWire } from "./loan-rows";

// What the lender's loan page shows besides the live figures of getLenderLoanOrThrow: the chart
// series (stored coverage snapshots, downsampled when there are many; UsageDaily rollups; GPU
// index fixes — never raw usage events), the loan's tables, and the projection's inputs for the
// what-if panel. Every read is bounded (a limit, a day range, or one index seek per bucket), so
// the page costs the same for a borrower with a million usage events and a loan with a million
// snapshots. Scoped to the lender (another lender's loan is a 404), or to the platform for admins.

/** Up to this many snapshots, the chart gets every one of them; beyond, one per day (or wider). */
export const EXACT_SNAPSHOT_LIMIT = 1_000;
/** The downsampled coverage series has at most this many points (two years of days). */
export const MAX_COVERAGE_POINTS = 730;
/** Newest rows of each table; a loan's history rarely comes near. */
export const TABLE_ROW_LIMIT = 500;
export const PROJECTION_HORIZON_DAYS = 90;
/**
 * Buckets per statement (SQLite allows 500 terms in a compound SELECT). Every statement has exactly
 * this many terms — a short last chunk is padded with empty ranges — so there is one SQL text to
 * prepare and cache, whatever the loan's age.
 */
const BUCKETS_PER_STATEMENT = 128;
const SNAPSHOT_COLUMNS = `"at", "collateralMicros", "debtMicros", "markPpm", "coverageBps"`;
const LAST_IN_BUCKETS_SQL = Array.from(
  { length: BUCKETS_PER_STATEMENT },
  (_, j) => `SELECT * FROM (SELECT ${SNAPSHOT_COLUMNS} FROM "CoverageSnapshot" WHERE "loanId" = ? AND "at" >= ? AND "at" < ? ORDER BY "at" DESC LIMIT 1) AS "b${j}"`,
).join(" UNION ALL ");
const NEWEST_SQL = `SELECT ${SNAPSHOT_COLUMNS} FROM "CoverageSnapshot" WHERE "loanId" = ? ORDER BY "at" DESC LIMIT ?`;
const OLDEST_SQL = `SELECT "at" FROM "CoverageSnapshot" WHERE "loanId" = ? ORDER BY "at" ASC LIMIT 1`;
const NEWEST_AT_SQL = `SELECT "at" FROM "CoverageSnapshot" WHERE "loanId" = ? ORDER BY "at" DESC LIMIT 1`;
const BEYOND_LIMIT_SQL = `SELECT "at" FROM "CoverageSnapshot" WHERE "loanId" = ? ORDER BY "at" DESC LIMIT 1 OFFSET ?`;

const s = (value: bigint | null | undefined) => (value === null || value === undefined ? null : value.toString());

type SnapshotRow = { at: Date; collateralMicros: bigint; debtMicros: bigint; markPpm: number; coverageBps: number | null };

const toSnapshot = (row: Record<string, unknown>): SnapshotRow => ({ at: date(row.at), collateralMicros: big(row.collateralMicros), debtMicros: big(row.debtMicros), markPpm: num(row.markPpm), coverageBps: numOrNull(row.coverageBps) });

/**
 * PostgreSQL: the same selection in one named statement (planned once per connection), a LATERAL
 * index seek per bucket — the 128-term UNION costs PostgreSQL more to plan than to run. Bounds are
 * UTC wall times, as Prisma stores DateTime in timestamp(3).
 */
const PG_LAST_IN_BUCKETS = {
  name: "loan-page-coverage-last-in-buckets",
  sql: `SELECT s."at", s."collateralMicros", s."debtMicros", s."markPpm", s."coverageBps" FROM unnest($2::timestamp[], $3::timestamp[]) AS b(lo, hi) CROSS JOIN LATERAL (SELECT ${SNAPSHOT_COLUMNS} FROM "CoverageSnapshot" WHERE "loanId" = $1 AND "at" >= b.lo AND "at" < b.hi ORDER BY "at" DESC LIMIT 1) AS s`,
};
const pgTimestamp = (ms: number) => new Date(ms).toISOString().replace("Z", "");

function* lastInBucketsProgram(loanId: string, buckets: readonly Bucket[]): SqlProgram<Record<string, unknown>[]> {
  const rows: Record<string, unknown>[] = [];
  for (let i = 0; i < buckets.length; i += BUCKETS_PER_STATEMENT) {
    const chunk = buckets.slice(i, i + BUCKETS_PER_STATEMENT);
    const params: unknown[] = chunk.flatMap((bucket) => [loanId, new Date(bucket.fromMs), new Date(bucket.toMs)]);
    // Padding: an empty range [0, 0) finds nothing.
    for (let j = chunk.length; j < BUCKETS_PER_STATEMENT; j++) params.push(loanId, new Date(0), new Date(0));
    rows.push(...(yield* all(LAST_IN_BUCKETS_SQL, params)));
  }
  return rows;
}

/**
 * Every snapshot when there are at most EXACT_SNAPSHOT_LIMIT; otherwise the latest of each UTC day
 * (or of each few days, for a loan older than two years), each found by one index seek on
 * (loanId, at) that reads one row however many snapshots its day holds. Plain SQL: Prisma's row
 * decoding costs more than the reads themselves here.
 */
export async function loadCoverageSeries(db: Db, loanId: string): Promise<{ points: SnapshotRow[]; downsampledToDays: number | null }> {
  // One index step past the limit tells which case this is, without reading the rows.
  const beyondLimit = await runReadProgram(db, get(BEYOND_LIMIT_SQL, [loanId, EXACT_SNAPSHOT_LIMIT]));
  if (!beyondLimit) {
    const rows = await runReadProgram(db, all(NEWEST_SQL, [loanId, EXACT_SNAPSHOT_LIMIT]));
    return { points: rows.map(toSnapshot).reverse(), downsampledToDays: null };
  }
  const [oldest, newest] = await runReadProgram(
    db,
    (function* () {
      return [yield* get(OLDEST_SQL, [loanId]), yield* get(NEWEST_AT_SQL, [loanId])];
    })(),
  );
  const { widthDays, buckets } = dayBuckets(date(oldest!.at).getTime(), date(newest!.at).getTime(), MAX_COVERAGE_POINTS);
  const rows =
    (await queryPgStatement(db, PG_LAST_IN_BUCKETS, [loanId, buckets.map((b) => pgTimestamp(b.fromMs)), buckets.map((b) => pgTimestamp(b.toMs))])) ??
    (await runReadProgram(db, lastInBucketsProgram(loanId, buckets)));
  return { points: rows.map(toSnapshot).sort((a, b) => a.at.getTime() - b.at.getTime()), downsampledToDays: widthDays };
}

export type LenderLoanPageDto = Awaited<ReturnType<typeof getLenderLoanPageOrThrow>>;
export type CoveragePointDto = LenderLoanPageDto["coverage"]["points"][number];
export type BurnPointDto = LenderLoanPageDto["burn"]["points"][number];
export type IndexPointDto = LenderLoanPageDto["gpuIndex"]["points"][number];
export type InstallmentRowDto = LenderLoanPageDto["installments"][number];
export type PaymentRowDto = LenderLoanPageDto["payments"][number];
export type AlertRowDto = LenderLoanPageDto["alerts"][number];
export type FreezeRowDto = LenderLoanPageDto["freezes"][number];
export type { AuditActorDto, AuditEntryDto, ProjectionInputDto };

/**
 * The loan page's series, tables and projection inputs for one of the lender's loans (money as µUSD
 * strings, instants as ISO 8601). Another lender's loan, or no loan, is an ApiError 404.
 */
export async function getLenderLoanPageOrThrow(db: Db, lenderOrgId: string, loanId: string, options: { now?: Date } = {}) {
  return getLoanPageOrThrow(db, { kind: "lender", lenderOrgId }, loanId, options);
}

/**
 * The loan page's series, tables and projection inputs for a loan within the scope: one lender's
 * (the lender's page) or the platform's (the admin's read-only page). Outside the scope, a 404.
 */
export async function getLoanPageOrThrow(db: Db, scope: LoanScope, loanId: string, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  const loan =
    typeof loanId === "string" && loanId.length > 0 && loanId.length <= 64
      ? await db.loan.findFirst({ where: { id: loanId, ...loanScopeWhere(scope) }, include: { startup: { select: { name: true } } } })
      : null;
  if (!loan) throw new ApiError(404, "loan_not_found", `No loan ${String(loanId)} here.`, "loanId");
  // The loan's own lender: its alerts, its API tokens' names, its outlook (the platform reads them as the lender would).
  const lenderOrgId = scope.kind === "lender" ? scope.lenderOrgId : loan.lenderOrgId;

  const isOpen = isCollateralLive(loan.state);
  // The series run from activation to today (an open loan) or to the day it closed.
  const endMs = loan.closedAt && !isOpen ? Math.min(loan.closedAt.getTime(), now.getTime()) : now.getTime();
  const fromDay = loan.activatedAt ? utcDay(loan.activatedAt) : null;
  const endDay = utcDay(endMs);
  // The burn counts complete days only: the open loan's series ends yesterday, like the 7-day burn.
  const burnToDay = isOpen ? utcDay(now.getTime() - DAY_MS) : endDay;

  const [coverage, burnRows, fixes, installments, payments, alerts, freezes, outlook] = await Promise.all([
    loadCoverageSeries(db, loan.id),
    fromDay
      ? db.usageDaily.groupBy({ by: ["day"], where: { orgId: loan.startupOrgId, day: { gte: fromDay, lte: burnToDay } }, _sum: { costMicros: true }, orderBy: { day: "asc" } })
      : Promise.resolve([]),
    fromDay
      ? db.gpuIndexFix.findMany({ where: { day: { gte: fromDay, lte: endDay } }, orderBy: { day: "asc" }, select: { day: true, priceMicrosPerGpuHour: true }, take: 4_000 })
      : Promise.resolve([]),
    db.installment.findMany({ where: { loanId: loan.id }, orderBy: { seq: "asc" } }),
    db.payment.findMany({ where: { loanId: loan.id }, orderBy: { paidAt: "desc" }, take: TABLE_ROW_LIMIT }),
    db.alert.findMany({ where: { loanId: loan.id, ...(lenderOrgId ? { lenderOrgId } : {}) }, orderBy: { openedAt: "desc" }, take: TABLE_ROW_LIMIT }),
    db.freezeEvent.findMany({ where: { loanId: loan.id }, orderBy: { committedAt: "desc" }, take: TABLE_ROW_LIMIT }),
    isOpen && lenderOrgId ? getLoanOutlook(db, { loanId: loan.id, viewerOrgId: lenderOrgId, now, horizonDays: PROJECTION_HORIZON_DAYS }) : Promise.resolve(null),
  ]);
  const auditRows = await findLoanAuditRows(db, { loanId: loan.id, alertIds: alerts.map((alert) => alert.id), limit: TABLE_ROW_LIMIT });
  // Everyone named on the page (freezes, payments, acknowledgements, the audit trail) in two reads.
  const paymentActors = payments.map((payment) => ({ actorKind: payment.recordedById ? "user" : "system", actorUserId: payment.recordedById }));
  const alertActors = alerts.map((alert) => ({ actorKind: "user", actorUserId: alert.acknowledgedById }));
  const actorOf = await resolveActors<{ actorKind: string; actorUserId: string | null; actorTokenId?: string | null; detailJson?: string }>(db, [...freezes, ...auditRows, ...paymentActors, ...alertActors], { tokenOrgId: lenderOrgId ?? "" });

  const points = coverage.points.map((point) => ({
    at: point.at.toISOString(),
    coverageBps: point.coverageBps,
    collateralMicros: point.collateralMicros.toString(),
    debtMicros: point.debtMicros.toString(),
    valueAtMarkMicros: valueAtMarkMicros(point.collateralMicros, point.markPpm).toString(),
    markPpm: point.markPpm,
  }));
  const periods = marginCallPeriods(
    coverage.points.map((point) => ({ atMs: point.at.getTime(), coverageBps: point.coverageBps })),
    { maintenanceBps: loan.maintenanceCoverageBps, endMs },
  );
  const burn = fromDay ? dailyBurnSeries(burnRows.map((row) => ({ day: row.day, costMicros: row._sum.costMicros ?? 0n })), fromDay, burnToDay) : [];

  let projection: { inputs: ProjectionInputDto; daysToMarginCall: number | null; marginCallDate: string | null; indexTrendPpmPerDay: number; indexTrendFixCount: number } | null = null;
  if (outlook) {
    const assumptions = outlook.assumptions;
    // As getLoanOutlook builds it: without an origination index (or any fix) the mark holds at par less the fee.
    const hasIndex = outlook.current.indexNowMicros !== null && loan.indexAtOriginationMicros !== null && loan.indexAtOriginationMicros > 0n;
    const base: ProjectionInput = {
      now,
      collateralMicros: outlook.current.collateralMicros,
      frozenMicros: outlook.current.frozenMicros,
      debtMicros: outlook.current.debtMicros,
      interestMicrosPerDay: assumptions.interestMicrosPerDay,
      burnMicrosPerDay: assumptions.burnMicrosPerDay,
      installments: assumptions.installments,
      indexNowMicros: hasIndex ? outlook.current.indexNowMicros! : 1n,
      indexAtOriginationMicros: hasIndex ? loan.indexAtOriginationMicros! : 1n,
      redistributionFeeBps: loan.redistributionFeeBps,
      indexTrendMicrosPerDay: assumptions.indexTrendMicrosPerDay,
      maintenanceBps: loan.maintenanceCoverageBps,
      horizonDays: assumptions.horizonDays,
    };
    projection = {
      inputs: projectionInputToDto(base),
      daysToMarginCall: outlook.projection.daysToMarginCall,
      marginCallDate: outlook.projection.marginCallDate,
      indexTrendPpmPerDay: assumptions.indexTrendPpmPerDay,
      indexTrendFixCount: assumptions.indexTrendFixCount,
    };
  }

  return {
    loanId: loan.id,
    reference: loan.reference,
    startupName: loan.startup.name,
    state: loan.state,
    asOf: now.toISOString(),
    activatedAt: loan.activatedAt?.toISOString() ?? null,
    closedAt: loan.closedAt?.toISOString() ?? null,
    coverage: {
      points,
      /** null: every stored snapshot; n: the last snapshot of each n-day bucket. */
      downsampledToDays: coverage.downsampledToDays,
      marginCallPeriods: periods.map((period) => ({ from: new Date(period.fromMs).toISOString(), to: new Date(period.toMs).toISOString(), isOpen: period.isOpen })),
    },
    burn: {
      points: burn.map((point) => ({ day: point.day, spendMicros: point.spendMicros.toString(), sevenDayAvgMicros: point.sevenDayAvgMicros.toString() })),
      /** The 7-day burn the projection uses (null for a closed loan). */
      sevenDayBurnMicros: s(outlook?.assumptions.burnMicrosPerDay),
    },
    gpuIndex: {
      points: fixes.map((fix) => ({ day: fix.day, priceMicros: fix.priceMicrosPerGpuHour.toString() })),
      originationDay: fromDay,
      originationMicros: s(loan.indexAtOriginationMicros),
      nowMicros: s(outlook?.current.indexNowMicros ?? fixes.at(-1)?.priceMicrosPerGpuHour),
    },
    installments: installments.map((row) => ({ ...installmentOnWire(row, loan, now), paidAt: row.paidAt?.toISOString() ?? null, storedStatus: row.status })),
    payments: payments.map((row) => ({
      ...paymentOnWire(row),
      /** The admin who recorded the cash received; none for a liquidation's proceeds (the platform's own). */
      recordedBy: row.recordedById ? actorOf({ actorKind: "user", actorUserId: row.recordedById }).label : "Blockable (automatic)",
    })),
    alerts: alerts.map((row) => ({
      id: row.id,
      kind: row.kind,
      severity: row.severity,
      state: row.state,
      message: row.message,
      coverageBps: row.coverageBps,
      ...alertDatesOnWire(row),
      acknowledgedBy: row.acknowledgedById ? actorOf({ actorKind: "user", actorUserId: row.acknowledgedById }).label : null,
    })),
    freezes: freezes.map((row) => ({
      id: row.id,
      action: row.action,
      mode: row.mode,
      requestedMicros: s(row.requestedMicros),
      amountMicros: row.amountMicros.toString(),
      reason: row.reason,
      actor: actorOf(row),
      requestedAt: row.requestedAt.toISOString(),
      committedAt: row.committedAt.toISOString(),
      latencyMs: row.latencyMs,
    })),
    audit: auditRows.map((row) => toAuditEntry(row, actorOf)),
    projection,
  };
}

/**
 * The lender's loan's reference, or null when the loan is not this lender's (or does not exist):
 * the loan page's cheap ownership check before anything streams. Once per request (React cache).
 */
export const findLenderLoanReference = cache(async (db: Db, lenderOrgId: string, loanId: string): Promise<{ id: string; reference: string } | null> => {
  if (typeof loanId !== "string" || loanId.length === 0 || loanId.length > 64) return null;
  return db.loan.findFirst({ where: { id: loanId, lenderOrgId }, select: { id: true, reference: true } });
});
