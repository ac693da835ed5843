// The stubs a server-action db test puts in place of the session and Next's cache, and the state
// they read: who is signed in and which test database the app's `db` is. Every vi.mock stays in
// its test file (vi.mock is hoisted per file) and returns one of these, so this file imports at
// run time nothing that those mocks replace (no cycle through the mocked db client).
import type { Db } from "@/lib/server/db/client";

/** One per test file: vitest gives each file its own module registry. */
export const actionSession: { db: Db | null; userId: string | null } = { db: null, userId: null };

/** Signs `userId` in for the next server action calls (null: nobody is signed in). */
export function signInAs(userId: string | null): void {
  actionSession.userId = userId;
}

/**
 * For `vi.mock("next-auth", …)`: a session for `actionSession.userId`, freshly signed in — a new
 * server-side session row on each call, which the real guard then checks like any other (so a
 * disabled user is still nobody).
 */
export const nextAuthStub = {
  getServerSession: async () => {
    const userId = actionSession.userId;
    if (!userId || !actionSession.db) return null;
    // An id with no user (a test's "deleted user") signs in to nothing, as a stale cookie would.
    if (!(await actionSession.db.user.findUnique({ where: { id: userId }, select: { id: true } }))) return { userId, sessionId: "no-such-session" };
    const now = new Date();
    const session = await actionSession.db.userSession.create({ data: { userId, createdAt: now, expiresAt: new Date(now.getTime() + 60 * 60 * 1000), userAgent: "vitest" } });
    return { userId, sessionId: session.id };
  },
};

/** For `vi.mock("@/lib/server/auth/options", …)`. */
export const authOptionsStub = { authOptions: {} };

/** For `vi.mock("next/cache", …)`: revalidation needs a Next request, so it does nothing here. */
export const nextCacheStub = { revalidatePath: () => undefined };

/** For `vi.mock("@/lib/server/db/client", …)`: the real module, with `db` standing for `actionSession.db`. */
export function dbClientStub<Module extends object>(actual: Module): Module & { db: Db } {
  const db = new Proxy({} as Db, {
    get(_target, property) {
      const client = actionSession.db as unknown as Record<string | symbol, unknown>;
      // The registered client behind it, even when the test's db is itself a proxy (a recording one).
      if (property === "$blockableClient") return client.$blockableClient ?? client;
      const value = client[property];
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
    },
  });
  return { ...actual, db };
}
