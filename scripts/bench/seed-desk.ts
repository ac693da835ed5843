// `npm run bench:desk:seed`: seeds the lender desk benchmark's world (desk-world.ts: one lender,
// 1,000 loans, 1,000,000 usage events) into a fresh SQLite file and a fresh PostgreSQL database on
// 127.0.0.1:5432, checks the ledger's invariants with the app's health check, reports the times,
// and drops both again (BENCH_DESK_KEEP=1 keeps them and prints how to open them).
// `npm run bench:desk` (desk.ts) seeds through seedDeskDatabase() below and measures the desk.
//
// Sizes: BENCH_DESK_LOANS (1000), BENCH_DESK_EVENTS (1000000), BENCH_DESK_SNAPSHOTS_PER_DAY (24);
// BENCH_DESK_PROVIDERS=sqlite,postgresql picks the databases; BENCH_POSTGRES_URL the server
// (default: user postgres, then root, on 127.0.0.1:5432, trust auth).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDb } from "../../lib/server/db/client";
import { pgConfigFromUrl, pgUrlForDatabase } from "../../lib/server/db/config";
import { migrateDatabase } from "../../lib/server/db/migrate";
import { checkLedgerHealth } from "../../lib/server/ledger/health";
import { openBulkLoader } from "./desk-bulk";
import { seedDeskWorld, type DeskManifest } from "./desk-world";
import { runIfScript } from "./run-script";

const root = path.resolve(import.meta.dirname, "../..");

export type DeskSize = { loans: number; events: number; snapshotsPerDay: number; freezeTargets: number };

export function deskSizeFromEnv(env: NodeJS.ProcessEnv = process.env): DeskSize {
  const read = (name: string, fallback: number, max: number) => {
    const raw = env[name];
    const value = raw === undefined || raw === "" ? fallback : Number(raw);
    if (!Number.isSafeInteger(value) || value < 1 || value > max) throw new Error(`${name} must be a whole number from 1 to ${max}, got "${raw}"`);
    return value;
  };
  return {
    loans: read("BENCH_DESK_LOANS", 1_000, 20_000),
    events: read("BENCH_DESK_EVENTS", 1_000_000, 20_000_000),
    snapshotsPerDay: read("BENCH_DESK_SNAPSHOTS_PER_DAY", 24, 1_440),
    freezeTargets: 5,
  };
}

export type Provider = "sqlite" | "postgresql";

export function providersFromEnv(env: NodeJS.ProcessEnv = process.env): Provider[] {
  const list = (env.BENCH_DESK_PROVIDERS ?? "sqlite,postgresql").split(",").map((p) => p.trim()).filter(Boolean);
  for (const p of list) if (p !== "sqlite" && p !== "postgresql") throw new Error(`BENCH_DESK_PROVIDERS: unknown provider "${p}"`);
  return list as Provider[];
}

export type BenchDatabase = { provider: Provider; url: string; drop: () => Promise<void> };

/** The PostgreSQL server's admin URL: BENCH_POSTGRES_URL, else user postgres, else root (trust auth on 127.0.0.1). */
async function postgresAdminUrl(): Promise<string> {
  const candidates = process.env.BENCH_POSTGRES_URL ? [process.env.BENCH_POSTGRES_URL] : ["postgresql://postgres@127.0.0.1:5432/postgres", "postgresql://root@127.0.0.1:5432/postgres"];
  const failures: string[] = [];
  for (const url of candidates) {
    const client = new pg.Client({ ...pgConfigFromUrl(url), connectionTimeoutMillis: 3_000 });
    try {
      await client.connect();
      await client.query("SELECT 1");
      return url;
    } catch (error) {
      failures.push(`${url.replace(/\/\/[^@]*@/, "//…@")}: ${(error as Error).message}`);
    } finally {
      await client.end().catch(() => undefined);
    }
  }
  throw new Error(`No PostgreSQL server to seed: ${failures.join("; ")}`);
}

/** A fresh, empty database of its own: a temp SQLite file, or a PostgreSQL database created here. */
export async function createBenchDatabase(provider: Provider): Promise<BenchDatabase> {
  if (provider === "sqlite") {
    const dir = mkdtempSync(path.join(tmpdir(), "blockable-desk-bench-"));
    return { provider, url: `file:${path.join(dir, "desk.db")}`, drop: async () => rmSync(dir, { recursive: true, force: true }) };
  }
  const adminUrl = await postgresAdminUrl();
  const name = `blockable_desk_bench_${Date.now()}_${Math.random().toString(36).slice(2, 6)}`;
  const admin = new pg.Client(pgConfigFromUrl(adminUrl));
  await admin.connect();
  await admin.query(`CREATE DATABASE "${name}"`);
  await admin.end();
  return {
    provider,
    url: pgUrlForDatabase(adminUrl, name),
    drop: async () => {
      const cleaner = new pg.Client(pgConfigFromUrl(adminUrl));
      await cleaner.connect();
      await cleaner.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
      await cleaner.end();
    },
  };
}

export type SeedReport = {
  manifest: DeskManifest;
  seconds: { migrate: number; load: number; analyze: number; total: number };
  /** Of `load`, the seconds spent in INSERTs, per table (the rest is generating the world). */
  insertSeconds: Record<string, number>;
  /** The app's ledger health check over the whole seeded ledger. */
  ledger: { accounts: number; transfers: number; lots: number; violations: string[]; checkMs: number };
};

