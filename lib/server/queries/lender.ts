import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";

/** The lender's own loans only: the organisation is part of the query. */
export async function listLenderLoans(db: Db, lenderOrgId: string) {
  const loans = await db.loan.findMany({
    where: { lenderOrgId },
    orderBy: { activatedAt: "desc" },
    include: { startup: { select: { name: true } }, facility: { select: { name: true } }, coverage: { orderBy: { at: "desc" }, take: 1 } },
  });
  return loans.map((loan) => ({
    id: loan.id,
    reference: loan.reference,
    startupName: loan.startup.name,
    facilityName: loan.facility?.name ?? "—",
    state: loan.state,
    principalMicros: loan.principalMicros,
    debtMicros: loan.principalOutstandingMicros + loan.interestAccruedMicros,
    collateralMicros: loan.coverage[0]?.collateralMicros ?? null,
    coverageBps: loan.coverage[0]?.coverageBps ?? null,
    aprBps: loan.aprBps,
  }));
}

export async function getLenderOverview(db: Db, lenderOrgId: string) {
  const [loans, openAlerts, facilities] = await Promise.all([
    listLenderLoans(db, lenderOrgId),
    db.alert.count({ where: { lenderOrgId, state: "OPEN" } }),
    db.lenderFacility.findMany({ where: { lenderOrgId }, include: { loans: { where: { state: { notIn: ["REJECTED", "SUBMITTED", "WITHDRAWN"] } }, select: { principalOutstandingMicros: true } } } }),
  ]);
  const deployedMicros = facilities.reduce((sum, f) => sum + f.loans.reduce((s, l) => s + l.principalOutstandingMicros, 0n), 0n);
  const limitMicros = facilities.reduce((sum, f) => sum + f.limitMicros, 0n);
  return { loans, openAlerts, deployedMicros, limitMicros };
}
