import "@/lib/server/server-only";
import type Database from "better-sqlite3";
import pg from "pg";
import type { Db, DbTx } from "./client";
import type { DatabaseProvider } from "./config";
import { databaseKey, processWide } from "@/lib/server/process-wide";
import { startWalCheckpointer, type WalCheckpointer } from "./wal-checkpointer";

/**
 * Hot paths (the routing API's reserve and settle) are written once as *SQL programs*: generators
 * that yield plain SQL statements and receive their results. A runner executes them:
 *
 * - SQLite: synchronously on the very connection Prisma uses, inside BEGIN IMMEDIATE … COMMIT, in
 *   one turn of the event loop. Nothing can interleave, no mutex is queued for, and a statement
 *   costs microseconds instead of Prisma's per-query round trip through its engine.
 * - PostgreSQL: inside a Prisma interactive transaction, one raw statement per step (the row locks
 *   and conditional writes are the same; only the driver differs).
 *
 * The same program also runs inside a caller's Prisma transaction (`runProgramInTx`), so cold
 * paths that compose ledger moves with other writes share one implementation with the hot path.
 *
 * SQL is written in the subset both databases accept: double-quoted identifiers, `?` placeholders
 * (rewritten to `$n` for PostgreSQL), no literal `?` in statements. Dates are passed as Date.
 */

export type SqlStep = { mode: "all" | "get" | "run"; sql: string; params: readonly unknown[] };
export type SqlProgram<T> = Generator<SqlStep, T, unknown>;
export type Row = Record<string, unknown>;

export function* all<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Generator<SqlStep, R[], unknown> {
  return (yield { mode: "all", sql, params }) as R[];
}

export function* get<R extends Row = Row>(sql: string, params: readonly unknown[] = []): Generator<SqlStep, R | undefined, unknown> {
  return (yield { mode: "get", sql, params }) as R | undefined;
}

/** Runs a write; returns the number of rows it changed. */
export function* run(sql: string, params: readonly unknown[] = []): Generator<SqlStep, number, unknown> {
  return (yield { mode: "run", sql, params }) as number;
}

// ───────────────────────────── Values across drivers ─────────────────────────────

/** better-sqlite3 (safe integers) returns bigint, PostgreSQL int8 through Prisma bigint or string. */
export function big(value: unknown): bigint {
  if (typeof value === "bigint") return value;
  if (typeof value === "number" || typeof value === "string") return BigInt(value);
  throw new TypeError(`Expected an integer column, got ${typeof value}`);
}

export function bigOrNull(value: unknown): bigint | null {
  return value === null || value === undefined ? null : big(value);
}

export function num(value: unknown): number {
  return typeof value === "number" ? value : Number(value);
}

export function numOrNull(value: unknown): number | null {
  return value === null || value === undefined ? null : num(value);
}

/** SQLite keeps Prisma's DateTime as ISO text, PostgreSQL hands back a Date. */
export function date(value: unknown): Date {
  return value instanceof Date ? value : new Date(String(value));
}

export function dateOrNull(value: unknown): Date | null {
  return value === null || value === undefined ? null : date(value);
}

let lastDateMs = NaN;
let lastDateText = "";

/**
 * The exact text Prisma writes for a DateTime in SQLite, so raw and Prisma rows compare as equals.
 * A routed request's statements pass the same instant several times (its `now`): the last
 * conversion is kept (an invalid Date is NaN, never equal, and throws as before).
 */
export function sqliteDateText(value: Date): string {
  const ms = value.getTime();
  if (ms !== lastDateMs) {
    lastDateText = value.toISOString().replace("Z", "+00:00");
    lastDateMs = ms;
  }
  return lastDateText;
}

// ───────────────────────────── Registry: which client is which ─────────────────────────────

type PendingProgram = { program: SqlProgram<unknown>; resolve: (value: unknown) => void; reject: (error: unknown) => void };
type SqliteState = { handle: Database.Database | null; waiters: (() => void)[]; queue: PendingProgram[]; isFlushScheduled: boolean; checkpointer: WalCheckpointer | null };
type ClientInfo = { provider: DatabaseProvider; sqlite: SqliteState | null; pgPool: pg.Pool | null };
// Process-wide: the process-wide client is registered by whichever copy of this module created it.
const clients = processWide("sqlClients", () => new WeakMap<object, ClientInfo>());

export function registerClient(client: object, provider: DatabaseProvider, drivers: { sqlite?: SqliteState; pgPool?: pg.Pool }) {
  clients.set(client, { provider, sqlite: drivers.sqlite ?? null, pgPool: drivers.pgPool ?? null });
}

export function newSqliteState(): SqliteState {
  return { handle: null, waiters: [], queue: [], isFlushScheduled: false, checkpointer: null };
}

