import "@/lib/server/server-only";
import { subDays, format } from "date-fns";
import { OPEN_LOAN_STATES } from "@/lib/domain/loans/lifecycle";
import type { Db } from "@/lib/server/db/client";
import { getCreditBalances } from "@/lib/server/ledger/ledger";

export async function getStartupOverview(db: Db, orgId: string, now: Date) {
  const since = format(subDays(now, 29), "yyyy-MM-dd");
  const [balances, rollups, loan] = await Promise.all([
    getCreditBalances(db, orgId),
    db.usageDaily.findMany({ where: { orgId, day: { gte: since } }, orderBy: { day: "asc" } }),
    db.loan.findFirst({
      where: { startupOrgId: orgId, state: { in: [...OPEN_LOAN_STATES, "SUBMITTED"] } },
      orderBy: { createdAt: "desc" },
      include: { lender: { select: { name: true } }, coverage: { orderBy: { at: "desc" }, take: 1 } },
    }),
  ]);
  const byDay = new Map<string, { day: string; costMicros: bigint; requests: number }>();
  for (let offset = 29; offset >= 0; offset--) {
    const day = format(subDays(now, offset), "yyyy-MM-dd");
    byDay.set(day, { day, costMicros: 0n, requests: 0 });
  }
  for (const row of rollups) {
    const bucket = byDay.get(row.day);
    if (!bucket) continue;
    bucket.costMicros += row.costMicros;
    bucket.requests += row.requests;
  }
  const series = [...byDay.values()];
  const last7 = series.slice(-7).reduce((sum, d) => sum + d.costMicros, 0n);
  const burnPerDayMicros = last7 / 7n;
  const runwayDays = burnPerDayMicros > 0n ? Number(balances.spendableMicros / burnPerDayMicros) : null;
  return { balances, series, burnPerDayMicros, runwayDays, loan };
}

/** A loan of this startup, or null — another organisation's loan id reads as "not found". */
export function findStartupLoan(db: Db, orgId: string, loanId: string) {
  return db.loan.findFirst({
    where: { id: loanId, startupOrgId: orgId },
    include: { lender: { select: { name: true } }, installments: { orderBy: { seq: "asc" } }, coverage: { orderBy: { at: "desc" }, take: 1 } },
  });
}

export function listStartupLoans(db: Db, orgId: string) {
  return db.loan.findMany({ where: { startupOrgId: orgId }, orderBy: { createdAt: "desc" }, include: { lender: { select: { name: true } } } });
}
