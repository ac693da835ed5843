// The authorisation suite's world: a fresh cast per target (startups A and B, lenders X and Y, an
// admin, a disabled user of each role, API keys and lender tokens, one of each revoked), fixtures
// owned by A (a startup's things) or X (a lender's things), and a snapshot of every table to prove
// that a refused call changed nothing. A fresh cast per target keeps one target's allowed call
// (A's one application, X's webhook endpoints, admin's sign-out everywhere) from changing what the
// next target's cells see.
import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import path from "node:path";
import type { Db } from "@/lib/server/db/client";
import type { Provider } from "@/test/databases";
import { issueCredits, openStartupAccounts, pledgeCredits } from "@/lib/server/ledger/ledger";
import { createLenderApiToken, revokeLenderApiToken } from "@/lib/server/lender-api/tokens";
import { createApiKey, revokeApiKey } from "@/lib/server/services/api-keys";

export const USD = 1_000_000n;
const root = path.resolve(import.meta.dirname, "../..");

let counter = 0;
export const unique = () => `${Date.now().toString(36)}${(++counter).toString(36)}${Math.random().toString(36).slice(2, 6)}`;

export type Member = { orgId: string; userId: string; email: string };
export type Cast = {
  admin: Member;
  startupA: Member;
  startupB: Member;
  lenderX: Member & { facilityId: string };
  lenderY: Member & { facilityId: string };
  /** A disabled user in each owner's organisation (A's, X's, the admin's). */
  disabled: { startup: Member; lender: Member; admin: Member };
  /** A user in each owner's organisation who signed in with a temporary password and has not changed it yet. */
  temporary: { startup: Member; lender: Member; admin: Member };
  /** Routing API keys (`Authorization: Bearer sk-bl-…`). */
  keys: { A: string; B: string; revokedA: string; keyIdA: string };
  /** Lender API tokens (`Authorization: Bearer lk-bl-…`). */
  tokens: { X: string; Y: string; revokedX: string; tokenIdX: string };
};

async function member(db: Db, orgId: string, role: "startup" | "lender" | "admin", options: { isDisabled?: boolean; mustChangePassword?: boolean; passwordHash?: string } = {}): Promise<Member> {
  const suffix = unique();
  const email = `${role}-${suffix}@authz.test`;
  const user = await db.user.create({ data: { orgId, email, name: `${role} ${suffix}`, passwordHash: options.passwordHash ?? "x", role, isDisabled: options.isDisabled ?? false, mustChangePassword: options.mustChangePassword ?? false } });
  return { orgId, userId: user.id, email };
}

async function org(db: Db, kind: "STARTUP" | "LENDER" | "PLATFORM") {
  const suffix = unique();
  return db.organization.create({ data: { name: `${kind.toLowerCase()} ${suffix}`, slug: `${kind.toLowerCase()}-${suffix}`, kind } });
}

async function startup(db: Db, creditsMicros: bigint) {
  const row = await org(db, "STARTUP");
  const user = await member(db, row.id, "startup");
  await openStartupAccounts(db, row.id);
  await issueCredits(db, { orgId: row.id, amountMicros: creditsMicros, idempotencyKey: `own:${row.id}` });
  const key = await createApiKey(db, { orgId: row.id, createdById: user.userId, name: "authz key" });
  return { user, key };
}

async function lender(db: Db) {
  const row = await org(db, "LENDER");
  const user = await member(db, row.id, "lender");
  const facility = await db.lenderFacility.create({ data: { lenderOrgId: row.id, name: `Fund ${unique()}`, limitMicros: 100_000_000n * USD, defaultAprBps: 1_200 } });
  const token = await createLenderApiToken(db, { orgId: row.id, name: "authz token", createdById: user.userId });
  return { user: { ...user, facilityId: facility.id }, token };
}

/** Every principal of the matrix, in fresh organisations. Startups hold $100,000 of their own credits. */
export async function createCast(db: Db, options: { passwordHash?: string } = {}): Promise<Cast> {
  const a = await startup(db, 100_000n * USD);
  const b = await startup(db, 100_000n * USD);
  const x = await lender(db);
  const y = await lender(db);
  const platform = await org(db, "PLATFORM");
  const admin = await member(db, platform.id, "admin", options);
  const revokedKey = await createApiKey(db, { orgId: a.user.orgId, createdById: a.user.userId, name: "revoked key" });
  await revokeApiKey(db, { orgId: a.user.orgId, apiKeyId: revokedKey.apiKey.id, actorUserId: a.user.userId });
  const revokedToken = await createLenderApiToken(db, { orgId: x.user.orgId, name: "revoked token", createdById: x.user.userId });
  await revokeLenderApiToken(db, { orgId: x.user.orgId, tokenId: revokedToken.token.id, actorUserId: x.user.userId });
  if (options.passwordHash) {
    await db.user.updateMany({ where: { id: { in: [a.user.userId, b.user.userId, x.user.userId, y.user.userId] } }, data: { passwordHash: options.passwordHash } });
  }
  return {
    admin,
    startupA: a.user,
    startupB: b.user,
    lenderX: x.user,
    lenderY: y.user,
    disabled: {
      startup: await member(db, a.user.orgId, "startup", { isDisabled: true, ...options }),
      lender: await member(db, x.user.orgId, "lender", { isDisabled: true, ...options }),
      admin: await member(db, platform.id, "admin", { isDisabled: true, ...options }),
    },
    temporary: {
      startup: await member(db, a.user.orgId, "startup", { mustChangePassword: true, ...options }),
      lender: await member(db, x.user.orgId, "lender", { mustChangePassword: true, ...options }),
      admin: await member(db, platform.id, "admin", { mustChangePassword: true, ...options }),
    },
    keys: { A: a.key.plaintext, B: b.key.plaintext, revokedA: revokedKey.plaintext, keyIdA: a.key.apiKey.id },
    tokens: { X: x.token.plaintext, Y: y.token.plaintext, revokedX: revokedToken.plaintext, tokenIdX: x.token.token.id },
  };
}

