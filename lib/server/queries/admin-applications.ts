import "@/lib/server/server-only";
import { cache } from "react";
import { suggestApprovalTerms, type FacilityOption } from "@/lib/domain/loans/approval-preview";
import { needsSecondApproval, type ParsedApprovalTerms } from "@/lib/domain/loans/approval-terms";
import { DAY_MS, dayNumber, indexTrend, sevenDayBurnMicrosPerDay, utcDay } from "@/lib/domain/valuation";
import { dailyBurnSeries } from "@/lib/domain/valuation/series";
import type { Db } from "@/lib/server/db/client";
import { getCreditBalances } from "@/lib/server/ledger/ledger";
import { readFirstApproval } from "@/lib/server/loans/approve";
import { indexFixOn } from "@/lib/server/loans/figures";
import { listFacilitiesWithHeadroom, ownPledgeableMicros } from "@/lib/server/loans/queries";
import { getFourEyesSetting } from "@/lib/server/settings/platform-settings";

// The admin's approval queue and one application's page: what the borrower spends (UsageDaily
// rollups, never usage events), holds and owes, the facilities it could be lent from, and the
// inputs the approval form's live preview runs the pure approval rules on. Money leaves as strings
// of µUSD, instants as ISO 8601.

export const BURN_DAYS = 90;
export const INDEX_TREND_WINDOW_DAYS = 30;
export const PREVIEW_HORIZON_DAYS = 180;

const s = (value: bigint) => value.toString();

async function namesById(db: Db, ids: (string | null)[]): Promise<Map<string, { name: string; email: string }>> {
  const wanted = [...new Set(ids.filter((id): id is string => id !== null))];
  if (wanted.length === 0) return new Map();
  const users = await db.user.findMany({ where: { id: { in: wanted } }, select: { id: true, name: true, email: true } });
  return new Map(users.map((user) => [user.id, { name: user.name, email: user.email }]));
}

/** The queue: SUBMITTED applications, oldest first, each with its four-eyes state. */
export async function listApplicationQueue(db: Db) {
  const [loans, setting] = await Promise.all([
    db.loan.findMany({ where: { state: "SUBMITTED" }, orderBy: [{ submittedAt: "asc" }, { id: "asc" }], include: { startup: { select: { name: true } } } }),
    getFourEyesSetting(db),
  ]);
  const names = await namesById(db, loans.map((loan) => loan.firstApprovedById));
  return {
    thresholdMicros: s(setting.thresholdMicros),
    thresholdIsDefault: setting.isDefault,
    rows: loans.map((loan) => {
      const firstBy = loan.firstApprovedById && readFirstApproval(loan.firstApprovedTermsJson) ? (names.get(loan.firstApprovedById) ?? { name: "An admin", email: "" }) : null;
      return {
        id: loan.id,
        reference: loan.reference,
        startupName: loan.startup.name,
        principalMicros: s(loan.principalMicros),
        multiplierBps: loan.multiplierBps,
        termMonths: loan.termMonths,
        pledgedMicros: s(loan.pledgedMicros),
        purpose: loan.purpose,
        submittedAt: (loan.submittedAt ?? loan.createdAt).toISOString(),
        needsSecondApproval: needsSecondApproval(loan.principalMicros, setting.thresholdMicros),
        firstApprovedBy: firstBy ? firstBy.name : null,
        firstApprovedAt: firstBy ? (loan.firstApprovedAt?.toISOString() ?? null) : null,
      };
    }),
  };
}

export type ApplicationQueueDto = Awaited<ReturnType<typeof listApplicationQueue>>;
export type ApplicationQueueRowDto = ApplicationQueueDto["rows"][number];

export type TermsDto = ParsedApprovalTerms;

/** The application's reference, or null: the page's cheap existence check (once per request). */
export const findApplicationReference = cache(async (db: Db, loanId: string): Promise<{ id: string; reference: string } | null> => {
  if (typeof loanId !== "string" || loanId.length === 0 || loanId.length > 64) return null;
  return db.loan.findUnique({ where: { id: loanId }, select: { id: true, reference: true } });
});