/**
 * Wraps the better-sqlite3 adapter Prisma connects through: remembers its connection for SQL
 * programs and tells them when a Prisma transaction on it has ended (the connection is shared, so
 * a program must never run inside someone else's open transaction).
 */
export function trackSqliteAdapter<F extends { connect(): Promise<unknown> }>(factory: F, state: SqliteState, options: { synchronous: SqliteSynchronous; checkpointInWorker?: boolean }): F {
  const connect = factory.connect.bind(factory);
  const connectAndTrack = async () => {
    const adapter = (await connect()) as { client: Database.Database; startTransaction: (...args: unknown[]) => Promise<{ commit(): Promise<void>; rollback(): Promise<void> }> };
    state.handle = adapter.client;
    adapter.client.pragma(`synchronous = ${options.synchronous}`);
    // Statement journals (a multi-row INSERT, every write inside a program's SAVEPOINT) stay in
    // memory: on disk each one opened, wrote and deleted a temporary file — measured, a fifth of
    // the database work of a routed request (docs/benchmarks.md). Large sorts spill to memory too.
    adapter.client.pragma("temp_store = MEMORY");
    // A reset WAL is cut back to this size instead of keeping its high-water mark on disk.
    adapter.client.pragma(`journal_size_limit = ${WAL_SIZE_LIMIT_BYTES}`);
    if (options.checkpointInWorker && !state.checkpointer && adapter.client.name !== ":memory:") {
      const client = adapter.client;
      client.pragma("wal_autocheckpoint = 0");
      state.checkpointer = startWalCheckpointer(client.name, {
        onStopped: () => {
          state.checkpointer = null;
          if (client.open) client.pragma(`wal_autocheckpoint = ${SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES}`);
        },
      });
    }
    const startTransaction = adapter.startTransaction.bind(adapter);
    const startImmediateTransaction = async (...args: unknown[]) => {
      const tx = await startTransaction(...args);
      // The adapter opens a DEFERRED transaction: its first read takes a snapshot, and a later write
      // fails at once with SQLITE_BUSY_SNAPSHOT (no busy wait) when another process committed in
      // between — two app instances, or a job process, on one file. Nothing has run in it yet, so it
      // is swapped for BEGIN IMMEDIATE, which takes the write lock up front and waits for it under
      // the busy timeout. Within one process transactions are already serialised by the adapter.
      try {
        adapter.client.prepare("ROLLBACK").run();
        adapter.client.prepare("BEGIN IMMEDIATE").run();
      } catch (error) {
        if (!adapter.client.inTransaction) adapter.client.prepare("BEGIN").run();
        await tx.rollback();
        throw error;
      }
      const commit = tx.commit.bind(tx);
      const rollback = tx.rollback.bind(tx);
      const notify = () => {
        const waiters = state.waiters.splice(0);
        for (const wake of waiters) wake();
      };
      const commitThenNotify = () => commit().finally(notify);
      const rollbackThenNotify = () => rollback().finally(notify);
      tx.commit = commitThenNotify;
      tx.rollback = rollbackThenNotify;
      return tx;
    };
    adapter.startTransaction = startImmediateTransaction;
    return adapter;
  };
  factory.connect = connectAndTrack;
  return factory;
}

export type SqliteSynchronous = "FULL" | "NORMAL";

const WAL_SIZE_LIMIT_BYTES = 64 * 1024 * 1024;
const SQLITE_DEFAULT_AUTOCHECKPOINT_PAGES = 1_000;

/** The WAL checkpointer of a client created with one (tests and diagnostics read its last result). */
export function walCheckpointerOf(db: Db): WalCheckpointer | null {
  return infoOf(db).sqlite?.checkpointer ?? null;
}

/**
 * WAL with synchronous=NORMAL (SQLite's advice for WAL, and Rails' production default): a commit
 * is durable once the app has it, whatever the app does next; only a power cut or kernel crash can
 * lose the last transactions (never half of one). FULL adds an fsync to every commit (~0.5 ms here).
 */
export function sqliteSynchronousFromEnv(env: NodeJS.ProcessEnv = process.env): SqliteSynchronous {
  const value = (env.BLOCKABLE_SQLITE_SYNCHRONOUS ?? "NORMAL").toUpperCase();
  if (value !== "FULL" && value !== "NORMAL") throw new Error(`BLOCKABLE_SQLITE_SYNCHRONOUS must be FULL or NORMAL, not "${env.BLOCKABLE_SQLITE_SYNCHRONOUS}"`);
  return value;
}

function infoOf(db: Db): ClientInfo {
  const info = clients.get(databaseKey(db));
  if (!info) throw new Error("sql-program: this Prisma client was not created by createDb()");
  return info;
}

