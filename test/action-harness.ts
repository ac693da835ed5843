// The shared set-up of a server-action db test: inside a `describeEachProvider` body, a fresh test
// database that the app's `db` stands for, nobody signed in before each test, and the database
// dropped afterwards. Each test file still declares its own mocks (vi.mock is hoisted per file):
//
//   vi.mock("next-auth", async () => (await import("@/test/action-session")).nextAuthStub);
//   vi.mock("@/lib/server/auth/options", async () => (await import("@/test/action-session")).authOptionsStub);
//   vi.mock("next/cache", async () => (await import("@/test/action-session")).nextCacheStub);
//   vi.mock("@/lib/server/db/client", async (importOriginal) => (await import("@/test/action-session")).dbClientStub(await importOriginal<object>()));
import { afterAll, beforeAll, beforeEach } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { actionSession } from "@/test/action-session";
import { createTestDatabase, type Provider, type TestDatabase } from "@/test/databases";

export { signInAs } from "@/test/action-session";

export type ActionDatabase = {
  /** The suite's test database (set once its beforeAll has run). */
  readonly test: TestDatabase;
  readonly db: Db;
};

/**
 * Registers the suite's hooks: beforeAll creates the database, binds the app's `db` to it and runs
 * `setUp` (the suite's world); beforeEach rebinds it and signs everybody out; afterAll runs
 * `tearDown`, then drops the database.
 */
export function useActionDatabase(
  provider: Provider,
  hooks: { setUp?: (db: Db) => Promise<void>; tearDown?: (db: Db) => Promise<void> } = {},
): ActionDatabase {
  let test: TestDatabase | undefined;
  const suite: ActionDatabase = {
    get test() {
      if (!test) throw new Error("the action database is not open yet (read it inside a hook or a test)");
      return test;
    },
    get db() {
      return suite.test.db;
    },
  };
  beforeAll(async () => {
    test = await createTestDatabase(provider);
    actionSession.db = test.db;
    await hooks.setUp?.(test.db);
  });
  beforeEach(() => {
    actionSession.db = suite.db;
    actionSession.userId = null;
  });
  afterAll(async () => {
    if (!test) return;
    await hooks.tearDown?.(test.db);
    await test.drop();
  });
  return suite;
}