/** One application with everything the admin decides on; null when there is no such loan. */
export async function getApplicationPage(db: Db, loanId: string, options: { now?: Date } = {}) {
  const now = options.now ?? new Date();
  if (typeof loanId !== "string" || loanId.length === 0 || loanId.length > 64) return null;
  const loan = await db.loan.findUnique({ where: { id: loanId }, include: { startup: { select: { id: true, name: true } }, lender: { select: { name: true } }, facility: { select: { name: true } } } });
  if (!loan) return null;

  const today = dayNumber(utcDay(now));
  const fromDay = utcDay((today - BURN_DAYS) * DAY_MS);
  const toDay = utcDay((today - 1) * DAY_MS);
  const [balances, ownMicros, otherLoans, burnRows, facilities, setting, indexMicros, fixes] = await Promise.all([
    getCreditBalances(db, loan.startupOrgId),
    ownPledgeableMicros(db, loan.startupOrgId),
    db.loan.findMany({ where: { startupOrgId: loan.startupOrgId, id: { not: loan.id } }, orderBy: [{ createdAt: "desc" }, { id: "desc" }], include: { lender: { select: { name: true } } }, take: 50 }),
    db.usageDaily.groupBy({ by: ["day"], where: { orgId: loan.startupOrgId, day: { gte: fromDay, lte: toDay } }, _sum: { costMicros: true }, orderBy: { day: "asc" } }),
    listFacilitiesWithHeadroom(db),
    getFourEyesSetting(db),
    indexFixOn(db, now),
    db.gpuIndexFix.findMany({ where: { day: { gt: utcDay((today - INDEX_TREND_WINDOW_DAYS) * DAY_MS), lte: utcDay(now) } }, select: { day: true, priceMicrosPerGpuHour: true } }),
  ]);
  const burn = dailyBurnSeries(
    burnRows.map((row) => ({ day: row.day, costMicros: row._sum.costMicros ?? 0n })),
    fromDay,
    toDay,
  );
  const sevenDayBurn = sevenDayBurnMicrosPerDay(burn.map((point) => point.spendMicros));
  const trend = indexTrend(
    fixes.map((fix) => ({ day: fix.day, priceMicros: fix.priceMicrosPerGpuHour })),
    INDEX_TREND_WINDOW_DAYS,
  );
  const facilityOptions: FacilityOption[] = facilities.map(({ facility, lenderName, headroomMicros }) => ({
    id: facility.id,
    name: facility.name,
    lenderName,
    limitMicros: facility.limitMicros,
    headroomMicros,
    defaultAprBps: facility.defaultAprBps,
  }));
  const first = readFirstApproval(loan.firstApprovedTermsJson);
  const names = await namesById(db, [first ? loan.firstApprovedById : null, loan.decidedById]);
  const firstBy = first && loan.firstApprovedById ? (names.get(loan.firstApprovedById) ?? { name: "An admin", email: "" }) : null;
  const suggested = first?.terms ?? suggestApprovalTerms(loan, facilityOptions);

  return {
    asOf: now.toISOString(),
    application: {
      id: loan.id,
      reference: loan.reference,
      state: loan.state,
      startupName: loan.startup.name,
      principalMicros: s(loan.principalMicros),
      multiplierBps: loan.multiplierBps,
      termMonths: loan.termMonths,
      pledgedMicros: s(loan.pledgedMicros),
      purpose: loan.purpose,
      plannedBurnMicrosPerDay: loan.plannedBurnMicrosPerDay === null ? null : s(loan.plannedBurnMicrosPerDay),
      redistributionFeeBps: loan.redistributionFeeBps,
      submittedAt: (loan.submittedAt ?? loan.createdAt).toISOString(),
      decidedAt: loan.decidedAt?.toISOString() ?? null,
      decidedBy: loan.decidedById ? (names.get(loan.decidedById)?.name ?? "An admin") : null,
      rejectionReason: loan.rejectionReason,
      lenderName: loan.lender?.name ?? null,
      facilityName: loan.facility?.name ?? null,
      aprBps: loan.aprBps,
    },
    fourEyes: {
      thresholdMicros: s(setting.thresholdMicros),
      isRequired: needsSecondApproval(loan.principalMicros, setting.thresholdMicros),
      firstApproval: firstBy && first ? { byUserId: loan.firstApprovedById!, byName: firstBy.name, byEmail: firstBy.email, at: loan.firstApprovedAt?.toISOString() ?? null, terms: first.terms } : null,
    },
    balances: {
      spendableMicros: s(balances.spendableMicros),
      heldMicros: s(balances.heldMicros),
      frozenMicros: s(balances.frozenMicros),
      pledgedMicros: s(balances.pledgedMicros),
      financedMicros: s(balances.financedMicros),
      ownPledgeableMicros: s(ownMicros),
    },
    loans: otherLoans.map((other) => ({
      id: other.id,
      reference: other.reference,
      state: other.state,
      lenderName: other.lender?.name ?? null,
      principalMicros: s(other.principalMicros),
      principalOutstandingMicros: s(other.principalOutstandingMicros),
      lastCoverageBps: other.lastCoverageBps,
      activatedAt: other.activatedAt?.toISOString() ?? null,
      closedAt: other.closedAt?.toISOString() ?? null,
      submittedAt: (other.submittedAt ?? other.createdAt).toISOString(),
    })),
    burn: {
      points: burn.map((point) => ({ day: point.day, spendMicros: s(point.spendMicros), sevenDayAvgMicros: s(point.sevenDayAvgMicros) })),
      sevenDayBurnMicros: s(sevenDayBurn),
    },
    index: {
      nowMicros: indexMicros === null ? null : s(indexMicros),
      trendMicrosPerDay: s(trend.slopeMicrosPerDay),
      trendPpmPerDay: trend.slopePpmPerDay,
      trendFixCount: trend.fixCount,
    },
    facilities: facilityOptions.map((facility) => ({ ...facility, limitMicros: s(facility.limitMicros), headroomMicros: s(facility.headroomMicros) })),
    suggestedTerms: suggested,
    previewHorizonDays: PREVIEW_HORIZON_DAYS,
  };
}

export type ApplicationPageDto = NonNullable<Awaited<ReturnType<typeof getApplicationPage>>>;
export type FacilityDto = ApplicationPageDto["facilities"][number];
