// Real databases for integration tests: a fresh SQLite file and a fresh PostgreSQL database per
// call, migrated with the committed migrations, dropped afterwards. Outside CI, a missing
// PostgreSQL server skips its half with a one-line reason; with CI=true it fails.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb, type Db } from "@/lib/server/db/client";
import { pgConfigFromUrl, pgUrlForDatabase } from "@/lib/server/db/config";
import { migrateDatabase } from "@/lib/server/db/migrate";

export const POSTGRES_ADMIN_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const root = path.resolve(import.meta.dirname, "..");

export type TestDatabase = { provider: "sqlite" | "postgresql"; url: string; db: Db; drop: () => Promise<void> };

let postgresReachable: Promise<string | null> | undefined;

/** null when reachable, else the reason. */
export function postgresUnavailableReason(): Promise<string | null> {
  postgresReachable ??= (async () => {
    const client = new pg.Client({ ...pgConfigFromUrl(POSTGRES_ADMIN_URL), connectionTimeoutMillis: 2_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return null;
    } catch (error) {
      return `PostgreSQL not reachable at ${POSTGRES_ADMIN_URL.replace(/\/\/[^@]*@/, "//")}: ${(error as Error).message}`;
    } finally {
      await client.end().catch(() => undefined);
    }
  })();
  return postgresReachable;
}

export const PROVIDERS = ["sqlite", "postgresql"] as const;
export type Provider = (typeof PROVIDERS)[number];

/**
 * Why a provider's tests must be skipped, or null to run them. With CI=true an unreachable
 * PostgreSQL is an error, not a skip.
 */
export async function providerSkipReason(provider: Provider): Promise<string | null> {
  if (provider === "sqlite") return null;
  const reason = await postgresUnavailableReason();
  if (reason && process.env.CI === "true") throw new Error(`${reason} (CI=true requires PostgreSQL tests to run)`);
  if (reason) console.warn(`skipped PostgreSQL tests: ${reason}`);
  return reason;
}

/** One suite per provider; a provider that cannot run is reported as skipped, with its reason. */
export async function describeEachProvider(title: string, body: (provider: Provider) => void) {
  // Imported here, not at the top: the Playwright specs use createTestDatabase outside vitest.
  const { describe } = await import("vitest");
  for (const provider of PROVIDERS) {
    const reason = await providerSkipReason(provider);
    describe.skipIf(reason !== null)(`${title} on ${provider}${reason ? ` — skipped: ${reason}` : ""}`, () => body(provider));
  }
}

export async function createTestDatabase(provider: "sqlite" | "postgresql"): Promise<TestDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "blockable-test-"));
    const url = `file:${path.join(dir, "test.db")}`;
    await migrateDatabase(url, root);
    const { db } = createDb(url);
    return {
      provider,
      url,
      db,
      drop: async () => {
        await db.$disconnect();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const name = `blockable_test_${Date.now()}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client(pgConfigFromUrl(POSTGRES_ADMIN_URL));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  const url = pgUrlForDatabase(POSTGRES_ADMIN_URL, name);
  await migrateDatabase(url, root);
  const { db } = createDb(url);
  return {
    provider,
    url,
    db,
    drop: async () => {
      await db.$disconnect();
      const cleaner = new pg.Client(pgConfigFromUrl(POSTGRES_ADMIN_URL));
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleaner.end();
    },
  };
}
