// The rules of a signed-in session (one browser's sign-in, a UserSession row named by the session
// cookie): when it has ended, when its "last seen" is worth a write, and how long it lives.

/** A session ends after this long without a request (next-auth's idle `maxAge`, and the row's). */
export const SESSION_MAX_AGE_SECONDS = 12 * 60 * 60;

/** "Last seen" is written at most this often per session: every request reads the row, few write it. */
export const LAST_SEEN_WRITE_INTERVAL_MS = 5 * 60 * 1000;

export type SessionFacts = { userId: string; createdAt: Date; expiresAt: Date; revokedAt: Date | null; lastSeenAt: Date | null };
export type SessionUserFacts = { id: string; isDisabled: boolean; sessionsRevokedAt: Date | null };

export type SessionEnd =
  /** The cookie names no session (never one, or one deleted with its user). */
  | "missing"
  /** The cookie was minted for another user than the session's (a forged or mixed-up token). */
  | "other_user"
  /** Signed out, revoked from the account page, or ended by an admin's reset or disable. */
  | "revoked"
  /** Older than the user's "every session before now ends" mark (sign out everywhere, a reset, a disable). */
  | "revoked_for_user"
  | "expired"
  | "user_disabled";

/**
 * Why the session a request presents is no longer valid, or null while it is. `tokenUserId` is the
 * user the cookie says; the session row must belong to that very user.
 */
export function sessionEndReason(input: { tokenUserId: string; session: SessionFacts | null; user: SessionUserFacts | null; now: Date }): SessionEnd | null {
  const { session, user, now } = input;
  if (!session || !user) return "missing";
  if (session.userId !== input.tokenUserId || user.id !== session.userId) return "other_user";
  if (session.revokedAt) return "revoked";
  if (user.sessionsRevokedAt && session.createdAt < user.sessionsRevokedAt) return "revoked_for_user";
  if (session.expiresAt <= now) return "expired";
  if (user.isDisabled) return "user_disabled";
  return null;
}

/** When a session started at `now` (or last active at `now`) ends if nothing else happens. */
export function sessionExpiresAt(now: Date): Date {
  return new Date(now.getTime() + SESSION_MAX_AGE_SECONDS * 1000);
}

/**
 * The write a request makes to its (valid) session: "last seen" now and the idle expiry pushed
 * back, or null when the last write is recent enough that this request need not write at all.
 */
export function sessionTouch(session: Pick<SessionFacts, "createdAt" | "lastSeenAt">, now: Date): { lastSeenAt: Date; expiresAt: Date } | null {
  const lastWriteMs = (session.lastSeenAt ?? session.createdAt).getTime();
  if (now.getTime() - lastWriteMs < LAST_SEEN_WRITE_INTERVAL_MS) return null;
  return { lastSeenAt: now, expiresAt: sessionExpiresAt(now) };
}
