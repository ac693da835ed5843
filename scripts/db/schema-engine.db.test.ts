// CI fails when the committed migrations drift from prisma/schema.prisma (for either provider),
// and proves the PostgreSQL shadow database used for that check is never the main database.
import { readFileSync } from "node:fs";
import path from "node:path";
import pg from "pg";
import { describe, expect, it } from "vitest";
import { pgConfigFromUrl, pgUrlForDatabase } from "@/lib/server/db/config";
import { loadMigrations } from "@/lib/server/db/migrate";
import { POSTGRES_ADMIN_URL, PROVIDERS, providerSkipReason } from "@/test/databases";
import { derivePostgresSchema } from "./derive-postgres-schema.mjs";
import { lastShadowDatabase, pendingSchemaChange } from "./schema-engine";

const root = path.resolve(import.meta.dirname, "../..");
const postgresSkipReason = await providerSkipReason("postgresql");

describe("migrations", () => {
  it("the PostgreSQL schema is exactly the derivation of the SQLite one", () => {
    const derived = derivePostgresSchema(readFileSync(path.join(root, "prisma/schema.prisma"), "utf8"));
    expect(derived).toContain('provider = "postgresql"');
    expect(derived).not.toContain('provider = "sqlite"');
    expect(readFileSync(path.join(root, "prisma/postgres/schema.prisma"), "utf8")).toBe(derived);
  });

  it("both providers have the same migration names", () => {
    expect(loadMigrations("postgresql", root).map((m) => m.name)).toEqual(loadMigrations("sqlite", root).map((m) => m.name));
    expect(loadMigrations("sqlite", root).length).toBeGreaterThan(0);
  });

  for (const provider of PROVIDERS) {
    it.skipIf(provider === "postgresql" && postgresSkipReason !== null)(
      `${provider} migrations produce exactly prisma/schema.prisma (run \`npm run db:make-migration -- <name>\` if not)`,
      async () => {
        expect(await pendingSchemaChange(provider, POSTGRES_ADMIN_URL)).toBe("");
      },
    );
  }

  it.skipIf(postgresSkipReason !== null)("the shadow database is a new database, never the one in the connection URL", async () => {
    const admin = new pg.Client(pgConfigFromUrl(POSTGRES_ADMIN_URL));
    await admin.connect();
    const mainDatabase = `blockable_shadow_probe_${Date.now()}`;
    await admin.query(`CREATE DATABASE "${mainDatabase}"`);
    try {
      const mainUrl = pgUrlForDatabase(POSTGRES_ADMIN_URL, mainDatabase);
      const probe = new pg.Client(pgConfigFromUrl(mainUrl));
      await probe.connect();
      await probe.query(`CREATE TABLE sentinel (id int); INSERT INTO sentinel VALUES (42)`);
      await pendingSchemaChange("postgresql", mainUrl);
      // The diff replayed every migration somewhere: not here.
      const tables = await probe.query<{ tablename: string }>(`SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename`);
      expect(tables.rows.map((r) => r.tablename)).toEqual(["sentinel"]);
      expect((await probe.query(`SELECT id FROM sentinel`)).rows).toEqual([{ id: 42 }]);
      await probe.end();
      expect(lastShadowDatabase).toBeDefined();
      expect(lastShadowDatabase).not.toBe(mainDatabase);
      const leftovers = await admin.query(`SELECT datname FROM pg_database WHERE datname = $1`, [lastShadowDatabase]);
      expect(leftovers.rows).toEqual([]);
    } finally {
      await admin.query(`DROP DATABASE IF EXISTS "${mainDatabase}" WITH (FORCE)`);
      await admin.end();
    }
  });
});
