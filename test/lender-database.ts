// The shared set-up of a collateral db test: inside a `describeEachProvider` body, a fresh test
// database with the GPU index seeded (test/collateral-world.ts) and one lender, dropped afterwards.
// Kept apart from collateral-world.ts, which scripts outside vitest import too.
import { afterAll, beforeAll } from "vitest";
import type { Db } from "@/lib/server/db/client";
import { createLender, seedIndex, type Lender } from "@/test/collateral-world";
import { createTestDatabase, type Provider, type TestDatabase } from "@/test/databases";

export type LenderDatabase = {
  /** The suite's test database (set once its beforeAll has run). */
  readonly test: TestDatabase;
  readonly db: Db;
  /** The lender created on it. */
  readonly lender: Lender;
};

/** Registers the suite's hooks: beforeAll creates the database, seeds the index and creates the lender; afterAll drops it. */
export function useLenderDatabase(provider: Provider): LenderDatabase {
  let opened: { test: TestDatabase; lender: Lender } | undefined;
  const open = () => {
    if (!opened) throw new Error("the lender database is not open yet (read it inside a hook or a test)");
    return opened;
  };
  beforeAll(async () => {
    const test = await createTestDatabase(provider);
    try {
      await seedIndex(test.db);
      opened = { test, lender: await createLender(test.db) };
    } catch (error) {
      await test.drop();
      throw error;
    }
  });
  afterAll(async () => {
    await opened?.test.drop();
  });
  return {
    get test() {
      return open().test;
    },
    get db() {
      return open().test.db;
    },
    get lender() {
      return open().lender;
    },
  };
}
