import "@/lib/server/server-only";
import type { Db } from "@/lib/server/db/client";
import { listFacilityRows, type FacilityDto } from "./lender-settings";

export type AdminUserDto = {
  id: string;
  email: string;
  name: string;
  role: string;
  isDisabled: boolean;
  mustChangePassword: boolean;
  createdAt: string;
  lastLoginAt: string | null;
};

export type AdminOrganizationDto = {
  id: string;
  name: string;
  slug: string;
  kind: "STARTUP" | "LENDER" | "PLATFORM";
  createdAt: string;
  users: AdminUserDto[];
  /** Lenders only (empty for the others): each facility with what is deployed on it. */
  facilities: FacilityDto[];
};

/**
 * Organisations (all, or the one `orgId`) by kind then name, each with its users by email and, for
 * lenders, its facilities with deployed and available amounts. Dates leave as ISO strings, money
 * as µUSD strings; no password hash is read.
 */
export async function listOrganizationsWithUsers(db: Db, options: { orgId?: string } = {}): Promise<AdminOrganizationDto[]> {
  const orgs = await db.organization.findMany({
    where: options.orgId ? { id: options.orgId } : undefined,
    orderBy: [{ kind: "asc" }, { name: "asc" }],
    include: {
      users: {
        orderBy: { email: "asc" },
        select: { id: true, email: true, name: true, role: true, isDisabled: true, mustChangePassword: true, createdAt: true, lastLoginAt: true },
      },
    },
  });
  const facilities = new Map(await Promise.all(orgs.filter((org) => org.kind === "LENDER").map(async (org) => [org.id, await listFacilityRows(db, org.id)] as const)));
  return orgs.map((org) => ({
    id: org.id,
    name: org.name,
    slug: org.slug,
    kind: org.kind as AdminOrganizationDto["kind"],
    createdAt: org.createdAt.toISOString(),
    users: org.users.map((user) => ({ ...user, createdAt: user.createdAt.toISOString(), lastLoginAt: user.lastLoginAt?.toISOString() ?? null })),
    facilities: facilities.get(org.id) ?? [],
  }));
}

export type AuditPerson = { name: string; email: string };

/**
 * One audit entry with its actor by name: the user who acted, or the lender API token that acted
 * (its name, prefix and the user who made it), or the system. `user` is null for a user id that no
 * longer names anyone (shown as such, never as a bare id).
 */
export type AuditEntryView = {
  id: string;
  at: Date;
  action: string;
  targetType: string;
  targetId: string | null;
  detailJson: string;
  actorKind: string;
  orgName: string | null;
  user: AuditPerson | null;
  token: { name: string; prefix: string; createdBy: AuditPerson | null } | null;
};

/** The latest entries, newest first, with each actor's name and email (two reads, whatever `take`). */
export async function listAuditLog(db: Db, take = 200): Promise<AuditEntryView[]> {
  const rows = await db.auditLog.findMany({
    orderBy: [{ at: "desc" }, { id: "desc" }],
    take,
    include: { org: { select: { name: true } }, actorToken: { select: { name: true, prefix: true, createdById: true } } },
  });
  const userIds = new Set<string>();
  for (const row of rows) {
    if (row.actorUserId) userIds.add(row.actorUserId);
    if (row.actorToken?.createdById) userIds.add(row.actorToken.createdById);
  }
  const users = userIds.size ? await db.user.findMany({ where: { id: { in: [...userIds] } }, select: { id: true, name: true, email: true } }) : [];
  const byId = new Map(users.map((user) => [user.id, { name: user.name, email: user.email }]));
  return rows.map((row) => ({
    id: row.id,
    at: row.at,
    action: row.action,
    targetType: row.targetType,
    targetId: row.targetId,
    detailJson: row.detailJson,
    actorKind: row.actorKind,
    orgName: row.org?.name ?? null,
    user: row.actorUserId ? (byId.get(row.actorUserId) ?? null) : null,
    token: row.actorToken ? { name: row.actorToken.name, prefix: row.actorToken.prefix, createdBy: row.actorToken.createdById ? (byId.get(row.actorToken.createdById) ?? null) : null } : null,
  }));
}