const since = (startedAt: number) => Math.round((performance.now() - startedAt) / 100) / 10;

/** Migrates an empty database (lib/server/db/migrate.ts), loads the world in bulk, and checks its ledger. */
export async function seedDeskDatabase(url: string, size: DeskSize, options: { now?: Date; log?: (message: string) => void } = {}): Promise<SeedReport> {
  const log = options.log ?? ((message: string) => console.log(message));
  const startedAt = performance.now();
  await migrateDatabase(url, root);
  const migrate = since(startedAt);
  const loadStarted = performance.now();
  const loader = openBulkLoader(url);
  let manifest: DeskManifest;
  try {
    manifest = await seedDeskWorld(loader, { now: options.now ?? new Date(), ...size, onProgress: (message) => log(`  ${message}`) });
  } finally {
    await loader.close();
  }
  const load = since(loadStarted);
  const analyzeStarted = performance.now();
  if (loader.provider === "postgresql") {
    // What autovacuum would soon do to tables this size: statistics for the planner, the visibility map
    // for index-only scans. (SQLite gets nothing: the app never runs ANALYZE there.)
    const client = new pg.Client(pgConfigFromUrl(url));
    await client.connect();
    await client.query("VACUUM ANALYZE");
    await client.end();
  }
  const analyze = since(analyzeStarted);
  const total = since(startedAt);
  const { db } = createDb(url);
  try {
    const health = await checkLedgerHealth(db);
    return {
      manifest,
      seconds: { migrate, load, analyze, total },
      insertSeconds: Object.fromEntries([...loader.millis].map(([table, ms]) => [table, Math.round(ms / 100) / 10])),
      ledger: { accounts: health.accountCount, transfers: health.transferCount, lots: health.lotCount, violations: health.violations.map((v) => v.message), checkMs: health.durationMs },
    };
  } finally {
    await db.$disconnect();
  }
}

export function insertTotal(report: SeedReport): number {
  return Math.round(Object.values(report.insertSeconds).reduce((sum, s) => sum + s, 0) * 10) / 10;
}

export function describeSeed(provider: Provider, report: SeedReport): string {
  const c = report.manifest.counts;
  const n = (table: string) => (c[table] ?? 0).toLocaleString("en-US");
  return [
    `${provider}: seeded in ${report.seconds.total} s (migrate ${report.seconds.migrate} s, generate + bulk load ${report.seconds.load} s, of which INSERTs ${insertTotal(report)} s${provider === "postgresql" ? `; VACUUM ANALYZE ${report.seconds.analyze} s` : ""})`,
    `  INSERT seconds: ${Object.entries(report.insertSeconds).filter(([, s]) => s >= 0.5).map(([table, s]) => `${table} ${s}`).join(", ")}`,
    `  ${n("Loan")} loans (${Object.entries(report.manifest.loansByState).map(([state, count]) => `${count} ${state}`).join(", ")}), ${n("UsageEvent")} usage events, ${n("UsageDaily")} daily rollups, ${n("CoverageSnapshot")} coverage snapshots, ${n("Installment")} installments, ${n("Payment")} payments, ${n("Alert")} alerts, ${n("FreezeEvent")} freeze events`,
    `  ledger: ${n("LedgerTransfer")} transfers, ${n("LedgerEntry")} entries, ${n("CreditLot")} lots; health check ${report.ledger.violations.length === 0 ? "clean" : `${report.ledger.violations.length} VIOLATIONS`} (${report.ledger.checkMs} ms)`,
    ...report.ledger.violations.slice(0, 5).map((v) => `    ${v}`),
    ...(report.manifest.stateMismatches.length ? [`  ${report.manifest.stateMismatches.length} loans whose coverage does not fit their state: ${report.manifest.stateMismatches.slice(0, 5).join("; ")}`] : []),
    `  worst loan ${report.manifest.worstLoan.reference} (${report.manifest.worstLoan.state}, coverage ${report.manifest.worstLoan.coverageBps === null ? "∞" : `${report.manifest.worstLoan.coverageBps / 100}%`})`,
  ].join("\n");
}

/**
 * A seed script's run: each BENCH_DESK_PROVIDERS database in turn, fresh, seeded by `seed`, then
 * dropped — or, with `keep`, kept and printed with the account to sign in as. Exits 1 when a seed
 * is not as it should be (`seed` says `ok: false`).
 */
export async function seedEachDatabase(keep: boolean, seed: (provider: Provider, url: string) => Promise<{ ok: boolean; signIn: { email: string; password: string } }>): Promise<never> {
  let failed = false;
  for (const provider of providersFromEnv()) {
    const database = await createBenchDatabase(provider);
    try {
      const seeded = await seed(provider, database.url);
      if (!seeded.ok) failed = true;
      if (keep) console.log(`  kept: DATABASE_URL=${database.url}  (sign in as ${seeded.signIn.email} / ${seeded.signIn.password})`);
    } finally {
      if (!keep) await database.drop();
    }
  }
  process.exit(failed ? 1 : 0);
}

runIfScript(import.meta.filename, async () => {
  const size = deskSizeFromEnv();
  await seedEachDatabase(process.env.BENCH_DESK_KEEP === "1", async (provider, url) => {
    console.log(`Seeding ${provider}…`);
    const report = await seedDeskDatabase(url, size);
    console.log(describeSeed(provider, report));
    return { ok: report.ledger.violations.length === 0, signIn: report.manifest.lender };
  });
});
