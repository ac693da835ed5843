import "@/lib/server/server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { can, type Permission, type Role } from "@/lib/domain/auth/permissions";
import { db } from "@/lib/server/db/client";
import { AuthError } from "./errors";
import { authOptions } from "./options";

export type Viewer = {
  userId: string;
  email: string;
  name: string;
  role: Role;
  orgId: string;
  orgName: string;
  orgKind: "STARTUP" | "LENDER" | "PLATFORM";
  /** Signed in with a temporary password (a new user, or after an admin's reset): only /account/password works. */
  mustChangePassword: boolean;
};

/** Where a user who must change their temporary password is sent, and the only page they can use. */
export const CHANGE_PASSWORD_PATH = "/account/password";
export const CHANGE_PASSWORD_FIRST = "Change your temporary password first.";

/**
 * The signed-in user as the database sees them right now (once per request): a disabled user or
 * a deleted one is nobody, a changed role is the new role.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = (await getServerSession(authOptions)) as { userId?: string; authTimeMs?: number } | null;
  if (!session?.userId) return null;
  const user = await db.user.findUnique({ where: { id: session.userId }, include: { org: true } });
  if (!user || user.isDisabled) return null;
  // Disabling a user voids every session they had, even after they are enabled again.
  if (user.sessionsRevokedAt && (session.authTimeMs ?? 0) < user.sessionsRevokedAt.getTime()) return null;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    orgId: user.orgId,
    orgName: user.org.name,
    orgKind: user.org.kind as Viewer["orgKind"],
    mustChangePassword: user.mustChangePassword,
  };
});

/** For pages and layouts: anonymous → /login, a temporary password → /account/password, signed in without the permission → 403 page. */
export async function requirePageViewer(permission?: Permission): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) redirect("/login");
  if (viewer.mustChangePassword) redirect(CHANGE_PASSWORD_PATH);
  if (permission && !can(viewer.role, permission)) forbidden();
  return viewer;
}

export { AuthError };

/** For server actions and route handlers: throws AuthError (401/403, or 403 until a temporary password is changed) instead of redirecting. */
export async function requireViewer(permission: Permission): Promise<Viewer> {
  const viewer = await getViewer();
  if (!viewer) throw new AuthError(401, "Sign in to continue.");
  if (viewer.mustChangePassword) throw new AuthError(403, CHANGE_PASSWORD_FIRST);
  if (!can(viewer.role, permission)) throw new AuthError(403, "Your role does not allow this.");
  return viewer;
}
