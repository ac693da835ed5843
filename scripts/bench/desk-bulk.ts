// Bulk loading for the lender desk benchmark's seed (scripts/bench/seed-desk.ts): rows go straight
// to the database driver in large statements, never one Prisma create per row.
// - SQLite: better-sqlite3 on the file, multi-row INSERTs of up to 32,766 parameters each (one
//   prepared statement per table, reused), many statements per transaction, synchronous=OFF while
//   loading (the file is a throwaway; the server opens it with its own settings).
// - PostgreSQL: COPY … FROM STDIN in text format (up to 200,000 rows a statement), through
//   node-postgres with a small submittable of our own (the pg-copy-streams package is not installed).
import Database from "better-sqlite3";
import pg from "pg";
import { pgConfigFromUrl, sqliteFilePath } from "../../lib/server/db/config";

/** Declared per column for readability; SQLite binds by value and COPY parses by the table's own types. */
export type ColumnType = "text" | "int" | "bigint" | "bool" | "date";
export type Columns = readonly (readonly [name: string, type: ColumnType])[];
export type Value = string | number | bigint | boolean | Date | null;

export interface BulkLoader {
  readonly provider: "sqlite" | "postgresql";
  insert(table: string, columns: Columns, rows: readonly (readonly Value[])[]): Promise<void>;
  /** A statement without results (DDL, ANALYZE, a small UPDATE). */
  exec(sql: string): Promise<void>;
  /**
   * Drops the tables' secondary indexes (as the migrations created them) until restoreIndexes():
   * building an index once over sorted rows is far cheaper than growing it row by row. The
   * primary keys stay. The definitions are read back from the database, so the rebuilt indexes
   * are exactly the migrated ones (and a unique index fails loudly on duplicate rows).
   */
  deferIndexes(tables: readonly string[]): Promise<void>;
  restoreIndexes(): Promise<void>;
  /** Rows inserted per table so far. */
  readonly counts: Map<string, number>;
  /** Milliseconds spent inserting, per table. */
  readonly millis: Map<string, number>;
  close(): Promise<void>;
}

const SQLITE_MAX_PARAMS = 32_766;
const SQLITE_ROWS_PER_TRANSACTION = 50_000;
const PG_ROWS_PER_COPY = 200_000;

/** What Prisma's SQLite adapter writes for a DateTime (ISO-8601 with "+00:00"), so range queries compare like for like. */
export function sqliteDate(date: Date): string {
  return date.toISOString().replace("Z", "+00:00");
}