export function providerOfDb(db: Db): DatabaseProvider {
  return infoOf(db).provider;
}

async function sqliteHandle(db: Db, state: SqliteState): Promise<Database.Database> {
  if (!state.handle) await db.$connect();
  if (!state.handle) throw new Error("sql-program: the SQLite adapter did not connect");
  // Wait until no Prisma transaction is open on the shared connection.
  while (state.handle.inTransaction) {
    await new Promise<void>((resolve) => {
      state.waiters.push(resolve);
      setTimeout(resolve, 5).unref?.();
    });
  }
  return state.handle;
}

// ───────────────────────────── Runners ─────────────────────────────

const statementCache = new WeakMap<Database.Database, Map<string, Database.Statement>>();

function sqliteParam(value: unknown): unknown {
  if (value instanceof Date) return sqliteDateText(value);
  if (typeof value === "boolean") return value ? 1 : 0;
  return value === undefined ? null : value;
}

function executeSqlite(handle: Database.Database, step: SqlStep): unknown {
  let cache = statementCache.get(handle);
  if (!cache) statementCache.set(handle, (cache = new Map()));
  let statement = cache.get(step.sql);
  if (!statement) cache.set(step.sql, (statement = handle.prepare(step.sql)));
  const params = step.params.map(sqliteParam);
  if (step.mode === "run") return statement.run(...params).changes;
  if (step.mode === "get") return statement.get(...params);
  return statement.all(...params);
}

function driveSync<T>(program: SqlProgram<T>, execute: (step: SqlStep) => unknown): T {
  let input: unknown = undefined;
  for (;;) {
    const next = program.next(input);
    if (next.done) return next.value;
    input = execute(next.value);
  }
}

async function driveAsync<T>(program: SqlProgram<T>, execute: (step: SqlStep) => Promise<unknown>): Promise<T> {
  let input: unknown = undefined;
  for (;;) {
    const next = program.next(input);
    if (next.done) return next.value;
    input = await execute(next.value);
  }
}

const pgSqlCache = new Map<string, string>();
function toPgSql(sql: string): string {
  let converted = pgSqlCache.get(sql);
  if (converted === undefined) {
    let index = 0;
    converted = sql.replace(/\?/g, () => `$${++index}`);
    pgSqlCache.set(sql, converted);
  }
  return converted;
}

function executePrisma(tx: DbTx | Db, provider: DatabaseProvider, step: SqlStep): Promise<unknown> {
  const sql = provider === "postgresql" ? toPgSql(step.sql) : step.sql;
  const params = step.params.map((value) => (provider === "sqlite" ? sqliteParam(value) : value === undefined ? null : value));
  if (step.mode === "run") return tx.$executeRawUnsafe(sql, ...params);
  return tx.$queryRawUnsafe<Row[]>(sql, ...params).then((rows) => (step.mode === "get" ? rows[0] : rows));
}

const BEGIN: SqlStep = { mode: "run", sql: "BEGIN IMMEDIATE", params: [] };
const COMMIT: SqlStep = { mode: "run", sql: "COMMIT", params: [] };
const ROLLBACK: SqlStep = { mode: "run", sql: "ROLLBACK", params: [] };

const SAVEPOINT: SqlStep = { mode: "run", sql: "SAVEPOINT program", params: [] };
const RELEASE: SqlStep = { mode: "run", sql: "RELEASE program", params: [] };
const ROLLBACK_TO: SqlStep = { mode: "run", sql: "ROLLBACK TO program", params: [] };

/**
 * Runs a program as one transaction: all of its writes, or (when it throws) none.
 *
 * On SQLite, programs submitted in the same turn of the event loop share one commit (group
 * commit): each runs in its own savepoint, so one that throws leaves no trace and the others
 * stand, and the batch pays one WAL fsync instead of one each, while synchronous=FULL keeps every
 * acknowledged request durable.
 */
export function runProgram<T>(db: Db, program: SqlProgram<T>): Promise<T> {
  const info = infoOf(db);
  const sqlite = info.sqlite;
  if (sqlite) {
    return new Promise<T>((resolve, reject) => {
      sqlite.queue.push({ program, resolve: resolve as (value: unknown) => void, reject });
      if (!sqlite.isFlushScheduled) {
        sqlite.isFlushScheduled = true;
        setImmediate(() => void flushSqlite(db, sqlite));
      }
    });
  }
  if (info.pgPool) return runPgProgram(info.pgPool, program, true);
  return db.$transaction((tx) => driveAsync(program, (step) => executePrisma(tx, info.provider, step)));
}

