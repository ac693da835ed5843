import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";

export async function getAdminOverview(db: Db) {
  const [organizations, users, pendingApplications, activeLoans, usageEvents] = await Promise.all([
    db.organization.count(),
    db.user.count(),
    db.loan.count({ where: { state: "SUBMITTED" } }),
    db.loan.count({ where: { state: { in: ["ACTIVE", "MARGIN_CALL", "FROZEN", "DELINQUENT"] } } }),
    db.usageEvent.count(),
  ]);
  return { organizations, users, pendingApplications, activeLoans, usageEvents };
}

export function listOrganizationsWithUsers(db: Db) {
  return db.organization.findMany({
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    include: { users: { orderBy: { email: "asc" }, select: { id: true, email: true, name: true, role: true, isDisabled: true, lastLoginAt: true } } },
  });
}

export function listAuditLog(db: Db, take = 200) {
  return db.auditLog.findMany({ orderBy: { at: "desc" }, take });
}
