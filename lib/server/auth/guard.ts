import "@/lib/server/server-only";
import { cache } from "react";
import { getServerSession } from "next-auth";
import { forbidden, redirect } from "next/navigation";
import { can, type Permission, type Role } from "@/lib/domain/auth/permissions";
import { db } from "@/lib/server/db/client";
import { AuthError } from "./errors";
import { authOptions } from "./options";
import { findSignedInSession, recallSignedIn } from "./sessions";

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
  /** The server-side session this request's cookie names (the sessions list's "This device"). */
  sessionId: string;
};

/** Where a user who must change their temporary password is sent, and the only page they can use. */
export const CHANGE_PASSWORD_PATH = "/account/password";
export const CHANGE_PASSWORD_FIRST = "Change your temporary password first.";

/**
 * The signed-in user as the database sees them right now (once per request): a session that was
 * signed out, revoked or has expired is nobody, so is a disabled or deleted user; a changed role is
 * the new role. One query: next-auth's session callback reads the session row with its user and
 * organisation, and that read comes back here with the session object.
 */
export const getViewer = cache(async (): Promise<Viewer | null> => {
  const session = (await getServerSession(authOptions)) as { userId?: string; sessionId?: string } | null;
  if (!session) return null;
  // Without the callback's read (a session object from elsewhere, as in tests), the same check runs here.
  const signedIn = recallSignedIn(session) ?? (await findSignedInSession(db, { userId: session.userId, sessionId: session.sessionId, now: new Date() }));
  if (!signedIn) return null;
  const { user } = signedIn;
  return {
    userId: user.id,
    email: user.email,
    name: user.name,
    role: user.role as Role,
    orgId: user.orgId,
    orgName: user.org.name,
    orgKind: user.org.kind as Viewer["orgKind"],
    mustChangePassword: user.mustChangePassword,
    sessionId: signedIn.sessionId,
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
