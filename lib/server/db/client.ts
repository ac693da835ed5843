import "@/lib/server/server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgres/client";
import { newSqliteState, registerClient, sqliteSynchronousFromEnv, trackSqliteAdapter } from "./sql-program";
import { databaseProviderOf, databaseUrlFromEnv, pgConfigFromUrl, sqliteFilePath, type DatabaseProvider } from "./config";

// Both generated clients come from one schema and expose the same API; the SQLite one names the type.
export type Db = SqlitePrismaClient;
export type DbTx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// Under bursts (a thousand requests at once) transactions queue for a pooled connection; waiting
// is right, failing after Prisma's default 2 s is not. Each transaction itself stays short.
const transactionOptions = { maxWait: 30_000, timeout: 15_000 };

/**
 * `checkpointInWorker`: SQLite's WAL checkpoints run on a worker thread instead of inside the
 * app's commits (the long-running server does this; scripts and tests keep SQLite's default).
 */
export function createDb(url: string, options: { checkpointInWorker?: boolean } = {}): { db: Db; provider: DatabaseProvider } {
  const provider = databaseProviderOf(url);
  if (provider === "postgresql") {
    // One pool for Prisma and for SQL programs (the routing hot path), so DATABASE_POOL_SIZE is the whole budget.
    const pool = new pg.Pool({ ...pgConfigFromUrl(url), max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    // An idle connection the server closed (restart, DROP DATABASE … WITH FORCE) leaves the pool by itself.
    pool.on("error", () => undefined);
    const adapter = new PrismaPg(pool);
    const client = new PostgresPrismaClient({ adapter, transactionOptions }) as unknown as Db;
    registerClient(client, provider, { pgPool: pool });
    return { db: client, provider };
  }
  const sqlite = newSqliteState();
  const adapter = trackSqliteAdapter(new PrismaBetterSqlite3({ url: `file:${sqliteFilePath(url)}`, timeout: 10_000 }), sqlite, {
    synchronous: sqliteSynchronousFromEnv(),
    checkpointInWorker: options.checkpointInWorker ?? false,
  });
  const client = new SqlitePrismaClient({ adapter, transactionOptions });
  registerClient(client, provider, { sqlite });
  return { db: client, provider };
}

const globalForDb = globalThis as unknown as { blockableDb?: { db: Db; provider: DatabaseProvider } };

function instance() {
  globalForDb.blockableDb ??= createDb(databaseUrlFromEnv(), { checkpointInWorker: process.env.BLOCKABLE_SQLITE_CHECKPOINT !== "inline" });
  return globalForDb.blockableDb;
}

/** The process-wide client for DATABASE_URL (SQLite file by default). */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = instance().db as unknown as Record<string | symbol, unknown>;
    if (property === "$blockableClient") return client;
    const value = client[property];
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});

export function dbProvider(): DatabaseProvider {
  return instance().provider;
}
