import "@/lib/server/server-only";
import { sessionEndReason, sessionExpiresAt, sessionTouch } from "@/lib/domain/auth/sessions";
import type { Db, DbTx } from "@/lib/server/db/client";
import { recordAudit } from "@/lib/server/services/audit";

// Server-side sessions: each sign-in is a UserSession row whose id the session cookie (a next-auth
// JWT) carries as `sid`. Every request reads the row with its user in one query, so signing out,
// "sign out everywhere", an admin's reset or disable end a copied cookie on its next request.

/** Longest User-Agent kept for the sessions list (only its browser and system are ever shown). */
const MAX_USER_AGENT_LENGTH = 512;

/** Starts the session a successful sign-in gets; answers its id for the session cookie. */
export async function startUserSession(db: Db, input: { userId: string; now: Date; ipAddress: string | null; userAgent: string | null }): Promise<string> {
  const session = await db.userSession.create({
    data: {
      userId: input.userId,
      createdAt: input.now,
      expiresAt: sessionExpiresAt(input.now),
      ipAddress: input.ipAddress,
      userAgent: input.userAgent?.slice(0, MAX_USER_AGENT_LENGTH) || null,
    },
    select: { id: true },
  });
  return session.id;
}

const signedInInclude = { user: { include: { org: true } } } as const;
type SessionWithUser = NonNullable<Awaited<ReturnType<typeof readSession>>>;

function readSession(db: Db, sessionId: string) {
  return db.userSession.findUnique({ where: { id: sessionId }, include: signedInInclude });
}

/** A valid session and the user (with their organisation) it signs in, as the database has them now. */
export type SignedInSession = { sessionId: string; user: SessionWithUser["user"] };

/**
 * The session a request's cookie names, when it is still valid for the user the cookie names: one
 * query (the row, its user and their organisation). A valid session's "last seen" and idle expiry
 * are written at most every few minutes. Null for a missing, revoked or expired session, another
 * user's, or a disabled user's.
 */
export async function findSignedInSession(db: Db, input: { userId: unknown; sessionId: unknown; now: Date }): Promise<SignedInSession | null> {
  if (typeof input.userId !== "string" || typeof input.sessionId !== "string" || !input.userId || !input.sessionId) return null;
  const session = await readSession(db, input.sessionId);
  if (sessionEndReason({ tokenUserId: input.userId, session, user: session?.user ?? null, now: input.now }) !== null) return null;
  const touch = sessionTouch(session!, input.now);
  // Not on a revoked row: a sign-out that lands between the read and this write stays a sign-out.
  if (touch) await db.userSession.updateMany({ where: { id: session!.id, revokedAt: null }, data: touch });
  return { sessionId: session!.id, user: session!.user };
}

// getServerSession answers the very object the session callback returned; the guard reads the
// signed-in user from here instead of querying the database a second time for the same request.
// A WeakMap, not a property: next-auth serialises that object as /api/auth/session's answer.
const signedInBySessionObject = new WeakMap<object, SignedInSession>();

/** Attaches the session callback's read to the session object it returns (see `recallSignedIn`). */
export function rememberSignedIn<T extends object>(sessionObject: T, signedIn: SignedInSession): T {
  signedInBySessionObject.set(sessionObject, signedIn);
  return sessionObject;
}

/** The read the session callback attached to this session object, if it did. */
export function recallSignedIn(sessionObject: object): SignedInSession | undefined {
  return signedInBySessionObject.get(sessionObject);
}

/** Signs one session out (the cookie's own, on sign-out). Only the user's own session; true when it was live. */
export async function revokeUserSession(db: Db | DbTx, input: { userId: string; sessionId: string; now: Date }): Promise<boolean> {
  const { count } = await db.userSession.updateMany({ where: { id: input.sessionId, userId: input.userId, revokedAt: null }, data: { revokedAt: input.now } });
  return count === 1;
}

/**
 * Ends every live session of a user (all but `exceptSessionId` when given): for an admin's reset
 * or disable, inside their transaction, and for a user's own password change (which keeps the
 * session it was made in). Answers how many ended.
 */
export async function revokeUserSessions(db: Db | DbTx, input: { userId: string; now: Date; exceptSessionId?: string }): Promise<number> {
  const { count } = await db.userSession.updateMany({
    where: { userId: input.userId, revokedAt: null, ...(input.exceptSessionId ? { id: { not: input.exceptSessionId } } : {}) },
    data: { revokedAt: input.now },
  });
  return count;
}

/**
 * "Sign out everywhere": every session of the user ends, this one included, and any session
 * signed in before now is void even if a row were missed (the user's `sessionsRevokedAt`).
 * Audited. Answers how many sessions were live.
 */
export async function signOutEverywhere(db: Db, input: { userId: string; now: Date }): Promise<{ endedSessions: number }> {
  return db.$transaction(async (tx) => {
    const user = await tx.user.update({ where: { id: input.userId }, data: { sessionsRevokedAt: input.now } });
    const endedSessions = await revokeUserSessions(tx, { userId: user.id, now: input.now });
    await recordAudit(tx, {
      orgId: user.orgId,
      actorUserId: user.id,
      actorKind: "user",
      action: "user.signed_out_everywhere",
      targetType: "User",
      targetId: user.id,
      detail: { email: user.email, endedSessions },
    });
    return { endedSessions };
  });
}

/** One row of the account page's sessions list. Dates are ISO strings (they cross to the client). */
export type UserSessionDto = { id: string; userAgent: string | null; ipAddress: string | null; createdAt: string; lastSeenAt: string; isCurrent: boolean };

/** The user's live sessions, the current one first, then the most recently seen. */
export async function listUserSessions(db: Db, input: { userId: string; currentSessionId: string; now: Date }): Promise<UserSessionDto[]> {
  const user = await db.user.findUnique({ where: { id: input.userId }, select: { sessionsRevokedAt: true } });
  const rows = await db.userSession.findMany({
    where: {
      userId: input.userId,
      revokedAt: null,
      expiresAt: { gt: input.now },
      ...(user?.sessionsRevokedAt ? { createdAt: { gte: user.sessionsRevokedAt } } : {}),
    },
    orderBy: [{ createdAt: "desc" }, { id: "asc" }],
    take: 100,
  });
  return rows
    .map((row) => ({
      id: row.id,
      userAgent: row.userAgent,
      ipAddress: row.ipAddress,
      createdAt: row.createdAt.toISOString(),
      lastSeenAt: (row.lastSeenAt ?? row.createdAt).toISOString(),
      isCurrent: row.id === input.currentSessionId,
    }))
    .sort((a, b) => Number(b.isCurrent) - Number(a.isCurrent) || b.lastSeenAt.localeCompare(a.lastSeenAt));
}