function sqliteValue(value: Value): unknown {
  if (value instanceof Date) return sqliteDate(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value;
}

class SqliteLoader implements BulkLoader {
  readonly provider = "sqlite" as const;
  readonly counts = new Map<string, number>();
  readonly millis = new Map<string, number>();
  private readonly db: Database.Database;
  private readonly statements = new Map<string, Database.Statement>();

  constructor(url: string) {
    this.db = new Database(sqliteFilePath(url));
    this.db.pragma("journal_mode = WAL");
    this.db.pragma("synchronous = OFF");
    this.db.pragma("cache_size = -524288"); // 512 MiB: the indexes stay in memory while they grow
    this.db.pragma("temp_store = MEMORY");
  }

  private statement(table: string, columns: Columns, rowCount: number): Database.Statement {
    const key = `${table}:${rowCount}`;
    let statement = this.statements.get(key);
    if (!statement) {
      const tuple = `(${columns.map(() => "?").join(",")})`;
      statement = this.db.prepare(`INSERT INTO "${table}" (${columns.map(([name]) => `"${name}"`).join(", ")}) VALUES ${new Array(rowCount).fill(tuple).join(",")}`);
      this.statements.set(key, statement);
    }
    return statement;
  }

  async insert(table: string, columns: Columns, rows: readonly (readonly Value[])[]) {
    const startedAt = performance.now();
    const perStatement = Math.min(1_000, Math.floor(SQLITE_MAX_PARAMS / columns.length));
    const write = this.db.transaction((chunk: readonly (readonly Value[])[]) => {
      for (let from = 0; from < chunk.length; from += perStatement) {
        const part = chunk.slice(from, from + perStatement);
        const params: unknown[] = new Array(part.length * columns.length);
        let i = 0;
        for (const row of part) for (const value of row) params[i++] = sqliteValue(value);
        this.statement(table, columns, part.length).run(params);
      }
    });
    for (let from = 0; from < rows.length; from += SQLITE_ROWS_PER_TRANSACTION) write(rows.slice(from, from + SQLITE_ROWS_PER_TRANSACTION));
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
    this.millis.set(table, (this.millis.get(table) ?? 0) + performance.now() - startedAt);
  }

  async exec(sql: string) {
    this.db.exec(sql);
  }

  private deferred: { name: string; sql: string }[] = [];

  async deferIndexes(tables: readonly string[]) {
    for (const table of tables) {
      const indexes = this.db.prepare("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL").all(table) as { name: string; sql: string }[];
      for (const index of indexes) {
        this.db.exec(`DROP INDEX "${index.name}"`);
        this.deferred.push(index);
      }
    }
  }

  async restoreIndexes() {
    const startedAt = performance.now();
    for (const index of this.deferred.splice(0)) this.db.exec(index.sql);
    this.millis.set("(indexes)", (this.millis.get("(indexes)") ?? 0) + performance.now() - startedAt);
  }

  async close() {
    this.db.pragma("wal_checkpoint(TRUNCATE)");
    this.db.close();
  }
}

/** One value in COPY's text format: \\N for null, backslash escapes for the separators. */
function copyText(value: Value): string {
  if (value === null) return "\\N";
  if (value instanceof Date) return value.toISOString(); // a TIMESTAMP(3) column ignores the zone: the UTC wall time
  if (typeof value === "boolean") return value ? "t" : "f";
  if (typeof value === "string") return /[\\\t\n\r]/.test(value) ? value.replace(/\\/g, "\\\\").replace(/\t/g, "\\t").replace(/\n/g, "\\n").replace(/\r/g, "\\r") : value;
  return String(value);
}

/**
 * COPY … FROM STDIN through node-postgres without the pg-copy-streams package: a "submittable"
 * (the hook pg gives cursors and COPY streams) that sends the statement, answers the server's
 * CopyInResponse with the rows as CopyData messages and CopyDone, and completes on ReadyForQuery.
 */
class CopyFrom {
  callback?: (error: Error | null) => void;
  private failed: Error | null = null;

  constructor(
    readonly text: string,
    private readonly chunks: Buffer[],
  ) {}

  submit(connection: { query(text: string): void }) {
    connection.query(this.text);
  }

  handleCopyInResponse(connection: { sendCopyFromChunk(chunk: Buffer): void; endCopyFrom(): void }) {
    for (const chunk of this.chunks) connection.sendCopyFromChunk(chunk);
    connection.endCopyFrom();
  }

  handleCommandComplete() {}

  handleError(error: Error) {
    this.failed = error;
    this.callback?.(error);
    this.callback = undefined;
  }

  handleReadyForQuery() {
    this.callback?.(this.failed);
    this.callback = undefined;
  }
}

function copyChunks(rows: readonly (readonly Value[])[]): Buffer[] {
  const chunks: Buffer[] = [];
  let lines: string[] = [];
  let size = 0;
  for (const row of rows) {
    const line = row.map(copyText).join("\t") + "\n";
    lines.push(line);
    size += line.length;
    if (size >= 1 << 20) {
      chunks.push(Buffer.from(lines.join(""), "utf8"));
      lines = [];
      size = 0;
    }
  }
  if (lines.length) chunks.push(Buffer.from(lines.join(""), "utf8"));
  return chunks;
}

class PostgresLoader implements BulkLoader {
  readonly provider = "postgresql" as const;
  readonly counts = new Map<string, number>();
  readonly millis = new Map<string, number>();
  private readonly client: pg.Client;
  private connected: Promise<void> | undefined;

  constructor(url: string) {
    this.client = new pg.Client(pgConfigFromUrl(url));
  }

  private ready() {
    this.connected ??= this.client.connect().then(async () => {
      // The commits of a throwaway load need not wait for the disk.
      await this.client.query("SET synchronous_commit = off");
      // Foreign keys are checked by a trigger per inserted row; a superuser (the trust-auth
      // postgres or root this bench connects as) can skip them for a load of rows generated
      // consistent. Without the privilege they are checked, only slower.
      await this.client.query("SET session_replication_role = replica").catch(() => undefined);
    });
    return this.connected;
  }

  async insert(table: string, columns: Columns, rows: readonly (readonly Value[])[]) {
    const startedAt = performance.now();
    await this.ready();
    const text = `COPY "${table}" (${columns.map(([name]) => `"${name}"`).join(", ")}) FROM STDIN`;
    for (let from = 0; from < rows.length; from += PG_ROWS_PER_COPY) {
      const copy = new CopyFrom(text, copyChunks(rows.slice(from, from + PG_ROWS_PER_COPY)));
      await new Promise<void>((resolve, reject) => {
        copy.callback = (error) => (error ? reject(error) : resolve());
        this.client.query(copy as unknown as pg.QueryConfig);
      });
    }
    this.counts.set(table, (this.counts.get(table) ?? 0) + rows.length);
    this.millis.set(table, (this.millis.get(table) ?? 0) + performance.now() - startedAt);
  }

  async exec(sql: string) {
    await this.ready();
    await this.client.query(sql);
  }

  private deferred: { name: string; sql: string }[] = [];

  async deferIndexes(tables: readonly string[]) {
    await this.ready();
    for (const table of tables) {
      // Not the primary key (a constraint); Prisma's unique indexes are plain CREATE UNIQUE INDEX.
      const { rows } = await this.client.query<{ name: string; sql: string }>(
        "SELECT indexname AS name, indexdef AS sql FROM pg_indexes WHERE schemaname = current_schema() AND tablename = $1 AND indexname NOT IN (SELECT conname FROM pg_constraint)",
        [table],
      );
      for (const index of rows) {
        await this.client.query(`DROP INDEX "${index.name}"`);
        this.deferred.push(index);
      }
    }
  }

  async restoreIndexes() {
    const startedAt = performance.now();
    // More memory for the sorts of CREATE INDEX, for this session only.
    await this.client.query("SET maintenance_work_mem = '256MB'");
    for (const index of this.deferred.splice(0)) await this.client.query(index.sql);
    this.millis.set("(indexes)", (this.millis.get("(indexes)") ?? 0) + performance.now() - startedAt);
  }

  async close() {
    if (this.connected) await this.client.end();
  }
}

export function openBulkLoader(url: string): BulkLoader {
  return url.startsWith("file:") ? new SqliteLoader(url) : new PostgresLoader(url);
}