async function flushSqlite(db: Db, state: SqliteState) {
  let handle: Database.Database;
  try {
    handle = await sqliteHandle(db, state);
  } catch (error) {
    state.isFlushScheduled = false;
    for (const pending of state.queue.splice(0)) pending.reject(error);
    return;
  }
  // Taken after the wait, synchronously up to COMMIT: nothing else runs on the connection meanwhile.
  state.isFlushScheduled = false;
  const batch = state.queue.splice(0);
  const outcomes: ({ ok: true; value: unknown } | { ok: false; error: unknown })[] = [];
  try {
    executeSqlite(handle, BEGIN);
    for (const pending of batch) {
      executeSqlite(handle, SAVEPOINT);
      try {
        outcomes.push({ ok: true, value: driveSync(pending.program, (step) => executeSqlite(handle, step)) });
        executeSqlite(handle, RELEASE);
      } catch (error) {
        if (!handle.inTransaction) throw error; // SQLite gave up the whole transaction: nothing stands
        executeSqlite(handle, ROLLBACK_TO);
        executeSqlite(handle, RELEASE);
        outcomes.push({ ok: false, error });
      }
    }
    executeSqlite(handle, COMMIT);
  } catch (error) {
    if (handle.inTransaction) executeSqlite(handle, ROLLBACK);
    for (const pending of batch) pending.reject(error);
    return;
  }
  batch.forEach((pending, index) => {
    const outcome = outcomes[index];
    if (outcome.ok) pending.resolve(outcome.value);
    else pending.reject(outcome.error);
  });
}

// node-postgres on the pool Prisma shares: one round trip per statement, without Prisma's
// interactive-transaction bookkeeping (measured: about 8 ms → see docs/benchmarks.md per request).
const PG_INT8 = 20;
const PG_TIMESTAMP = 1114;
const pgTypes = {
  getTypeParser: ((oid: number, format?: string) => {
    if (oid === PG_INT8) return (value: string) => BigInt(value);
    // Prisma stores DateTime as UTC wall time in `timestamp(3)`; read it back as UTC whatever TZ says.
    if (oid === PG_TIMESTAMP) return (value: string) => new Date(`${value.replace(" ", "T")}Z`);
    return pg.types.getTypeParser(oid, format as "text");
  }) as pg.CustomTypesConfig["getTypeParser"],
};

function pgParam(value: unknown): unknown {
  if (value instanceof Date) return value.toISOString().replace("Z", "");
  if (typeof value === "bigint") return value.toString();
  return value === undefined ? null : value;
}

async function executePg(client: pg.PoolClient, step: SqlStep): Promise<unknown> {
  const result = await client.query({ text: toPgSql(step.sql), values: step.params.map(pgParam), types: pgTypes });
  if (step.mode === "run") return result.rowCount ?? 0;
  return step.mode === "get" ? result.rows[0] : result.rows;
}

async function runPgProgram<T>(pool: pg.Pool, program: SqlProgram<T>, isTransaction: boolean): Promise<T> {
  const client = await pool.connect();
  let isBroken = false;
  try {
    if (!isTransaction) return await driveAsync(program, (step) => executePg(client, step));
    await client.query("BEGIN");
    try {
      const result = await driveAsync(program, (step) => executePg(client, step));
      await client.query("COMMIT");
      return result;
    } catch (error) {
      await client.query("ROLLBACK").catch(() => (isBroken = true));
      throw error;
    }
  } finally {
    client.release(isBroken);
  }
}

/**
 * PostgreSQL only: one named statement (written with `$n` placeholders) on the shared pool, in autocommit —
 * atomic by itself, one round trip. Null when the client is not PostgreSQL.
 */
export async function queryPgStatement<R extends Row = Row>(db: Db, statement: { name: string; sql: string }, params: readonly unknown[]): Promise<R[] | null> {
  const pool = infoOf(db).pgPool;
  if (!pool) return null;
  // Named: each pooled connection parses and plans it once, then only binds and executes.
  const result = await pool.query({ name: statement.name, text: statement.sql, values: params.map(pgParam), types: pgTypes });
  return result.rows as R[];
}

/** Runs a read-only program outside any transaction (each statement sees committed data). */
export async function runReadProgram<T>(db: Db, program: SqlProgram<T>): Promise<T> {
  const info = infoOf(db);
  if (info.sqlite) {
    const handle = await sqliteHandle(db, info.sqlite);
    return driveSync(program, (step) => executeSqlite(handle, step));
  }
  if (info.pgPool) return runPgProgram(info.pgPool, program, false);
  return driveAsync(program, (step) => executePrisma(db, info.provider, step));
}

/** Runs a program inside the caller's Prisma transaction (cold paths composing ledger moves). */
export function runProgramInTx<T>(tx: DbTx, provider: DatabaseProvider, program: SqlProgram<T>): Promise<T> {
  return driveAsync(program, (step) => executePrisma(tx, provider, step));
}
