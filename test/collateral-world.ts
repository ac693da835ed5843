// A small financing world in a test database for the collateral engine's tests: a lender (with a
// user and an API token), a startup with its own credits, and a disbursed loan whose FINANCED and
// PLEDGED lots are the collateral. Figures are given exactly, so golden tests can derive them.
import type { Db } from "@/lib/server/db/client";
import { issueCredits, openStartupAccounts, pledgeCredits } from "@/lib/server/ledger/ledger";
import { createLenderApiToken } from "@/lib/server/lender-api/tokens";

let counter = 0;
const unique = () => `${Date.now().toString(36)}-${++counter}-${Math.random().toString(36).slice(2, 6)}`;

/** Every test values loans on this day; one GPU index fix of 2,000,000 µUSD/GPU-hour precedes it. */
export const VALUATION_NOW = new Date("2026-03-01T12:00:00.000Z");
export const INDEX_NOW_MICROS = 2_000_000n;

export async function seedIndex(db: Db) {
  await db.gpuIndexFix.upsert({ where: { day: "2026-02-28" }, update: {}, create: { day: "2026-02-28", priceMicrosPerGpuHour: INDEX_NOW_MICROS, source: "seed" } });
}

export type Lender = { orgId: string; userId: string; token: string; name: string };

export async function createLender(db: Db): Promise<Lender> {
  const suffix = unique();
  const name = `Lender ${suffix}`;
  const org = await db.organization.create({ data: { name, slug: `lender-${suffix}`, kind: "LENDER" } });
  const user = await db.user.create({ data: { orgId: org.id, email: `analyst-${suffix}@example.test`, name: "Analyst", passwordHash: "x", role: "lender" } });
  const { plaintext } = await createLenderApiToken(db, { orgId: org.id, name: "risk desk", createdById: user.id });
  return { orgId: org.id, userId: user.id, token: plaintext, name };
}

export async function createUser(db: Db, kind: "STARTUP" | "PLATFORM") {
  const suffix = unique();
  const org = await db.organization.create({ data: { name: `${kind} ${suffix}`, slug: `${kind.toLowerCase()}-${suffix}`, kind } });
  const user = await db.user.create({ data: { orgId: org.id, email: `${kind.toLowerCase()}-${suffix}@example.test`, name: "Someone", passwordHash: "x", role: kind === "STARTUP" ? "startup" : "admin" } });
  return { orgId: org.id, userId: user.id };
}

/** The cast of a tenant-isolation test, on the seeded index: lender A acts, lender B is "another lender", and a platform admin. */
export type Tenants = { lenderA: Lender; lenderB: Lender; admin: { orgId: string; userId: string } };

export async function createTenants(db: Db): Promise<Tenants> {
  await seedIndex(db);
  const lenderA = await createLender(db);
  const lenderB = await createLender(db);
  return { lenderA, lenderB, admin: await createUser(db, "PLATFORM") };
}

export type LoanSpec = {
  lender: Lender;
  /** Credits issued under the loan (FINANCED lot). */
  financedMicros: bigint;
  /** The startup's own credits pledged to the loan (PLEDGED lot). */
  pledgedMicros?: bigint;
  /** Own credits outside the loan (PURCHASED, unrestricted). */
  ownMicros?: bigint;
  principalMicros: bigint;
  interestAccruedMicros?: bigint;
  aprBps?: number;
  /** Interest is accrued through this instant (VALUATION_NOW by default: nothing more to accrue then). */
  interestAccruedThrough?: Date;
  /** null: no index at origination, so the mark is par less the fee (850,000 ppm by default). */
  indexAtOriginationMicros?: bigint | null;
  redistributionFeeBps?: number;
  maintenanceBps?: number;
  liquidationBps?: number;
  autoFreeze?: boolean;
  state?: string;
};

export async function createLoan(db: Db, spec: LoanSpec) {
  const suffix = unique();
  const startup = await db.organization.create({ data: { name: `Startup ${suffix}`, slug: `startup-${suffix}`, kind: "STARTUP" } });
  const startupUser = await db.user.create({ data: { orgId: startup.id, email: `cto-${suffix}@example.test`, name: "CTO", passwordHash: "x", role: "startup" } });
  await openStartupAccounts(db, startup.id);
  const pledged = spec.pledgedMicros ?? 0n;
  const own = spec.ownMicros ?? 0n;
  const loan = await db.loan.create({
    data: {
      reference: `BL-T-${suffix}`,
      startupOrgId: startup.id,
      lenderOrgId: spec.lender.orgId,
      state: spec.state ?? "ACTIVE",
      principalMicros: spec.principalMicros,
      multiplierBps: 12_500,
      termMonths: 12,
      pledgedMicros: pledged,
      purpose: "test",
      aprBps: spec.aprBps ?? 0,
      maintenanceCoverageBps: spec.maintenanceBps ?? 12_500,
      liquidationCoverageBps: spec.liquidationBps ?? 11_000,
      autoFreeze: spec.autoFreeze ?? false,
      redistributionFeeBps: spec.redistributionFeeBps ?? 1_500,
      indexAtOriginationMicros: spec.indexAtOriginationMicros === undefined ? null : spec.indexAtOriginationMicros,
      principalOutstandingMicros: spec.principalMicros,
      interestAccruedMicros: spec.interestAccruedMicros ?? 0n,
      interestAccruedThrough: spec.interestAccruedThrough ?? VALUATION_NOW,
      activatedAt: new Date(VALUATION_NOW.getTime() - 30 * 86_400_000),
    },
  });
  if (own + pledged > 0n) await issueCredits(db, { orgId: startup.id, amountMicros: own + pledged, idempotencyKey: `own:${startup.id}` });
  if (pledged > 0n) await pledgeCredits(db, { orgId: startup.id, loanId: loan.id, lenderOrgId: spec.lender.orgId, amountMicros: pledged });
  if (spec.financedMicros > 0n) {
    await issueCredits(db, { orgId: startup.id, amountMicros: spec.financedMicros, idempotencyKey: `finance:${loan.id}`, kind: "FINANCED", loanId: loan.id, lenderOrgId: spec.lender.orgId });
  }
  return { loan, startupOrgId: startup.id, startupUserId: startupUser.id };
}
