import "@/lib/server/server-only";
import { roleForOrgKind, type OrgKind } from "@/lib/domain/auth/permissions";
import { generateTemporaryPassword, hashPassword, verifyPassword } from "@/lib/server/auth/passwords";
import { revokeUserSessions } from "@/lib/server/auth/sessions";
import type { Db } from "@/lib/server/db/client";
import { ApiError } from "@/lib/server/http/errors";
import { recordAudit } from "./audit";

// Users as an admin makes them and as they take over their own account. A temporary password
// leaves these functions once, in their answer; it is stored only as its argon2 hash and never
// written to the audit log (which records who, what and the flags that changed).

function isUniqueViolation(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "P2002";
}

function emailTaken(email: string) {
  return new ApiError(409, "email_taken", `${email} already has an account.`, "email");
}

/** A new user in an organisation, with the role its kind gives, and a temporary password to change at first sign-in. */
export async function createUser(db: Db, input: { actorUserId: string; orgId: string; name: string; email: string }) {
  const email = input.email.trim().toLowerCase();
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  try {
    const user = await db.$transaction(async (tx) => {
      const org = await tx.organization.findUnique({ where: { id: input.orgId } });
      if (!org) throw new ApiError(404, "org_not_found", "No such organisation.", "orgId");
      if (await tx.user.findUnique({ where: { email }, select: { id: true } })) throw emailTaken(email);
      const role = roleForOrgKind(org.kind as OrgKind);
      const created = await tx.user.create({ data: { orgId: org.id, email, name: input.name, role, passwordHash, mustChangePassword: true } });
      await recordAudit(tx, {
        orgId: org.id,
        actorUserId: input.actorUserId,
        actorKind: "user",
        action: "user.created",
        targetType: "User",
        targetId: created.id,
        detail: { before: null, after: { email, name: created.name, role, orgName: org.name, mustChangePassword: true } },
      });
      return created;
    });
    return { user, temporaryPassword };
  } catch (error) {
    if (isUniqueViolation(error)) throw emailTaken(email);
    throw error;
  }
}

/**
 * A new temporary password for a user who lost theirs: the old one stops working, every open
 * session of theirs ends on its next request, and they must choose a password at sign-in.
 */
export async function resetUserPassword(db: Db, input: { actorUserId: string; userId: string; now?: Date }) {
  if (input.userId === input.actorUserId) throw new ApiError(400, "cannot_reset_self", "You cannot reset your own password: change it on your account page (/account/password).");
  const temporaryPassword = generateTemporaryPassword();
  const passwordHash = await hashPassword(temporaryPassword);
  const now = input.now ?? new Date();
  const user = await db.$transaction(async (tx) => {
    const before = await tx.user.findUnique({ where: { id: input.userId } });
    if (!before) throw new ApiError(404, "user_not_found", "No such user.");
    const updated = await tx.user.update({ where: { id: before.id }, data: { passwordHash, mustChangePassword: true, sessionsRevokedAt: now } });
    await revokeUserSessions(tx, { userId: before.id, now });
    await recordAudit(tx, {
      orgId: before.orgId,
      actorUserId: input.actorUserId,
      actorKind: "user",
      action: "user.password_reset",
      targetType: "User",
      targetId: before.id,
      detail: {
        email: before.email,
        before: { mustChangePassword: before.mustChangePassword, sessionsRevokedAt: before.sessionsRevokedAt?.toISOString() ?? null },
        after: { mustChangePassword: true, sessionsRevokedAt: now.toISOString() },
      },
    });
    return updated;
  });
  return { user, temporaryPassword };
}

/**
 * The signed-in user replaces their password (the temporary one, or any other): the current one
 * must match and the new one must differ from it. Clears mustChangePassword. Every other session
 * of theirs ends (whoever knew the old password is signed out); the one they changed it in
 * (`keepSessionId`) goes on.
 */
export async function changeOwnPassword(db: Db, input: { userId: string; currentPassword: string; newPassword: string; keepSessionId: string; now?: Date }) {
  const user = await db.user.findUnique({ where: { id: input.userId } });
  if (!user || user.isDisabled) throw new ApiError(401, "unauthenticated", "Sign in to continue.");
  if (!(await verifyPassword(user.passwordHash, input.currentPassword))) throw new ApiError(400, "wrong_password", "The current password is not right.", "currentPassword");
  if (input.currentPassword === input.newPassword) throw new ApiError(400, "password_unchanged", "Choose a new password, different from the current one.", "newPassword");
  const passwordHash = await hashPassword(input.newPassword);
  return db.$transaction(async (tx) => {
    // Compare-and-set on the hash: two changes at once cannot both pass the check above.
    const { count } = await tx.user.updateMany({ where: { id: user.id, passwordHash: user.passwordHash }, data: { passwordHash, mustChangePassword: false } });
    if (count !== 1) throw new ApiError(409, "password_changed_meanwhile", "Your password was changed meanwhile; sign in again.");
    await revokeUserSessions(tx, { userId: user.id, now: input.now ?? new Date(), exceptSessionId: input.keepSessionId });
    await recordAudit(tx, {
      orgId: user.orgId,
      actorUserId: user.id,
      actorKind: "user",
      action: "user.password_changed",
      targetType: "User",
      targetId: user.id,
      detail: { email: user.email, before: { mustChangePassword: user.mustChangePassword }, after: { mustChangePassword: false } },
    });
    return tx.user.findUniqueOrThrow({ where: { id: user.id } });
  });
}
