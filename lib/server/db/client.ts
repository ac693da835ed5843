import "server-only";
import { PrismaBetterSqlite3 } from "@prisma/adapter-better-sqlite3";
import { PrismaPg } from "@prisma/adapter-pg";
import { PrismaClient as SqlitePrismaClient } from "./generated/sqlite/client";
import { PrismaClient as PostgresPrismaClient } from "./generated/postgres/client";
import { databaseProviderOf, databaseUrlFromEnv, pgConfigFromUrl, sqliteFilePath, type DatabaseProvider } from "./config";

// Both generated clients come from one schema and expose the same API; the SQLite one names the type.
export type Db = SqlitePrismaClient;
export type DbTx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

export function createDb(url: string): { db: Db; provider: DatabaseProvider } {
  const provider = databaseProviderOf(url);
  if (provider === "postgresql") {
    const adapter = new PrismaPg({ ...pgConfigFromUrl(url), max: Number(process.env.DATABASE_POOL_SIZE ?? 10) });
    return { db: new PostgresPrismaClient({ adapter }) as unknown as Db, provider };
  }
  const adapter = new PrismaBetterSqlite3({ url: `file:${sqliteFilePath(url)}`, timeout: 10_000 });
  return { db: new SqlitePrismaClient({ adapter }), provider };
}

const globalForDb = globalThis as unknown as { blockableDb?: { db: Db; provider: DatabaseProvider } };

function instance() {
  globalForDb.blockableDb ??= createDb(databaseUrlFromEnv());
  return globalForDb.blockableDb;
}

/** The process-wide client for DATABASE_URL (SQLite file by default). */
export const db: Db = new Proxy({} as Db, {
  get(_target, property) {
    const client = instance().db as unknown as Record<string | symbol, unknown>;
    const value = client[property];
    return typeof value === "function" ? (value as (...args: unknown[]) => unknown).bind(client) : value;
  },
});

export function dbProvider(): DatabaseProvider {
  return instance().provider;
}
