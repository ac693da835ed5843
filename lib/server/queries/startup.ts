import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";

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
