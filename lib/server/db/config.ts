import "@/lib/server/server-only";
import path from "node:path";

export type DatabaseProvider = "sqlite" | "postgresql";

export const DEFAULT_SQLITE_URL = "file:./data/blockable.db";

export function databaseUrlFromEnv(env: NodeJS.ProcessEnv = process.env): string {
  return env.DATABASE_URL?.trim() || DEFAULT_SQLITE_URL;
}

export function databaseProviderOf(url: string): DatabaseProvider {
  if (/^postgres(ql)?:\/\//i.test(url)) return "postgresql";
  if (url.startsWith("file:")) return "sqlite";
  throw new Error(`DATABASE_URL must start with "file:" (SQLite) or "postgresql://"; got "${url.split(":")[0]}:…"`);
}

/** Absolute file path of a SQLite URL, resolved against the working directory. */
export function sqliteFilePath(url: string): string {
  const raw = url.replace(/^file:/, "").split("?")[0];
  return raw === ":memory:" ? raw : path.resolve(/*turbopackIgnore: true*/ process.cwd(), raw);
}

export type PgConnectionConfig = { host: string; port: number; user: string; password?: string; database: string };

/**
 * Explicit fields rather than a connection string: node-postgres lets a connectionString override
 * `database`, which would make Prisma's "shadow database" silently the main database.
 */
export function pgConfigFromUrl(url: string): PgConnectionConfig {
  const parsed = new URL(url);
  return {
    host: decodeURIComponent(parsed.hostname) || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 5432,
    user: decodeURIComponent(parsed.username) || process.env.PGUSER || "postgres",
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    database: decodeURIComponent(parsed.pathname.replace(/^\//, "")) || "postgres",
  };
}

export function pgUrlForDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}