/** Days the loans are valued on: the clock's today has a fix at or before it. */
export async function seedIndex(db: Db) {
  await db.gpuIndexFix.upsert({ where: { day: "2020-01-01" }, update: {}, create: { day: "2020-01-01", priceMicrosPerGpuHour: 2_000_000n, source: "seed" } });
}

export type LoanSpec = {
  startupOrgId: string;
  lenderOrgId: string;
  facilityId?: string;
  state?: string;
  principalMicros?: bigint;
  financedMicros?: bigint;
  pledgedMicros?: bigint;
};

/**
 * A disbursed loan of `startupOrgId` financed by `lenderOrgId`, written directly (as
 * test/collateral-world.ts does): its FINANCED lot issued, its PLEDGED lot pledged from the
 * startup's own credits. ACTIVE by default.
 */
export async function createLoan(db: Db, spec: LoanSpec) {
  const principal = spec.principalMicros ?? 10_000n * USD;
  const pledged = spec.pledgedMicros ?? 0n;
  const financed = spec.financedMicros ?? (principal * 12_500n) / 10_000n;
  const loan = await db.loan.create({
    data: {
      reference: `BL-AZ-${unique()}`,
      startupOrgId: spec.startupOrgId,
      lenderOrgId: spec.lenderOrgId,
      facilityId: spec.facilityId ?? null,
      state: spec.state ?? "ACTIVE",
      principalMicros: principal,
      multiplierBps: 12_500,
      termMonths: 12,
      pledgedMicros: pledged,
      purpose: "authorisation suite",
      aprBps: 1_200,
      maintenanceCoverageBps: 12_500,
      liquidationCoverageBps: 11_000,
      redistributionFeeBps: 1_500,
      principalOutstandingMicros: principal,
      interestAccruedMicros: 0n,
      interestAccruedThrough: new Date(),
      activatedAt: new Date(Date.now() - 30 * 86_400_000),
    },
  });
  if (pledged > 0n) await pledgeCredits(db, { orgId: spec.startupOrgId, loanId: loan.id, lenderOrgId: spec.lenderOrgId, amountMicros: pledged });
  if (financed > 0n) {
    await issueCredits(db, { orgId: spec.startupOrgId, amountMicros: financed, idempotencyKey: `finance:${loan.id}`, kind: "FINANCED", loanId: loan.id, lenderOrgId: spec.lenderOrgId });
  }
  return loan;
}

// ───────────────────────────── Snapshots ─────────────────────────────

