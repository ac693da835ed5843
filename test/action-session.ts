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

/** For `vi.mock("next-auth", …)`: a session for `actionSession.userId`, freshly authenticated. */
export const nextAuthStub = {
  getServerSession: async () => (actionSession.userId ? { userId: actionSession.userId, authTimeMs: Date.now() } : null),
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
      if (property === "$blockableClient") return client;
      const value = client[property];
      return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
    },
  });
  return { ...actual, db };
}
