import "@/lib/server/server-only";
import type { Role } from "@/lib/domain/auth/permissions";
import { roleForOrgKind } from "@/lib/domain/auth/permissions";
import { revokeUserSessions } from "@/lib/server/auth/sessions";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "./audit";

/**
 * Disables or re-enables a user. Takes effect on the user's next request: the guard reads the
 * user from the database every time, and disabling also ends every session they hold (so
 * enabling them again does not revive an old one). An admin cannot disable themselves.
 */
export async function setUserDisabled(db: Db, input: { actorUserId: string; userId: string; isDisabled: boolean }) {
  if (input.userId === input.actorUserId && input.isDisabled) throw new ApiError(400, "cannot_disable_self", "You cannot disable your own account: another admin has to do it.");
  return db.$transaction(async (tx) => {
    const user = await tx.user.findUnique({ where: { id: input.userId } });
    if (!user) throw new ApiError(404, "user_not_found", "No such user.");
    if (user.isDisabled === input.isDisabled) return user;
    const now = new Date();
    const updated = await tx.user.update({ where: { id: user.id }, data: { isDisabled: input.isDisabled, ...(input.isDisabled ? { sessionsRevokedAt: now } : {}) } });
    if (input.isDisabled) await revokeUserSessions(tx, { userId: user.id, now });
    await recordAudit(tx, {
      orgId: user.orgId,
      actorUserId: input.actorUserId,
      actorKind: "user",
      action: input.isDisabled ? "user.disabled" : "user.enabled",
      targetType: "User",
      targetId: user.id,
      detail: {
        email: user.email,
        before: { isDisabled: user.isDisabled, sessionsRevokedAt: user.sessionsRevokedAt?.toISOString() ?? null },
        after: { isDisabled: updated.isDisabled, sessionsRevokedAt: updated.sessionsRevokedAt?.toISOString() ?? null },
      },
    });
    return updated;
  });
}

/** A role must match the organisation's kind: startups hold startup users, and so on. */
export async function assertRoleFitsOrg(db: Db, orgId: string, role: Role) {
  const org = await db.organization.findUnique({ where: { id: orgId } });
  if (!org) throw new ApiError(404, "org_not_found", "No such organisation.");
  if (roleForOrgKind(org.kind as "STARTUP" | "LENDER" | "PLATFORM") !== role) {
    throw new ApiError(400, "role_mismatch", `A ${org.kind.toLowerCase()} organisation's users must have the ${roleForOrgKind(org.kind as never)} role.`);
  }
}
