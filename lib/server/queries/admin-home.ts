import "@/lib/server/server-only";
import { coverageBands, coverageDistribution } from "@/lib/domain/valuation/portfolio";
import type { Db } from "@/lib/server/db/client";
import { getPlatformLoanBook } from "./admin-loans";
import { getAdminQueueSummary } from "./admin-queue";

const s = (micros: bigint) => micros.toString();

/**
 * The admin's home: what waits on them (applications, repayment notices, purchases), the platform's
 * book at today's mark (every lender's open loans, the same figures as their own desks), and the
 * size of the platform. Money leaves as µUSD strings.
 */
export async function getAdminHome(db: Db, now = new Date()) {
  const since = new Date(now.getTime() - 30 * 86_400_000).toISOString().slice(0, 10);
  const [queue, book, organizationsByKind, users, disabledUsers, usage30d] = await Promise.all([
    getAdminQueueSummary(db),
    getPlatformLoanBook(db, { now }),
    db.organization.groupBy({ by: ["kind"], _count: { _all: true } }),
    db.user.count(),
    db.user.count({ where: { isDisabled: true } }),
    // From the daily rollup, never a scan of the usage events.
    db.usageDaily.aggregate({ where: { day: { gte: since } }, _sum: { requests: true, costMicros: true } }),
  ]);
  const open = book.loans.filter((loan) => loan.isOpen);
  const distribution = coverageDistribution(
    open.map((loan) => ({ coverageBps: loan.coverageBps, debtMicros: loan.debtMicros! })),
    coverageBands(),
  );
  const kinds = Object.fromEntries(organizationsByKind.map((row) => [row.kind, row._count._all])) as Record<string, number>;
  const summary = book.summary;
  return {
    asOf: book.asOf.toISOString(),
    queue,
    book: {
      lenders: book.lenders.length,
      openLoans: summary.openLoans,
      totalDebtMicros: s(summary.totalDebtMicros),
      collateralValueMicros: s(summary.collateralValueMicros),
      debtWeightedCoverageBps: summary.debtWeightedCoverageBps,
      uncoveredDebtMicros: s(summary.uncoveredDebtMicros),
      loansByWatchStatus: summary.loansByWatchStatus,
    },
    distribution: distribution.map((band) => ({ fromBps: band.fromBps, toBps: band.toBps, zone: band.zone, loans: band.loans, debtMicros: s(band.debtMicros) })),
    platform: {
      startups: kinds.STARTUP ?? 0,
      lenders: kinds.LENDER ?? 0,
      users,
      disabledUsers,
      requests30d: usage30d._sum.requests ?? 0,
      spend30dMicros: s(usage30d._sum.costMicros ?? 0n),
    },
  };
}

export type AdminHomeDto = Awaited<ReturnType<typeof getAdminHome>>;