/** Every model of the schema (a new table is in the snapshot without touching this file). */
export const MODELS: readonly string[] = [...readFileSync(path.join(root, "prisma/schema.prisma"), "utf8").matchAll(/^model (\w+) \{/gm)].map((match) => match[1]);

/**
 * What a call may change without changing anything of a tenant's: the test's session stub writes a
 * session row per call, a rate limit counts attempts, a lease or an in-flight slot comes and goes,
 * and a token or key used to authenticate notes when it was last used.
 */
const VOLATILE_MODELS = new Set(["RateCounter", "InFlightRequest", "JobLease"]);
const VOLATILE_COLUMNS = new Set(["lastUsedAt", "lastSeenAt"]);

export type Snapshot = Map<string, { count: number; hash: string }>;

type Column = { table: string; column: string };
const columnsByDb = new WeakMap<Db, Promise<Map<string, string[]>>>();

/** Each table's columns as the database has them (the migrations, not this file, decide). */
function tableColumns(db: Db, provider: Provider): Promise<Map<string, string[]>> {
  let columns = columnsByDb.get(db);
  if (!columns) {
    columns = (async () => {
      const rows =
        provider === "sqlite"
          ? await db.$queryRawUnsafe<Column[]>(`SELECT m.name AS "table", p.name AS "column" FROM sqlite_master m JOIN pragma_table_info(m.name) p WHERE m.type = 'table' ORDER BY m.name, p.cid`)
          : await db.$queryRawUnsafe<Column[]>(`SELECT table_name AS "table", column_name AS "column" FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position`);
      const byTable = new Map<string, string[]>();
      for (const { table, column } of rows) byTable.set(table, [...(byTable.get(table) ?? []), column]);
      return byTable;
    })();
    columnsByDb.set(db, columns);
  }
  return columns;
}

/**
 * Each table's row count and a digest of its rows (volatile columns left out), computed by the
 * database in one query: a few milliseconds however many rows there are, so every cell can afford
 * one. SQLite concatenates the quoted rows in order; PostgreSQL hashes them with md5.
 */
export async function snapshot(db: Db, provider: Provider): Promise<Snapshot> {
  const columns = await tableColumns(db, provider);
  const quote = (name: string) => `"${name.replaceAll('"', '""')}"`;
  const selects = MODELS.filter((model) => !VOLATILE_MODELS.has(model)).map((model) => {
    const kept = (columns.get(model) ?? []).filter((column) => !VOLATILE_COLUMNS.has(column));
    if (kept.length === 0) throw new Error(`snapshot: table ${model} has no columns in this database`);
    // The session stub signs in with a fresh session row on every call (userAgent "vitest").
    const where = model === "UserSession" ? ` WHERE "userAgent" IS DISTINCT FROM 'vitest'` : "";
    if (provider === "sqlite") {
      const row = kept.map((column) => `quote(${quote(column)})`).join(" || '|' || ");
      return `SELECT '${model}' AS "model", count(*) AS "count", coalesce(group_concat(r, char(10)), '') AS "digest" FROM (SELECT ${row} AS r FROM ${quote(model)}${where.replace("IS DISTINCT FROM", "IS NOT")} ORDER BY r)`;
    }
    const row = `concat_ws('|', ${kept.map((column) => `quote_nullable(${quote(column)})`).join(", ")})`;
    return `SELECT '${model}' AS "model", count(*)::int AS "count", md5(coalesce(string_agg(r, E'\\n' ORDER BY r), '')) AS "digest" FROM (SELECT ${row} AS r FROM ${quote(model)}${where}) s`;
  });
  const rows = await db.$queryRawUnsafe<Array<{ model: string; count: number | bigint; digest: string }>>(selects.join(" UNION ALL "));
  return new Map(rows.map((row) => [row.model, { count: Number(row.count), hash: createHash("sha256").update(row.digest).digest("hex").slice(0, 16) }]));
}

/** The tables whose rows differ between two snapshots ("Loan 3→3", "AuditLog 10→11"); empty when nothing changed. */
export function changedTables(before: Snapshot, after: Snapshot): string[] {
  return [...after.entries()].filter(([model, { hash }]) => before.get(model)?.hash !== hash).map(([model, { count }]) => `${model} ${before.get(model)?.count ?? 0}→${count}`);
}

// ───────────────────────────── A write counter (SQLite) ─────────────────────────────

/**
 * SQLite triggers that count every write to a snapshotted table (volatile tables, volatile columns
 * and the session stub's rows left out, as in `snapshot`), so a loop of thousands of calls reads
 * one number per call and takes a full snapshot only when something was written.
 */
export async function installWriteCounter(db: Db): Promise<void> {
  const columns = await tableColumns(db, "sqlite");
  await db.$executeRawUnsafe(`CREATE TABLE IF NOT EXISTS "_authz_writes" ("n" INTEGER NOT NULL)`);
  await db.$executeRawUnsafe(`INSERT INTO "_authz_writes" ("n") SELECT 0 WHERE NOT EXISTS (SELECT 1 FROM "_authz_writes")`);
  const bump = `BEGIN UPDATE "_authz_writes" SET "n" = "n" + 1; END`;
  for (const model of MODELS.filter((name) => !VOLATILE_MODELS.has(name))) {
    const kept = (columns.get(model) ?? []).filter((column) => !VOLATILE_COLUMNS.has(column)).map((column) => `"${column}"`);
    const isStub = (row: "NEW" | "OLD") => (model === "UserSession" ? ` WHEN ${row}."userAgent" IS NOT 'vitest'` : "");
    await db.$executeRawUnsafe(`CREATE TRIGGER IF NOT EXISTS "_authz_i_${model}" AFTER INSERT ON "${model}"${isStub("NEW")} ${bump}`);
    await db.$executeRawUnsafe(`CREATE TRIGGER IF NOT EXISTS "_authz_u_${model}" AFTER UPDATE OF ${kept.join(", ")} ON "${model}"${isStub("NEW")} ${bump}`);
    await db.$executeRawUnsafe(`CREATE TRIGGER IF NOT EXISTS "_authz_d_${model}" AFTER DELETE ON "${model}"${isStub("OLD")} ${bump}`);
  }
}

/** Writes counted since installWriteCounter. */
export async function writeCount(db: Db): Promise<number> {
  const [row] = await db.$queryRawUnsafe<Array<{ n: number | bigint }>>(`SELECT "n" FROM "_authz_writes"`);
  return Number(row.n);
}
