import "@/lib/server/server-only";
import { createHash } from "node:crypto";
import { chmodSync, closeSync, existsSync, mkdirSync, openSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import Database from "better-sqlite3";
import pg from "pg";
import { databaseProviderOf, pgConfigFromUrl, sqliteFilePath, type DatabaseProvider } from "./config";

/**
 * Applies the committed SQL migrations (generated from prisma/schema.prisma by
 * `npm run db:make-migration`) in order, once each, recording name and checksum. It needs no Prisma
 * schema engine, so it runs offline and identically on every machine. Concurrent starters are
 * serialised by a PostgreSQL advisory lock or SQLite's write lock.
 */

export const MIGRATIONS_TABLE = "_blockable_migrations";
const PG_MIGRATION_LOCK_ID = 7_324_118_001;

export type Migration = { name: string; sql: string; checksum: string };
export type MigrationResult = { applied: string[]; alreadyApplied: number };

export function migrationsDir(provider: DatabaseProvider, root = process.cwd()): string {
  return path.join(root, "prisma", "migrations", provider === "sqlite" ? "sqlite" : "postgresql");
}

export function loadMigrations(provider: DatabaseProvider, root = process.cwd()): Migration[] {
  const dir = migrationsDir(provider, root);
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(path.join(dir, name, "migration.sql"), "utf8");
      return { name, sql, checksum: createHash("sha256").update(sql).digest("hex") };
    });
}

function assertUnchanged(applied: Map<string, string>, migrations: Migration[]) {
  for (const migration of migrations) {
    const checksum = applied.get(migration.name);
    if (checksum && checksum !== migration.checksum) {
      throw new Error(`Migration ${migration.name} was edited after it was applied; add a new migration instead.`);
    }
  }
  const known = new Set(migrations.map((m) => m.name));
  const unknown = [...applied.keys()].filter((name) => !known.has(name));
  if (unknown.length) throw new Error(`The database has migrations this code does not know: ${unknown.join(", ")}. Is the code older than the database?`);
}

export async function migrateDatabase(url: string, root = process.cwd()): Promise<MigrationResult> {
  const provider = databaseProviderOf(url);
  const migrations = loadMigrations(provider, root);
  return provider === "sqlite" ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

/**
 * The database holds password hashes, API-key hashes and encrypted provider keys: it is the
 * owner's alone (0600). SQLite creates -wal, -shm and -journal with the database file's own mode
 * (and fchmods them to it, whatever the umask), so creating the file 0600 here — before SQLite
 * would create it 0644 — covers them all. Files an older version made readable are tightened.
 */
export function ensurePrivateSqliteFile(file: string): void {
  if (file === ":memory:") return;
  mkdirSync(path.dirname(file), { recursive: true, mode: 0o700 });
  closeSync(openSync(file, "a", 0o600));
  if (process.platform === "win32") return;
  for (const suffix of ["", "-wal", "-shm", "-journal"]) {
    try {
      chmodSync(`${file}${suffix}`, 0o600);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // Gone meanwhile (SQLite removes -wal and -shm on close), or owned by another user: warn, keep going.
      if (code !== "ENOENT") console.warn(`${file}${suffix} could not be made 0600 (${code ?? error}).`);
    }
  }
}

function migrateSqlite(url: string, migrations: Migration[]): MigrationResult {
  const file = sqliteFilePath(url);
  ensurePrivateSqliteFile(file);
  const sqlite = new Database(file, { timeout: 30_000 });
  try {
    // WAL lets readers (dashboards) run beside the writer (the routing API); it persists in the file.
    sqlite.pragma("journal_mode = WAL");
    sqlite.exec(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TEXT NOT NULL)`);
    const applied: string[] = [];
    const run = sqlite.transaction(() => {
      const rows = sqlite.prepare(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`).all() as { name: string; checksum: string }[];
      const done = new Map(rows.map((row) => [row.name, row.checksum]));
      assertUnchanged(done, migrations);
      for (const migration of migrations.filter((m) => !done.has(m.name))) {
        sqlite.exec(migration.sql);
        sqlite.prepare(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES (?, ?, ?)`).run(migration.name, migration.checksum, new Date().toISOString());
        applied.push(migration.name);
      }
      return done.size;
    });
    const alreadyApplied = run.immediate();
    return { applied, alreadyApplied };
  } finally {
    sqlite.close();
  }
}

async function migratePostgres(url: string, migrations: Migration[]): Promise<MigrationResult> {
  const client = new pg.Client(pgConfigFromUrl(url));
  await client.connect();
  try {
    await client.query("SELECT pg_advisory_lock($1)", [PG_MIGRATION_LOCK_ID]);
    await client.query(`CREATE TABLE IF NOT EXISTS "${MIGRATIONS_TABLE}" (name TEXT PRIMARY KEY, checksum TEXT NOT NULL, applied_at TIMESTAMPTZ NOT NULL)`);
    const { rows } = await client.query<{ name: string; checksum: string }>(`SELECT name, checksum FROM "${MIGRATIONS_TABLE}"`);
    const done = new Map(rows.map((row) => [row.name, row.checksum]));
    assertUnchanged(done, migrations);
    const applied: string[] = [];
    for (const migration of migrations.filter((m) => !done.has(m.name))) {
      // PostgreSQL DDL is transactional: a failing migration leaves nothing half-applied.
      await client.query("BEGIN");
      try {
        await client.query(migration.sql);
        await client.query(`INSERT INTO "${MIGRATIONS_TABLE}" (name, checksum, applied_at) VALUES ($1, $2, now())`, [migration.name, migration.checksum]);
        await client.query("COMMIT");
      } catch (error) {
        await client.query("ROLLBACK");
        throw new Error(`Migration ${migration.name} failed: ${(error as Error).message}`);
      }
      applied.push(migration.name);
    }
    return { applied, alreadyApplied: done.size };
  } finally {
    await client.query("SELECT pg_advisory_unlock($1)", [PG_MIGRATION_LOCK_ID]).catch(() => undefined);
    await client.end();
  }
}
